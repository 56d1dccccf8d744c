;; Declared locals start as zero constants of their type; local.tee keeps the value on the
;; stack; unused zeros are removed by DCE.
(module
  (func $f (param i64) (result i64)
    (local i32 i64 f32 f64)
    local.get 2
    local.get 0
    i64.add
    local.tee 2
    local.get 2
    i64.mul
    local.get 1
    i64.extend_i32_u
    i64.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i64) -> (i64)
;; block0(v0:i64):
;;   v1:i64 = imul v0, v0
;;   return v1
;;
