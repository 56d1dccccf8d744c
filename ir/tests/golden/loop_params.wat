;; A loop with block-type parameters (multi-value): they become header parameters, and
;; back edges pass new values for them.
(module
  (func $fib (param $n i32) (result i32)
    (local $a i32) (local $b i32)
    i32.const 0
    i32.const 1
    loop $l (param i32 i32) (result i32)
      local.set $b
      local.set $a
      local.get $n
      i32.eqz
      if (result i32)
        local.get $a
      else
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        local.get $b
        local.get $a
        local.get $b
        i32.add
        br $l
      end
    end))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "fib": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 0
;;   v2:i32 = iconst 1
;;   jump block1(v1, v2, v0)
;; block1(v3:i32, v4:i32, v5:i32):
;;   v6:i32 = ieqz v5
;;   branch v6, block2, block3
;; block2:
;;   return v3
;; block3:
;;   v7:i32 = iconst 1
;;   v8:i32 = isub v5, v7
;;   v9:i32 = iadd v3, v4
;;   jump block1(v4, v9, v8)
;;
