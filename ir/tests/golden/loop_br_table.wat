;; An interpreter-style loop: br_table dispatch inside a loop that carries a state local;
;; branches back to the loop go through edge blocks that pass the header parameters.
(module
  (func $run (param i32) (result i32)
    (local $acc i32)
    loop $next
      block $halt
        block $dec
          block $inc
            local.get 0
            i32.const 3
            i32.and
            br_table $inc $dec $next $halt
          end
          local.get $acc
          i32.const 1
          i32.add
          local.set $acc
          local.get 0
          i32.const 1
          i32.shr_u
          local.set 0
          br $next
        end
        local.get $acc
        i32.const 1
        i32.sub
        local.set $acc
        local.get 0
        i32.const 2
        i32.shr_u
        local.set 0
        br $next
      end
    end
    local.get $acc))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "run": (i32) -> (i32)
;; block0(v0:i32):
;;   v1:i32 = iconst 0
;;   jump block1(v1, v0)
;; block1(v2:i32, v3:i32):
;;   v4:i32 = iconst 3
;;   v5:i32 = iand v3, v4
;;   br_table v5, [block2, block3, block4], block5
;; block2:
;;   v6:i32 = iconst 1
;;   v7:i32 = iadd v2, v6
;;   v8:i32 = ishr_u v3, v6
;;   jump block1(v7, v8)
;; block3:
;;   v9:i32 = iconst 1
;;   v10:i32 = isub v2, v9
;;   v11:i32 = iconst 2
;;   v12:i32 = ishr_u v3, v11
;;   jump block1(v10, v12)
;; block4:
;;   jump block1(v2, v3)
;; block5:
;;   return v2
;;
