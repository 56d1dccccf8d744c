;; An if with block parameters: both arms start from them; the if without else passes them
;; through its false edge.
(module
  (func $f (param i32 i32) (result i32)
    local.get 1
    local.get 0
    if (param i32) (result i32)
      i32.const 2
      i32.mul
    else
      i32.const 1
      i32.add
    end
    local.get 0
    if (param i32) (result i32)
      i32.const 3
      i32.sub
    end))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32) -> (i32)
;; block0(v0:i32, v1:i32):
;;   branch v0, block1, block2
;; block1:
;;   v2:i32 = iconst 2
;;   v3:i32 = imul v1, v2
;;   jump block3(v3)
;; block2:
;;   v4:i32 = iconst 1
;;   v5:i32 = iadd v1, v4
;;   jump block3(v5)
;; block3(v6:i32):
;;   branch v0, block4, block5
;; block4:
;;   v7:i32 = iconst 3
;;   v8:i32 = isub v6, v7
;;   jump block6(v8)
;; block5:
;;   jump block6(v6)
;; block6(v9:i32):
;;   return v9
;;
