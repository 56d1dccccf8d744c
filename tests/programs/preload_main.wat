;; Imports from the preloaded "lib" module (preload_lib.wat).
(module
  (import "lib" "twice" (func $twice (param i32) (result i32)))
  (import "lib" "calls" (func $calls (result i32)))
  (func (export "run") (param i32) (result i32 i32)
    (call $twice (call $twice (local.get 0)))
    (call $calls)))
