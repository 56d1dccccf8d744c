;; i64.extend_i32_u on x86_64 reused the i32's register for the i64 result. Moves and
;; spill slots take the width of a register's type, so when that register was spilled (a
;; 4-byte store) and its value then went into an i64 block parameter (an 8-byte load, or the
;; same slot read as 8 bytes), the slot's stale upper half came along: $g returned
;; 0xffffffff0000003d instead of 61. $dirty leaves all-ones words where $g's frame goes.
;; Found by Sightglass rust-compression (a corrupt gzip checksum from miniz_oxide's
;; flush_block; the pinned-register change made the spill happen there).
(module
  ;; spills 16 i64 values with all upper bits set into its frame
  (func $dirty (param $x i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 1 (i64.add (local.get $x) (i64.const 1)))
    (local.set 2 (i64.add (local.get $x) (i64.const 2)))
    (local.set 3 (i64.add (local.get $x) (i64.const 3)))
    (local.set 4 (i64.add (local.get $x) (i64.const 4)))
    (local.set 5 (i64.add (local.get $x) (i64.const 5)))
    (local.set 6 (i64.add (local.get $x) (i64.const 6)))
    (local.set 7 (i64.add (local.get $x) (i64.const 7)))
    (local.set 8 (i64.add (local.get $x) (i64.const 8)))
    (local.set 9 (i64.add (local.get $x) (i64.const 9)))
    (local.set 10 (i64.add (local.get $x) (i64.const 10)))
    (local.set 11 (i64.add (local.get $x) (i64.const 11)))
    (local.set 12 (i64.add (local.get $x) (i64.const 12)))
    (local.set 13 (i64.add (local.get $x) (i64.const 13)))
    (local.set 14 (i64.add (local.get $x) (i64.const 14)))
    (local.set 15 (i64.add (local.get $x) (i64.const 15)))
    (local.set 16 (i64.add (local.get $x) (i64.const 16)))
    (call $nop)
    (i64.xor (local.get 1) (i64.xor (local.get 2) (i64.xor (local.get 3) (i64.xor (local.get 4)
    (i64.xor (local.get 5) (i64.xor (local.get 6) (i64.xor (local.get 7) (i64.xor (local.get 8)
    (i64.xor (local.get 9) (i64.xor (local.get 10) (i64.xor (local.get 11) (i64.xor (local.get 12)
    (i64.xor (local.get 13) (i64.xor (local.get 14) (i64.xor (local.get 15) (local.get 16)))))))))))))))))
  (func $nop)
  (func (export "run") (param i32 i32 i32 i32 i32 i32) (result i64)
    (drop (call $dirty (i64.const 0xffffffff00000000)))
    (call $g (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))
  (func $g (param i32 i32 i32 i32 i32 i32) (result i64)
    (local $acc i64) (local $i i32)
    (local.set $acc (i64.extend_i32_u (local.get 0)))
    (call $nop)
    (loop $l
      (call $nop)
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_u (i32.add (local.get 1) (i32.add (local.get 2)
          (i32.add (local.get 3) (i32.add (local.get 4) (local.get 5))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (local.get $acc))
)
(assert_return (invoke "run" (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)) (i64.const 61))
