;; br_table carrying a value: labels that need arguments get edge blocks; the function
;; label returns directly; the same label twice shares one edge.
(module
  (func $f (param i32 i32) (result i32)
    block $a (result i32)
      block $b (result i32)
        local.get 1
        local.get 0
        br_table $a $b $a 2
      end
      i32.const 100
      i32.add
    end))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32) -> (i32)
;; block0(v0:i32, v1:i32):
;;   br_table v0, [block2, block1, block2], block4
;; block1:
;;   v2:i32 = iconst 100
;;   v3:i32 = iadd v1, v2
;;   jump block3(v3)
;; block2:
;;   jump block3(v1)
;; block3(v4:i32):
;;   return v4
;; block4:
;;   return v1
;;
