;; Constant conditions: if with a constant keeps one arm inline (the other is not
;; translated); br_if on a constant is a br or nothing.
(module
  (func $f (param i32) (result i32)
    i32.const 1
    if (result i32)
      local.get 0
    else
      i32.const 99
    end
    i32.const 0
    if
      local.get 0
      i32.const 1
      i32.add
      local.set 0
    end
    block
      i32.const 0
      br_if 0
      local.get 0
      i32.const 2
      i32.mul
      local.set 0
      i32.const 1
      br_if 0
      i32.const 77
      local.set 0
    end
    local.get 0
    i32.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 2
;;   v2:i32 = imul v0, v1
;;   v3:i32 = iadd v0, v2
;;   return v3
;;
