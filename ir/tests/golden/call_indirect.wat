;; call_indirect carries the table, the signature and the index operand.
(module
  (type $bin (func (param i32 i32) (result i32)))
  (table $t 4 funcref)
  (table $u 1 funcref)
  (func $f (param i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 1
    call_indirect $t (type $bin)
    local.get 0
    i32.const 0
    call_indirect $u (type $bin)))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32) -> (i32)
;; block0(v0:i32, v1:i32):
;;   v2:i32 = call_indirect t0 sig0 v1(v0, v1)
;;   v3:i32 = iconst 0
;;   v4:i32 = call_indirect t1 sig0 v3(v2, v0)
;;   return v4
;;
