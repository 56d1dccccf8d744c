;; A library for `skua run --preload lib=...`: its exports become importable as "lib".
(module
  (global $calls (mut i32) (i32.const 0))
  (func (export "twice") (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "calls") (result i32) (global.get $calls)))
