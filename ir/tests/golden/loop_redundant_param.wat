;; A local the loop sets to its own value gets a header parameter from the pre-scan, which
;; turns out redundant when the loop ends and is removed.
(module
  (func $f (param i32) (result i32)
    (local i32)
    i32.const 5
    local.set 1
    loop
      local.get 1
      local.set 1
      local.get 0
      i32.const 1
      i32.sub
      local.tee 0
      br_if 0
    end
    local.get 1))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 5
;;   jump block1(v0)
;; block1(v2:i32):
;;   v3:i32 = iconst 1
;;   v4:i32 = isub v2, v3
;;   branch v4, block2, block3
;; block2:
;;   jump block1(v4)
;; block3:
;;   return v1
;;
