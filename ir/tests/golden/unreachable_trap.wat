;; unreachable is a trap terminator; an if whose arms both end unreachably makes the rest
;; dead; a certain divide-by-zero trap ends the function.
(module
  (func $f (param i32) (result i32)
    local.get 0
    if
      unreachable
    end
    local.get 0
    i32.const 0
    i32.rem_u))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   branch v0, block1, block2
;; block1:
;;   trap unreachable
;; block2:
;;   trap int_divide_by_zero
;;
