;; A local that the loop updates but nobody reads afterwards: the header parameter is a
;; dead cycle (param -> add -> back edge) that DCE removes.
(module
  (func $f (param i32) (result i32)
    (local i32)
    loop
      local.get 1
      i32.const 3
      i32.add
      local.set 1
      local.get 0
      i32.const 1
      i32.sub
      local.tee 0
      br_if 0
    end
    local.get 0))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   jump block1(v0)
;; block1(v1:i32):
;;   v2:i32 = iconst 1
;;   v3:i32 = isub v1, v2
;;   branch v3, block2, block3
;; block2:
;;   jump block1(v3)
;; block3:
;;   return v3
;;
