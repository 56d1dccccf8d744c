;; Table and reference operations.
(module
  (table $t 2 funcref)
  (table $e 2 externref)
  (elem $seg func $f)
  (func $f (param i32 externref) (result i32)
    local.get 0
    table.get $t
    ref.is_null
    drop
    local.get 0
    ref.func $f
    table.set $t
    ref.null extern
    local.get 0
    table.grow $e
    drop
    local.get 0
    local.get 1
    i32.const 1
    table.fill $e
    i32.const 0
    i32.const 1
    i32.const 1
    table.copy $t $t
    i32.const 0
    i32.const 0
    i32.const 1
    table.init $t $seg
    elem.drop $seg
    ref.null func
    ref.is_null
    table.size $e
    i32.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, externref) -> (i32)
;; block0(v0:i32, v1:externref):
;;   v2:funcref = table_get t0 v0
;;   v3:funcref = ref_func f0
;;   table_set t0 v0, v3
;;   v4:externref = ref_null
;;   v5:i32 = table_grow t1 v4, v0
;;   v6:i32 = iconst 1
;;   table_fill t1 v0, v1, v6
;;   v7:i32 = iconst 0
;;   table_copy t0 t0 v7, v6, v6
;;   table_init elem0 t0 v7, v7, v6
;;   elem_drop elem0
;;   v8:i32 = table_size t1
;;   v9:i32 = iadd v8, v6
;;   return v9
;;
