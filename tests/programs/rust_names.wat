;; Backtraces of a Rust-like program (test_cli.py): functions named as rustc's legacy mangling
;; names them, a trap under a recursion of a given depth, and unbounded recursion.
(module
  ;; core::panicking::panic: recurses `depth` times, then traps.
  (func $_ZN4core9panicking5panic17h0123456789abcdefE (param $depth i32)
    local.get $depth
    if
      local.get $depth
      i32.const 1
      i32.sub
      call $_ZN4core9panicking5panic17h0123456789abcdefE
    else
      unreachable
    end)
  ;; <alloc::vec::Vec<T> as Drop>::drop, with the escapes $LT$ $GT$ $u20$ and ".." for "::".
  (func $_ZN49_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$Drop$GT$4drop17h00112233aabbccddE
        (param i32)
    local.get 0
    call $_ZN4core9panicking5panic17h0123456789abcdefE)
  ;; Frames in all: depth + 1 (panic) + 1 (drop) + 1 (this one).
  (func (export "trap_at_depth") (param i32)
    local.get 0
    call $_ZN49_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$Drop$GT$4drop17h00112233aabbccddE)
  ;; A Rust v0 name, which is not demangled: printed as it is.
  (func $_RNvCs1234_7mycrate3foo (export "v0")
    unreachable)
  (func $_ZN4core3fmt5write17hffffffffffffffffE (export "forever")
    call $_ZN4core3fmt5write17hffffffffffffffffE))
