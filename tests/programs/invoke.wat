;; Exports for `skua run --invoke` tests: results of every scalar type, several results, a
;; trap, and no _start (a library module).
(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "mul64") (param i64 i64) (result i64)
    (i64.mul (local.get 0) (local.get 1)))
  (func (export "addf") (param f64 f64) (result f64)
    (f64.add (local.get 0) (local.get 1)))
  (func (export "half") (param f32) (result f32)
    (f32.mul (local.get 0) (f32.const 0.5)))
  (func (export "pair") (result i32 i64)
    (i32.const -1) (i64.const 1234567890123))
  (func (export "none"))
  (func $inner (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $div (export "div") (param i32 i32) (result i32)
    (call $inner (local.get 0) (local.get 1))))
