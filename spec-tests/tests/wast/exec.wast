;; Execution through the embedding API, for the CLI test of `skua wast` (wast_cli_test.sh):
;; named and registered modules, imports from them and from spectest, values of every scalar
;; type bit for bit, NaN patterns, references, multiple results, traps, exhaustion, link
;; errors and traps during instantiation. Every command passes.

(module $lib
  (memory (export "mem") 1)
  (global (export "g") i32 (i32.const 7))
  (global (export "gm") (mut i64) (i64.const -1))
  (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
(register "lib" $lib)

(module
  (import "lib" "inc" (func $inc (param i32) (result i32)))
  (import "lib" "mem" (memory 1))
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "spectest" "global_i32" (global $g666 i32))
  (func (export "call-inc") (param i32) (result i32) (call $inc (local.get 0)))
  (func (export "g666") (result i32) (global.get $g666))
  (func (export "f32-nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "f64-id") (param f64) (result f64) (local.get 0))
  (func (export "i64-id") (param i64) (result i64) (local.get 0))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "is-null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "null-func") (result funcref) (ref.null func))
  (func (export "multi") (result i32 i64 f64)
    (i32.const -1) (i64.const 0x123456789) (f64.const -0.5))
  (func $rec (export "rec") (param i32) (result i32) (call $rec (local.get 0)))
  (func (export "oob") (result i32) (i32.load (i32.const 65535)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "print") (call $print (i32.const 42))))

(assert_return (invoke "call-inc" (i32.const 41)) (i32.const 42))
(assert_return (invoke "call-inc" (i32.const -1)) (i32.const 0))
(assert_return (invoke "g666") (i32.const 666))
(assert_return (invoke "f32-nan") (f32.const nan:canonical))
(assert_return (invoke "f64-id" (f64.const -nan:0x1234)) (f64.const -nan:0x1234))
(assert_return (invoke "f64-id" (f64.const -0x0p+0)) (f64.const -0x0p+0))
(assert_return (invoke "i64-id" (i64.const -2)) (i64.const 0xfffffffffffffffe))
(assert_return (invoke "ext" (ref.extern 0)) (ref.extern 0))
(assert_return (invoke "ext" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke "ext" (ref.null extern)) (ref.null extern))
(assert_return (invoke "is-null" (ref.extern 0)) (i32.const 0))
(assert_return (invoke "is-null" (ref.null extern)) (i32.const 1))
(assert_return (invoke "null-func") (ref.null func))
(assert_return (invoke "multi") (i32.const -1) (i64.const 0x123456789) (f64.const -0.5))
(assert_exhaustion (invoke "rec" (i32.const 0)) "call stack exhausted")
(assert_trap (invoke "oob") "out of bounds memory access")
(invoke "store" (i32.const 8) (i32.const 0x01020304))
(invoke "print")
(assert_return (get $lib "g") (i32.const 7))
(assert_return (get $lib "gm") (i64.const -1))

(assert_unlinkable (module (import "lib" "inc" (func (param i64)))) "incompatible import type")
(assert_unlinkable (module (import "lib" "nothing" (func))) "unknown import")
;; A data segment out of bounds traps at instantiation, after the first segment wrote to
;; the shared memory.
(assert_trap
  (module (import "lib" "mem" (memory 1))
    (data (i32.const 0) "\ff")
    (data (i32.const 65536) "\01"))
  "out of bounds memory access")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")

(module (import "lib" "mem" (memory 1))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
(assert_return (invoke "load8" (i32.const 0)) (i32.const 0xff))
(assert_return (invoke "load8" (i32.const 9)) (i32.const 3))
