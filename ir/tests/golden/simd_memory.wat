;; SIMD memory accesses: v128.load/store use the generic load/store; extending, splat,
;; zero-extending and lane loads/stores keep their offset, alignment and lane.
(module
  (memory 1)
  (func $f (param i32) (result v128)
    local.get 0
    local.get 0
    v128.load offset=16
    v128.store offset=32 align=8
    local.get 0
    v128.load8x8_s offset=1 align=1
    local.get 0
    v128.load32_splat
    i32x4.add
    local.get 0
    v128.load64_zero offset=8
    i32x4.add
    local.get 0
    local.get 0
    v128.load
    v128.load16_lane offset=2 5
    i32x4.add
    local.get 0
    local.get 0
    v128.load
    v128.store32_lane offset=4 align=2 3))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (v128)
;; block0(v0:i32):
;;   v1:v128 = load v0 offset=16 align=16
;;   store v0, v1 offset=32 align=8
;;   v2:v128 = v128.load8x8_s v0 offset=1 align=1
;;   v3:v128 = v128.load32_splat v0 align=4
;;   v4:v128 = i32x4.add v2, v3
;;   v5:v128 = v128.load64_zero v0 offset=8 align=8
;;   v6:v128 = i32x4.add v4, v5
;;   v7:v128 = load v0 align=16
;;   v8:v128 = v128.load16_lane v0, v7 offset=2 lane=5 align=2
;;   v9:v128 = i32x4.add v6, v8
;;   v10:v128 = load v0 align=16
;;   v128.store32_lane v0, v10 offset=4 lane=3 align=2
;;   return v9
;;
