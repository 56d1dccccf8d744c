;; Bulk memory: copy, fill, init, data.drop.
(module
  (memory 1)
  (data $d "hello")
  (func $f (param i32 i32 i32)
    local.get 0
    local.get 1
    local.get 2
    memory.copy
    local.get 0
    i32.const 255
    local.get 2
    memory.fill
    local.get 0
    i32.const 1
    i32.const 3
    memory.init $d
    data.drop $d))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32, i32) -> ()
;; block0(v0:i32, v1:i32, v2:i32):
;;   memory_copy mem0 mem0 v0, v1, v2
;;   v3:i32 = iconst 255
;;   memory_fill mem0 v0, v3, v2
;;   v4:i32 = iconst 1
;;   v5:i32 = iconst 3
;;   memory_init data0 mem0 v0, v4, v5
;;   data_drop data0
;;   return
;;
