;; select: a runtime condition; a constant condition folds; equal arms fold; typed select.
(module
  (func $f (param i32 i32 f64 f64) (result f64)
    local.get 0
    local.get 1
    local.get 0
    select
    i32.const 1
    local.get 1
    i32.const 0
    select
    i32.add
    drop
    local.get 2
    local.get 3
    local.get 0
    select (result f64)
    local.get 2
    local.get 2
    local.get 1
    select
    f64.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32, f64, f64) -> (f64)
;; block0(v0:i32, v1:i32, v2:f64, v3:f64):
;;   v4:f64 = select v0, v2, v3
;;   v5:f64 = fadd v4, v2
;;   return v5
;;
