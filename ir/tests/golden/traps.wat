;; Division gets explicit trap_if checks: divisor zero, and INT_MIN / -1 for div_s;
;; rem_s needs no overflow check; trapping truncation is one instruction.
(module
  (func $f (param i32 i32 i64 i64 f32) (result i64)
    local.get 0
    local.get 1
    i32.div_s
    local.get 0
    local.get 1
    i32.rem_s
    i32.add
    local.get 0
    local.get 1
    i32.div_u
    i32.add
    i64.extend_i32_s
    local.get 2
    local.get 3
    i64.rem_u
    i64.add
    local.get 4
    i64.trunc_f32_u
    i64.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32, i64, i64, f32) -> (i64)
;; block0(v0:i32, v1:i32, v2:i64, v3:i64, v4:f32):
;;   v5:i32 = ieqz v1
;;   trap_if v5, int_divide_by_zero
;;   v6:i32 = iconst -2147483648
;;   v7:i32 = icmp eq v0, v6
;;   v8:i32 = iconst -1
;;   v9:i32 = icmp eq v1, v8
;;   v10:i32 = iand v7, v9
;;   trap_if v10, int_overflow
;;   v11:i32 = idiv_s v0, v1
;;   v12:i32 = ieqz v1
;;   trap_if v12, int_divide_by_zero
;;   v13:i32 = irem_s v0, v1
;;   v14:i32 = iadd v11, v13
;;   v15:i32 = ieqz v1
;;   trap_if v15, int_divide_by_zero
;;   v16:i32 = idiv_u v0, v1
;;   v17:i32 = iadd v14, v16
;;   v18:i64 = isext v17
;;   v19:i32 = ieqz v3
;;   trap_if v19, int_divide_by_zero
;;   v20:i64 = irem_u v2, v3
;;   v21:i64 = iadd v18, v20
;;   v22:i64 = fcvt_to_uint v4
;;   v23:i64 = iadd v21, v22
;;   return v23
;;
