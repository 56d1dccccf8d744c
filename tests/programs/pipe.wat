;; Writes to stdout until fd_write fails, then exits with the WASI errno. With stdout a pipe
;; whose reader has gone, skua must ignore SIGPIPE and hand the guest EPIPE (64).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\00\10\00\00")  ;; iovec {16, 4096}
  (func (export "_start")
    (local $err i32) (local $i i32)
    (loop $again
      (local.set $err (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.and (i32.eqz (local.get $err)) (i32.lt_u (local.get $i) (i32.const 100000)))))
    (call $proc_exit (local.get $err))))
