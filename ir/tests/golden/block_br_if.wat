;; br_if out of a block with a value: the branch goes through an edge block whose JUMP
;; passes the value (only JUMP carries arguments).
(module
  (func $f (param i32 i32) (result i32)
    block (result i32)
      local.get 0
      local.get 1
      br_if 0
      drop
      local.get 1
      i32.const 1
      i32.add
    end))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32) -> (i32)
;; block0(v0:i32, v1:i32):
;;   branch v1, block1, block2
;; block1:
;;   jump block3(v0)
;; block2:
;;   v2:i32 = iconst 1
;;   v3:i32 = iadd v1, v2
;;   jump block3(v3)
;; block3(v4:i32):
;;   return v4
;;
