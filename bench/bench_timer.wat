;; The "bench" module that bench/run.py preloads into `skua run` (--preload bench=...):
;; the Sightglass programs import bench.start and bench.end around their measured part.
;; start reads the monotonic clock through WASI; end reads it again and appends one
;; marker to stderr, "[skua-bench-ns N]\n" with N the elapsed nanoseconds, which run.py
;; takes out of stderr (summing the markers) before comparing it with the expected one.
;; An end without a start writes nothing. Needs WASI imports in preloaded modules, as
;; wasmtime gives them; bench_noop.wat is the fallback without. The memory is exported
;; as "memory" because WASI hosts (wasmtime) find the caller's memory by that name.
(module
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  ;; 0..7: clock result; 8..11: bytes written; 16..31: two iovecs;
  ;; 64..78: the marker's prefix; digits end at 119; 120..121: "]\n".
  (memory (export "memory") 1)
  (data (i32.const 64) "[skua-bench-ns ")
  (data (i32.const 120) "]\n")
  (global $started (mut i64) (i64.const 0))

  (func $now (result i64)
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 0)))
    (i64.load (i32.const 0)))

  (func (export "start")
    (global.set $started (call $now)))

  (func (export "end")
    (local $d i64) (local $p i32)
    (if (i64.eqz (global.get $started)) (then (return)))
    (local.set $d (i64.sub (call $now) (global.get $started)))
    (global.set $started (i64.const 0))
    ;; decimal digits of $d, written backwards from 119
    (local.set $p (i32.const 120))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p)
        (i64.add (i64.const 48) (i64.rem_u (local.get $d) (i64.const 10))))
      (local.set $d (i64.div_u (local.get $d) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $d) (i64.const 0))))
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 15))
    (i32.store (i32.const 24) (local.get $p))
    (i32.store (i32.const 28) (i32.sub (i32.const 122) (local.get $p)))
    (drop (call $fd_write (i32.const 2) (i32.const 16) (i32.const 2) (i32.const 8)))))
