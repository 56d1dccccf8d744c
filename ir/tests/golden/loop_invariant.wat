;; Locals that the loop only reads need no header parameter.
(module
  (func $f (param i32 i32) (result i32)
    (local i32)
    loop
      local.get 2
      local.get 1
      i32.add
      local.set 2
      local.get 2
      local.get 0
      i32.lt_u
      br_if 0
    end
    local.get 2))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32) -> (i32)
;; block0(v0:i32, v1:i32):
;;   v2:i32 = iconst 0
;;   jump block1(v2)
;; block1(v3:i32):
;;   v4:i32 = iadd v3, v1
;;   v5:i32 = icmp lt_u v4, v0
;;   branch v5, block2, block3
;; block2:
;;   jump block1(v4)
;; block3:
;;   return v4
;;
