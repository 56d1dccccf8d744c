;; Integer constant folding with Wasm semantics: wrapping, shift counts modulo the width,
;; signed/unsigned comparisons, clz/ctz/popcnt, extensions.
(module
  (func $f (result i32)
    i32.const 0x7fffffff
    i32.const 1
    i32.add
    i32.const 1
    i32.const 33
    i32.shl
    i32.add
    i32.const -1
    i32.const 1
    i32.lt_u
    i32.add
    i32.const 0
    i32.clz
    i32.add
    i32.const 0x80
    i32.extend8_s
    i32.add)
  (func $g (result i64)
    i64.const -1
    i64.const 60
    i64.shr_u
    i64.const 0x100000000
    i64.popcnt
    i64.add
    i32.const -2
    i64.extend_i32_u
    i64.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": () -> (i32)
;; block0:
;;   v0:i32 = iconst 2147483554
;;   return v0
;;
;; function f1 "g": () -> (i64)
;; block0:
;;   v0:i64 = iconst 4294967310
;;   return v0
;;
