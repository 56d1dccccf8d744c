;; Deliberate execution failures for the CLI test of `skua wast` (wast_cli_test.sh): each
;; assertion from line 9 on is wrong about what its function does, so the harness must report
;; it with what happened.

(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "trap") (result i32) (unreachable))
  (func (export "nan") (result f32) (f32.const nan:0x200000)))
(assert_return (invoke "one") (i32.const 2))
(assert_trap (invoke "one") "unreachable")
(assert_trap (invoke "trap") "integer overflow")
(assert_return (invoke "trap") (i32.const 1))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "nan") (f32.const nan:arithmetic))
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i32)))) "unknown import")
