;; A local assigned differently in both arms becomes a merge-block parameter; a local
;; assigned the same value in both arms does not.
(module
  (func $max (param i32 i32) (result i32)
    (local i32 i32)
    local.get 0
    local.get 1
    i32.gt_s
    if
      local.get 0
      local.set 2
      i32.const 7
      local.set 3
    else
      local.get 1
      local.set 2
      i32.const 7
      local.set 3
    end
    local.get 2
    local.get 3
    i32.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "max": (i32, i32) -> (i32)
;; block0(v0:i32, v1:i32):
;;   v2:i32 = icmp gt_s v0, v1
;;   branch v2, block1, block2
;; block1:
;;   jump block3(v0)
;; block2:
;;   jump block3(v1)
;; block3(v3:i32):
;;   v4:i32 = iconst 7
;;   v5:i32 = iadd v3, v4
;;   return v5
;;
