;; A small module touching every part of the pipeline, for the out-of-memory test
;; (tests/oom) and the multi-threaded compile test (tests/tsan): imports, a table with
;; elements, passive and active data, globals of every type, control flow with merges and
;; loops, br_table, calls (direct, indirect, multi-value), memory and bulk memory, floats,
;; conversions, references and SIMD.
(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (import "env" "base" (global $base i32))
  (memory (export "mem") 1 16)
  (table $t 8 funcref)
  (table $x 2 externref)
  (elem (i32.const 0) $add $sub $mul)
  (elem $passive func $add $fib)
  (global $g64 (mut i64) (i64.const 100))
  (global $gf32 (mut f32) (f32.const 1.5))
  (global $gf64 (mut f64) (f64.const -2.25))
  (global $gv (mut v128) (v128.const i32x4 1 2 3 4))
  (global $gr (mut funcref) (ref.func $add))
  (data (i32.const 16) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (data $words "skua out of memory test")

  (func $add (type $ii_i) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $ii_i) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $ii_i) (i32.mul (local.get 0) (local.get 1)))

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

  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))

  (func (export "dispatch") (param $op i32) (param $x i32) (param $y i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get $op)))
      (return (call_indirect (type $ii_i) (local.get $x) (local.get $y) (i32.const 0))))
      (return (call_indirect (type $ii_i) (local.get $x) (local.get $y) (i32.const 1))))
      (return (select (local.get $x) (local.get $y) (i32.lt_s (local.get $x) (local.get $y)))))
    (call $log (local.get $op))
    (i32.div_s (local.get $x) (local.get $y)))

  (func $sum (export "sum") (param $p i32) (param $n i32) (result i64)
    (local $s i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (i32.load offset=0 (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (global.set $g64 (i64.add (global.get $g64) (local.get $s)))
    (local.get $s))

  (func (export "floats") (param $x f64) (param $y f32) (result f64 i32)
    (local $r f64)
    (local.set $r (f64.add (f64.sqrt (f64.abs (local.get $x)))
                           (f64.promote_f32 (f32.mul (local.get $y) (global.get $gf32)))))
    (local.set $r (f64.max (local.get $r) (global.get $gf64)))
    (f64.nearest (local.get $r))
    (i32.trunc_sat_f64_s (local.get $r)))

  (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))

  (func (export "bulk") (param $n i32) (result i32)
    (memory.init $words (i32.const 64) (i32.const 0) (i32.const 8))
    (memory.copy (i32.const 128) (i32.const 64) (local.get $n))
    (memory.fill (i32.const 256) (i32.const 7) (local.get $n))
    (table.init $t $passive (i32.const 4) (i32.const 0) (i32.const 2))
    (table.set $x (i32.const 1) (ref.null extern))
    (drop (table.grow $t (global.get $gr) (i32.const 1)))
    (i32.add (memory.grow (i32.const 0)) (i32.load8_u (i32.const 130))))

  (func (export "simd") (param $p i32) (result i32)
    (local $v v128)
    (local.set $v (v128.load (local.get $p)))
    (local.set $v (i32x4.add (local.get $v) (global.get $gv)))
    (local.set $v (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
                    (local.get $v) (i16x8.splat (global.get $base))))
    (v128.store offset=32 (local.get $p) (f32x4.mul (local.get $v) (local.get $v)))
    (global.set $gv (local.get $v))
    (i32.add (i32x4.extract_lane 2 (local.get $v)) (i8x16.bitmask (local.get $v))))

  (func (export "refs") (result i32)
    (i32.add (ref.is_null (table.get $t (i32.const 7)))
             (ref.is_null (global.get $gr))))
)
