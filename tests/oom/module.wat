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

  ;; 81 locals and 24 nested blocks and loops: the per-local, per-frame and stack arrays of the
  ;; translator and the code generator grow past their first capacity.
  (func (export "wide") (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (block $l0
      (local.set 1 (i32.add (local.get 0) (local.get 2)))
      (local.set 41 (i64.extend_i32_u (local.get 1)))
      (br_if $l0 (i32.eqz (local.get 1)))
      (loop $l1
        (local.set 2 (i32.add (local.get 1) (local.get 3)))
        (local.set 42 (i64.extend_i32_u (local.get 2)))
        (br_if $l1 (i32.eqz (local.get 2)))
        (block $l2
          (local.set 3 (i32.add (local.get 2) (local.get 4)))
          (local.set 43 (i64.extend_i32_u (local.get 3)))
          (br_if $l2 (i32.eqz (local.get 3)))
          (block $l3
            (local.set 4 (i32.add (local.get 3) (local.get 5)))
            (local.set 44 (i64.extend_i32_u (local.get 4)))
            (br_if $l3 (i32.eqz (local.get 4)))
            (loop $l4
              (local.set 5 (i32.add (local.get 4) (local.get 6)))
              (local.set 45 (i64.extend_i32_u (local.get 5)))
              (br_if $l4 (i32.eqz (local.get 5)))
              (block $l5
                (local.set 6 (i32.add (local.get 5) (local.get 7)))
                (local.set 46 (i64.extend_i32_u (local.get 6)))
                (br_if $l5 (i32.eqz (local.get 6)))
                (block $l6
                  (local.set 7 (i32.add (local.get 6) (local.get 8)))
                  (local.set 47 (i64.extend_i32_u (local.get 7)))
                  (br_if $l6 (i32.eqz (local.get 7)))
                  (loop $l7
                    (local.set 8 (i32.add (local.get 7) (local.get 9)))
                    (local.set 48 (i64.extend_i32_u (local.get 8)))
                    (br_if $l7 (i32.eqz (local.get 8)))
                    (block $l8
                      (local.set 9 (i32.add (local.get 8) (local.get 10)))
                      (local.set 49 (i64.extend_i32_u (local.get 9)))
                      (br_if $l8 (i32.eqz (local.get 9)))
                      (block $l9
                        (local.set 10 (i32.add (local.get 9) (local.get 11)))
                        (local.set 50 (i64.extend_i32_u (local.get 10)))
                        (br_if $l9 (i32.eqz (local.get 10)))
                        (loop $l10
                          (local.set 11 (i32.add (local.get 10) (local.get 12)))
                          (local.set 51 (i64.extend_i32_u (local.get 11)))
                          (br_if $l10 (i32.eqz (local.get 11)))
                          (block $l11
                            (local.set 12 (i32.add (local.get 11) (local.get 13)))
                            (local.set 52 (i64.extend_i32_u (local.get 12)))
                            (br_if $l11 (i32.eqz (local.get 12)))
                            (block $l12
                              (local.set 13 (i32.add (local.get 12) (local.get 14)))
                              (local.set 53 (i64.extend_i32_u (local.get 13)))
                              (br_if $l12 (i32.eqz (local.get 13)))
                              (loop $l13
                                (local.set 14 (i32.add (local.get 13) (local.get 15)))
                                (local.set 54 (i64.extend_i32_u (local.get 14)))
                                (br_if $l13 (i32.eqz (local.get 14)))
                                (block $l14
                                  (local.set 15 (i32.add (local.get 14) (local.get 16)))
                                  (local.set 55 (i64.extend_i32_u (local.get 15)))
                                  (br_if $l14 (i32.eqz (local.get 15)))
                                  (block $l15
                                    (local.set 16 (i32.add (local.get 15) (local.get 17)))
                                    (local.set 56 (i64.extend_i32_u (local.get 16)))
                                    (br_if $l15 (i32.eqz (local.get 16)))
                                    (loop $l16
                                      (local.set 17 (i32.add (local.get 16) (local.get 18)))
                                      (local.set 57 (i64.extend_i32_u (local.get 17)))
                                      (br_if $l16 (i32.eqz (local.get 17)))
                                      (block $l17
                                        (local.set 18 (i32.add (local.get 17) (local.get 19)))
                                        (local.set 58 (i64.extend_i32_u (local.get 18)))
                                        (br_if $l17 (i32.eqz (local.get 18)))
                                        (block $l18
                                          (local.set 19 (i32.add (local.get 18) (local.get 20)))
                                          (local.set 59 (i64.extend_i32_u (local.get 19)))
                                          (br_if $l18 (i32.eqz (local.get 19)))
                                          (loop $l19
                                            (local.set 20 (i32.add (local.get 19) (local.get 21)))
                                            (local.set 60 (i64.extend_i32_u (local.get 20)))
                                            (br_if $l19 (i32.eqz (local.get 20)))
                                            (block $l20
                                              (local.set 21 (i32.add (local.get 20) (local.get 22)))
                                              (local.set 61 (i64.extend_i32_u (local.get 21)))
                                              (br_if $l20 (i32.eqz (local.get 21)))
                                              (block $l21
                                                (local.set 22 (i32.add (local.get 21) (local.get 23)))
                                                (local.set 62 (i64.extend_i32_u (local.get 22)))
                                                (br_if $l21 (i32.eqz (local.get 22)))
                                                (loop $l22
                                                  (local.set 23 (i32.add (local.get 22) (local.get 24)))
                                                  (local.set 63 (i64.extend_i32_u (local.get 23)))
                                                  (br_if $l22 (i32.eqz (local.get 23)))
                                                  (block $l23
                                                    (local.set 24 (i32.add (local.get 23) (local.get 25)))
                                                    (local.set 64 (i64.extend_i32_u (local.get 24)))
                                                    (br_if $l23 (i32.eqz (local.get 24)))
                                                    (local.set 0 (i32.wrap_i64 (i64.add (local.get 60) (local.get 79))))
    ))))))))))))))))))))))))
    (local.get 0))
)
