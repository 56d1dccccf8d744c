;; Direct calls, an imported function, a call without results.
(module
  (import "env" "log" (func $log (param i32)))
  (func $sq (param i32) (result i32)
    local.get 0
    local.get 0
    i32.mul)
  (func $f (param i32) (result i32)
    local.get 0
    call $log
    local.get 0
    call $sq
    call $sq))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f1 "sq": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = imul v0, v0
;;   return v1
;;
;; function f2 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   call f0(v0)
;;   v1:i32 = call f1(v0)
;;   v2:i32 = call f1(v1)
;;   return v2
;;
