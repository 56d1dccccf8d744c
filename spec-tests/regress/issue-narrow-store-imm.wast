;; A narrow store (i32.store8/16, i64.store8/16/32) of a constant whose value does not fit the
;; store's width: x86_64 isel folds the constant into a store-immediate (X64I_STORE_I) and
;; the emitter passed the whole value to x64_encode_mov_mi, whose range assertion stopped
;; the compiler ("assertion failed: imm >= INT8_MIN && imm <= UINT8_MAX"). A narrow store
;; writes the value's low bytes. Found by the differential fuzzer (tests/difffuzz, seed 3).
(module
  (memory 1)
  (func (export "store") (result i64)
    (i32.store8 (i32.const 0) (i32.const 0x400001))
    (i32.store8 (i32.const 1) (i32.const -129))
    (i32.store16 (i32.const 2) (i32.const 0x12345678))
    (i64.store8 (i32.const 4) (i64.const 0x1ff))
    (i64.store16 (i32.const 5) (i64.const -0x10000))
    (i64.store32 (i32.const 8) (i64.const 0x123456789))
    (i64.store32 (i32.const 12) (i64.const -0x100000000))
    (i64.load (i32.const 0)))
  (func (export "high") (result i64) (i64.load (i32.const 8))))
(assert_return (invoke "store") (i64.const 0x0000_00ff_5678_7f01))
(assert_return (invoke "high") (i64.const 0x0000_0000_2345_6789))
