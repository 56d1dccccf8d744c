;; SIMD operations are 1:1 with their Wasm opcodes.
(module
  (func $f (param v128 v128 i32) (result v128)
    local.get 0
    local.get 1
    i32x4.add
    local.get 1
    i16x8.mul
    local.get 0
    local.get 2
    i8x16.shl
    f32x4.max
    local.get 0
    local.get 1
    local.get 0
    v128.bitselect
    i64x2.sub
    i32x4.trunc_sat_f32x4_s
    f64x2.promote_low_f32x4
    v128.not)
  (func $g (param v128) (result i32)
    local.get 0
    v128.any_true
    local.get 0
    i8x16.bitmask
    i32.add
    local.get 0
    i32x4.all_true
    i32.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (v128, v128, i32) -> (v128)
;; block0(v0:v128, v1:v128, v2:i32):
;;   v3:v128 = i32x4.add v0, v1
;;   v4:v128 = i16x8.mul v3, v1
;;   v5:v128 = i8x16.shl v0, v2
;;   v6:v128 = f32x4.max v4, v5
;;   v7:v128 = v128.bitselect v0, v1, v0
;;   v8:v128 = i64x2.sub v6, v7
;;   v9:v128 = i32x4.trunc_sat_f32x4_s v8
;;   v10:v128 = f64x2.promote_low_f32x4 v9
;;   v11:v128 = v128.not v10
;;   return v11
;;
;; function f1 "g": (v128) -> (i32)
;; block0(v0:v128):
;;   v1:i32 = v128.any_true v0
;;   v2:i32 = i8x16.bitmask v0
;;   v3:i32 = iadd v1, v2
;;   v4:i32 = i32x4.all_true v0
;;   v5:i32 = iadd v3, v4
;;   return v5
;;
