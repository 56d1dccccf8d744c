;; Identities: x+0, x*1, x&-1, x|0, x^0, x<<0 and x<<32 (i32) are x; x*0 and x&0 are 0;
;; x-x and x^x are 0; a shift by 33 becomes a shift by 1; constants go second.
(module
  (func $f (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.add
    i32.const 1
    i32.mul
    i32.const -1
    i32.and
    i32.const 0
    i32.or
    i32.const 0
    i32.xor
    i32.const 32
    i32.shl
    i32.const 33
    i32.shr_u
    i32.const 5
    local.get 0
    i32.add
    i32.add
    local.get 0
    local.get 0
    i32.sub
    i32.add
    local.get 0
    i32.const 0
    i32.mul
    i32.add))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 1
;;   v2:i32 = ishr_u v0, v1
;;   v3:i32 = iconst 5
;;   v4:i32 = iadd v0, v3
;;   v5:i32 = iadd v2, v4
;;   return v5
;;
