;; Compiled by skua's code generator and run by the runtime (tests/compile).
(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (memory (export "mem") 1 4)
  (table 4 funcref)
  (elem (i32.const 0) $add $fib)
  (global $g (mut i64) (i64.const 100))
  (data (i32.const 16) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")

  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))

  (func $fib (export "fib") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $t i32)
    (local.set $b (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i32.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))

  (func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))

  ;; sum of n i32 words from address p
  (func (export "sum") (param $p i32) (param $n i32) (result i64)
    (local $s i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (i32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s))

  (func (export "ci") (param $i i32) (param $x i32) (param $y i32) (result i32)
    (call_indirect (type $ii_i) (local.get $x) (local.get $y) (local.get $i)))

  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $rec (export "rec") (param i64) (result i64)
    (i64.add (call $rec (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
  (func (export "glob") (param i64) (result i64)
    (global.set $g (i64.add (global.get $g) (local.get 0)))
    (global.get $g))
  (func (export "print") (param i32) (call $print (local.get 0)))
  (func (export "unreachable") (unreachable))
  (func (export "fmin") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
)
