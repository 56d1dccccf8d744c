;; Conversions, reinterpretations, sign extension, saturating truncation.
(module
  (func $f (param i64 f32 f64) (result f64)
    local.get 0
    i32.wrap_i64
    i32.extend16_s
    f32.convert_i32_u
    local.get 1
    f32.add
    i32.reinterpret_f32
    i64.extend_i32_s
    local.get 0
    i64.extend32_s
    i64.xor
    f64.convert_i64_s
    local.get 2
    f32.demote_f64
    f64.promote_f32
    f64.add
    i64.trunc_sat_f64_u
    f64.reinterpret_i64
    local.get 1
    i32.trunc_sat_f32_s
    f64.convert_i32_s
    f64.mul))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i64, f32, f64) -> (f64)
;; block0(v0:i64, v1:f32, v2:f64):
;;   v3:i32 = iwrap v0
;;   v4:i32 = iextend16_s v3
;;   v5:f32 = fcvt_from_uint v4
;;   v6:f32 = fadd v5, v1
;;   v7:i32 = bitcast v6
;;   v8:i64 = isext v7
;;   v9:i64 = iextend32_s v0
;;   v10:i64 = ixor v8, v9
;;   v11:f64 = fcvt_from_sint v10
;;   v12:f32 = fdemote v2
;;   v13:f64 = fpromote v12
;;   v14:f64 = fadd v11, v13
;;   v15:i64 = fcvt_to_uint_sat v14
;;   v16:f64 = bitcast v15
;;   v17:i32 = fcvt_to_sint_sat v1
;;   v18:f64 = fcvt_from_sint v17
;;   v19:f64 = fmul v16, v18
;;   return v19
;;
