;; Nothing after br, return or unreachable is translated, including nested constructs.
(module
  (func $f (param i32) (result i32)
    block
      local.get 0
      br_if 0
      unreachable
      local.get 0
      i32.const 1
      i32.add
      drop
      loop
        br 0
      end
    end
    block (result i32)
      local.get 0
      return
      i32.const 5
      if
        nop
      end
    end))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   branch v0, block1, block2
;; block1:
;;   return v0
;; block2:
;;   trap unreachable
;;
