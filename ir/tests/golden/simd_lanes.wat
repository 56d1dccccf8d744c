;; Constants (in the function's 16-byte pool), shuffle lane selectors, splats, lane
;; extraction and replacement with the lane index as immediate.
(module
  (func $f (param i32 f64) (result v128)
    v128.const i32x4 1 2 3 0x80000000
    local.get 0
    i8x16.splat
    i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
    local.get 1
    f64x2.replace_lane 1
    i64x2.extract_lane 1
    i64x2.splat
    local.get 0
    i32x4.replace_lane 3)
  (func $g (param v128) (result i32)
    local.get 0
    i8x16.extract_lane_s 15
    local.get 0
    i16x8.extract_lane_u 7
    i32.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, f64) -> (v128)
;; block0(v0:i32, v1:f64):
;;   v2:v128 = vconst i32x4 0x00000001 0x00000002 0x00000003 0x80000000
;;   v3:v128 = i8x16.splat v0
;;   v4:v128 = i8x16.shuffle v2, v3 [0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31]
;;   v5:v128 = f64x2.replace_lane v4, v1 lane=1
;;   v6:i64 = i64x2.extract_lane v5 lane=1
;;   v7:v128 = i64x2.splat v6
;;   v8:v128 = i32x4.replace_lane v7, v0 lane=3
;;   return v8
;;
;; function f1 "g": (v128) -> (i32)
;; block0(v0:v128):
;;   v1:i32 = i8x16.extract_lane_s v0 lane=15
;;   v2:i32 = i16x8.extract_lane_u v0 lane=7
;;   v3:i32 = iadd v1, v2
;;   return v3
;;
