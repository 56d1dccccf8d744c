;; The fallback "bench" module for `skua run --preload bench=...` when the timer module
;; (bench_timer.wat) cannot be linked: bench.start and bench.end do nothing, so only the
;; whole process is timed.
(module
  (func (export "start"))
  (func (export "end")))
