;; Two nested loops: the inner loop's header passes the outer accumulator around.
(module
  (func $f (param i32) (result i32)
    (local i32 i32 i32)
    loop $outer
      i32.const 0
      local.set 2
      loop $inner
        local.get 3
        local.get 2
        i32.add
        local.set 3
        local.get 2
        i32.const 1
        i32.add
        local.tee 2
        local.get 0
        i32.lt_u
        br_if $inner
      end
      local.get 1
      i32.const 1
      i32.add
      local.tee 1
      local.get 0
      i32.lt_u
      br_if $outer
    end
    local.get 3))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 0
;;   jump block1(v1, v1)
;; block1(v2:i32, v3:i32):
;;   v4:i32 = iconst 0
;;   jump block2(v2, v4)
;; block2(v5:i32, v6:i32):
;;   v7:i32 = iadd v5, v6
;;   v8:i32 = iconst 1
;;   v9:i32 = iadd v6, v8
;;   v10:i32 = icmp lt_u v9, v0
;;   branch v10, block3, block4
;; block3:
;;   jump block2(v7, v9)
;; block4:
;;   v11:i32 = iconst 1
;;   v12:i32 = iadd v3, v11
;;   v13:i32 = icmp lt_u v12, v0
;;   branch v13, block5, block6
;; block5:
;;   jump block1(v7, v12)
;; block6:
;;   return v7
;;
