;; A call with two results: the call defines the first, a RESULT projection the second.
(module
  (func $pair (param i32) (result i32 i64)
    local.get 0
    local.get 0
    i64.extend_i32_s)
  (func $use (param i32) (result i64)
    (local i64)
    local.get 0
    call $pair
    local.set 1
    i64.extend_i32_u
    local.get 1
    i64.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "pair": (i32) -> (i32, i64)
;; block0(v0:i32):
;;   v1:i64 = isext v0
;;   return v0, v1
;;
;; function f1 "use": (i32) -> (i64)
;; block0(v0:i32):
;;   v1:i32 = call f0(v0)
;;   v2:i64 = result v1, 1
;;   v3:i64 = izext v1
;;   v4:i64 = iadd v3, v2
;;   return v4
;;
