;; A small script for the CLI test of `skua wast` (spec-tests/tests/wast_cli_test.sh): every
;; command passes; with --validate-only, the 5 that need execution are not run.

(module $lib
  (memory (export "mem") 1)
  (global (export "g") i32 (i32.const 7)))
(register "lib" $lib)

(module
  (import "lib" "mem" (memory 1))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))

(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_return (get $lib "g") (i32.const 7))

(assert_invalid
  (module (func (result i32) (f64.const 1)))
  "type mismatch")
(assert_invalid
  (module (func (drop (local.get 3))))
  "unknown local")

(assert_malformed (module binary "\00asm") "unexpected end")
(assert_malformed (module binary "\00asm" "\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00wat" "\01\00\00\00") "magic header not detected")
(assert_malformed (module quote "(func (i32.add2))") "unknown operator")

(assert_unlinkable
  (module (import "lib" "nothing" (func)))
  "unknown import")
