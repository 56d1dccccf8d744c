;; br_if to the function label is a conditional return; return in the middle.
(module
  (func $f (param i32) (result i32)
    i32.const -1
    local.get 0
    i32.eqz
    br_if 0
    drop
    local.get 0
    i32.const 100
    i32.gt_u
    if
      i32.const 100
      return
    end
    local.get 0))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst -1
;;   v2:i32 = ieqz v0
;;   branch v2, block1, block2
;; block1:
;;   return v1
;; block2:
;;   v3:i32 = iconst 100
;;   v4:i32 = icmp gt_u v0, v3
;;   branch v4, block3, block4
;; block3:
;;   v5:i32 = iconst 100
;;   return v5
;; block4:
;;   return v0
;;
