/*
 * Traps: each mode ends the program with a different wasm trap several calls deep, so that
 * `skua run` must print "error: wasm trap: <kind>" and a backtrace naming the functions
 * (from the module's name section), innermost first, and exit 134. Output written before
 * the trap must still appear.
 *
 *   trap div       integer divide by zero   (divide <- compute_ratio <- main)
 *   trap abort     unreachable              (abort <- fail_hard <- main)
 *   trap oob       out of bounds memory access (poke <- main)
 *   trap stack     call stack exhausted     (recurse <- recurse <- ...)
 *   trap indirect  uninitialized element    (call_through <- main)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile int zero = 0;
volatile unsigned huge = 0xFFFFFFF0u;

__attribute__((noinline)) int
divide(int a, int b)
{
    return a / b;
}

__attribute__((noinline)) int
compute_ratio(int x)
{
    return divide(x * 3, zero) + 1;
}

__attribute__((noinline)) void
fail_hard(const char *why)
{
    fprintf(stdout, "failing: %s\n", why);
    fflush(stdout);
    abort();
}

__attribute__((noinline)) void
poke(unsigned addr)
{
    *(volatile int *)(unsigned long)addr = 1;
}

volatile int depth_sink;

/* Recursion on the wasm stack (no address-taken locals, so nothing on wasi-libc's stack in
 * linear memory) and not a tail call, so it cannot become a loop. */
__attribute__((noinline)) int
recurse(int n)
{
    depth_sink = n;
    if (n < 0)
        return 0;
    return recurse(n + 1) * 3 + n;
}

typedef int (*Fn)(int);
volatile Fn null_fn = 0;

__attribute__((noinline)) int
call_through(Fn f, int v)
{
    return f(v) + 1;
}

int
main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    printf("mode %s\n", mode);
    fflush(stdout);
    if (!strcmp(mode, "div"))
        return compute_ratio(7);
    if (!strcmp(mode, "abort"))
        fail_hard("on purpose");
    if (!strcmp(mode, "oob"))
        poke(huge);
    if (!strcmp(mode, "stack"))
        return recurse(0);
    if (!strcmp(mode, "indirect"))
        return call_through(null_fn, 1);
    puts("no trap");
    return 0;
}
