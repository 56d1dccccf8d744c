;; Deliberate failures for the CLI test of `skua wast` (wast_cli_test.sh): the assertions
;; on lines 7, 10 and 15 are wrong about their modules, so the harness must report them.

(module (func (export "f")))

;; line 7: the module is valid, so "type mismatch" cannot be right
(assert_invalid (module (func)) "type mismatch")

;; line 10: a complete empty module is not malformed
(assert_malformed (module binary "\00asm" "\01\00\00\00") "unexpected end")

;; line 15 (wast2json numbers an assertion by its module's line): rejected, but with
;; another message
(assert_invalid
  (module (func (result i32) (f64.const 1)))
  "unknown local")

;; line 19: passes
(assert_invalid (module (func (result i32) (f64.const 1))) "type mismatch")

;; line 22: passes (not run with --validate-only)
(assert_return (invoke "f"))
