;; A counting loop: the locals the body assigns become header parameters.
(module
  (func $sum (param i32) (result i32)
    (local i32 i32)
    block
      loop
        local.get 1
        local.get 0
        i32.ge_u
        br_if 1
        local.get 2
        local.get 1
        i32.add
        local.set 2
        local.get 1
        i32.const 1
        i32.add
        local.set 1
        br 0
      end
    end
    local.get 2))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "sum": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 0
;;   jump block1(v1, v1)
;; block1(v2:i32, v3:i32):
;;   v4:i32 = icmp ge_u v3, v0
;;   branch v4, block2, block3
;; block2:
;;   return v2
;; block3:
;;   v5:i32 = iadd v2, v3
;;   v6:i32 = iconst 1
;;   v7:i32 = iadd v3, v6
;;   jump block1(v5, v7)
;;
