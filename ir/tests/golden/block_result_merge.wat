;; Nested blocks with results from branches at several depths; a block nobody branches
;; to needs no new block at all.
(module
  (func $f (param i32 i32) (result i32)
    block $outer (result i32)
      block $inner (result i32)
        local.get 0
        local.get 1
        br_if $outer
        i32.const 5
        local.get 1
        br_if $inner
        drop
        drop
        block (result i32)
          local.get 0
          i32.const 6
          i32.add
        end
      end
      i32.const 1
      i32.add
    end))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32) -> (i32)
;; block0(v0:i32, v1:i32):
;;   branch v1, block1, block2
;; block1:
;;   jump block6(v0)
;; block2:
;;   v2:i32 = iconst 5
;;   branch v1, block3, block4
;; block3:
;;   jump block5(v2)
;; block4:
;;   v3:i32 = iconst 6
;;   v4:i32 = iadd v0, v3
;;   jump block5(v4)
;; block5(v5:i32):
;;   v6:i32 = iconst 1
;;   v7:i32 = iadd v5, v6
;;   jump block6(v7)
;; block6(v8:i32):
;;   return v8
;;
