;; Parameters are the entry block's parameters; an expression becomes instructions.
(module
  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add
    i32.const 3
    i32.mul))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "add": (i32, i32) -> (i32)
;; block0(v0:i32, v1:i32):
;;   v2:i32 = iadd v0, v1
;;   v3:i32 = iconst 3
;;   v4:i32 = imul v2, v3
;;   return v4
;;
