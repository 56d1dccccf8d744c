;; Globals by index: get (removable if unused), set.
(module
  (import "env" "g" (global $imp i64))
  (global $counter (mut i32) (i32.const 0))
  (global $k f32 (f32.const 1.5))
  (func $f (result i64)
    global.get $counter
    i32.const 1
    i32.add
    global.set $counter
    global.get $k
    drop
    global.get $imp))
;; ---- expected IR (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----
;; function f0 "f": () -> (i64)
;; block0:
;;   v0:i32 = global_get g1
;;   v1:i32 = iconst 1
;;   v2:i32 = iadd v0, v1
;;   global_set g1, v2
;;   v3:i64 = global_get g0
;;   return v3
;;
