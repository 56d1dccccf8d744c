;; A switch: br_table to nested blocks; each case assigns a local, merged at the end.
(module
  (func $sw (param i32) (result i32)
    (local i32)
    block $done
      block $c2
        block $c1
          block $c0
            local.get 0
            br_table $c0 $c1 $c2 $c1
          end
          i32.const 10
          local.set 1
          br $done
        end
        i32.const 20
        local.set 1
        br $done
      end
      i32.const 30
      local.set 1
    end
    local.get 1))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "sw": (i32) -> (i32)
;; block0(v0:i32):
;;   br_table v0, [block1, block3, block2], block3
;; block1:
;;   v1:i32 = iconst 10
;;   jump block4(v1)
;; block2:
;;   v2:i32 = iconst 30
;;   jump block4(v2)
;; block3:
;;   v3:i32 = iconst 20
;;   jump block4(v3)
;; block4(v4:i32):
;;   return v4
;;
