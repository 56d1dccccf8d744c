;; An if without else: the false edge carries the values from before the if.
(module
  (func $abs (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.lt_s
    if
      i32.const 0
      local.get 0
      i32.sub
      local.set 0
    end
    local.get 0))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "abs": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 0
;;   v2:i32 = icmp lt_s v0, v1
;;   branch v2, block1, block2
;; block1:
;;   v3:i32 = iconst 0
;;   v4:i32 = isub v3, v0
;;   jump block3(v4)
;; block2:
;;   jump block3(v0)
;; block3(v5:i32):
;;   return v5
;;
