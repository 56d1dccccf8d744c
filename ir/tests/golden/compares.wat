;; Comparisons: icmp/fcmp carry a condition; a constant first operand is swapped to the
;; second position with the mirrored condition; x == x folds for integers only.
(module
  (func $f (param i32 i64 f32) (result i32)
    i32.const 10
    local.get 0
    i32.lt_s
    local.get 1
    i64.const 5
    i64.ge_u
    i32.and
    local.get 1
    i64.eqz
    i32.or
    local.get 2
    local.get 2
    f32.ne
    i32.or
    local.get 0
    local.get 0
    i32.le_s
    i32.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i64, f32) -> (i32)
;; block0(v0:i32, v1:i64, v2:f32):
;;   v3:i32 = iconst 10
;;   v4:i32 = icmp gt_s v0, v3
;;   v5:i64 = iconst 5
;;   v6:i32 = icmp ge_u v1, v5
;;   v7:i32 = iand v4, v6
;;   v8:i32 = ieqz v1
;;   v9:i32 = ior v7, v8
;;   v10:i32 = fcmp ne v2, v2
;;   v11:i32 = ior v9, v10
;;   v12:i32 = iconst 1
;;   v13:i32 = iadd v11, v12
;;   return v13
;;
