;; Constant divisors fold the checks away; a constant zero divisor is a certain trap that
;; ends the block; INT_MIN / -1 of constants traps too; -1 as divisor keeps only the
;; overflow check.
(module
  (func $by7 (param i32) (result i32)
    local.get 0
    i32.const 7
    i32.div_s)
  (func $by_minus1 (param i64) (result i64)
    local.get 0
    i64.const -1
    i64.div_s)
  (func $rem_minus1 (param i32) (result i32)
    local.get 0
    i32.const -1
    i32.rem_s)
  (func $by_zero (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.div_u)
  (func $min_by_minus1 (result i32)
    i32.const 0x80000000
    i32.const -1
    i32.div_s)
  (func $consts (result i32)
    i32.const -7
    i32.const 2
    i32.rem_s))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "by7": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 7
;;   v2:i32 = idiv_s v0, v1
;;   return v2
;;
;; function f1 "by_minus1": (i64) -> (i64)
;; block0(v0:i64):
;;   v1:i64 = iconst -1
;;   v2:i64 = iconst -9223372036854775808
;;   v3:i32 = icmp eq v0, v2
;;   trap_if v3, int_overflow
;;   v4:i64 = idiv_s v0, v1
;;   return v4
;;
;; function f2 "rem_minus1": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 0
;;   return v1
;;
;; function f3 "by_zero": (i32) -> (i32)
;; block0(v0:i32):
;;   trap int_divide_by_zero
;;
;; function f4 "min_by_minus1": () -> (i32)
;; block0:
;;   trap int_overflow
;;
;; function f5 "consts": () -> (i32)
;; block0:
;;   v0:i32 = iconst -1
;;   return v0
;;
