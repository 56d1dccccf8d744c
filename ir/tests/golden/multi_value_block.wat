;; A block with two results, left early by br_if and by fallthrough.
(module
  (func $f (param i32 i32) (result i32 i32)
    block (result i32 i32)
      local.get 0
      local.get 1
      local.get 0
      br_if 0
      drop
      drop
      local.get 1
      local.get 0
    end))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32, i32) -> (i32, i32)
;; block0(v0:i32, v1:i32):
;;   branch v0, block1, block2
;; block1:
;;   jump block3(v0, v1)
;; block2:
;;   jump block3(v1, v0)
;; block3(v2:i32, v3:i32):
;;   return v2, v3
;;
