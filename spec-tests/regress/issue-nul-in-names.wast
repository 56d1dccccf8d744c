;; Import and export names are byte strings and may hold NUL bytes (names.wast:19 exports
;; "\00" and others). The runtime's compiled-module checker (runtime/cmodule.c, str_ok)
;; refused every name with a NUL inside ("invalid compiled module: export 0: bad kind, index
;; or name"), so such a module never loaded.
(module $m
  (func (export "\00") (result i32) (i32.const 1))
  (func (export "a\00b") (result i32) (i32.const 2))
  (func (export "a\00c") (result i32) (i32.const 3)))
(assert_return (invoke "\00") (i32.const 1))
(assert_return (invoke "a\00b") (i32.const 2))
(assert_return (invoke "a\00c") (i32.const 3))
(register "\00mod" $m)
(module
  (import "\00mod" "a\00c" (func $f (result i32)))
  (func (export "f") (result i32) (call $f)))
(assert_return (invoke "f") (i32.const 3))
(assert_unlinkable
  (module (import "\00mod" "a\00d" (func (result i32))))
  "unknown import")
