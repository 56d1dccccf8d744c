;; Loads and stores carry memory index, static offset and alignment; memory.size/grow.
(module
  (memory 1 2)
  (func $f (param i32) (result i64)
    local.get 0
    local.get 0
    i32.load offset=4
    i32.store8 offset=1
    local.get 0
    i64.load16_s offset=2 align=1
    local.get 0
    f64.load offset=8
    i64.trunc_f64_s
    i64.add
    local.get 0
    i64.load32_u
    i64.add
    memory.size
    memory.grow
    i64.extend_i32_u
    i64.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i64)
;; block0(v0:i32):
;;   v1:i32 = load v0 offset=4 align=4
;;   store8 v0, v1 offset=1 align=1
;;   v2:i64 = load16_s v0 offset=2 align=1
;;   v3:f64 = load v0 offset=8 align=8
;;   v4:i64 = fcvt_to_sint v3
;;   v5:i64 = iadd v2, v4
;;   v6:i64 = load32_u v0 align=4
;;   v7:i64 = iadd v5, v6
;;   v8:i32 = memory_size mem0
;;   v9:i32 = memory_grow mem0 v8
;;   v10:i64 = izext v9
;;   v11:i64 = iadd v7, v10
;;   return v11
;;
