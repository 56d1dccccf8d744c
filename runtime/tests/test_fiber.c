/*
 * Fiber tests: a function runs on the fiber's stack with the ABI's alignment, fibers nest,
 * an abandoned fiber returns false and is reusable, the frame-pointer chain ends at the
 * fiber's base, the guard page below the stack faults, and a switch preserves every
 * callee-saved register (checked by a hand-written assembly helper).
 */
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "runtime/runtime.h"

uint64_t test_switch_preserves(void **save_sp, void *to_sp);

typedef struct Probe {
    RtFiber *fiber;
    uintptr_t local_addr;
    bool aligned;
    bool on_fiber;
    int value;
    int nested_value;
    bool nested_current_ok;
    uint32_t frames_to_base;
    bool chain_in_stack;
    int round_mode;
    char formatted[64];
} Probe;

static void
basic_fn(void *arg)
{
    Probe *p = arg;
    _Alignas(16) volatile char buf[32];
    buf[0] = 1;
    p->local_addr = (uintptr_t)&buf[0];
    p->aligned = ((uintptr_t)&buf[0] & 15) == 0;
    p->on_fiber = rt_fiber_current() == p->fiber;
    p->value = 42;
    p->round_mode = fegetround();
    /* Variadic double formatting uses aligned SSE stores on x86_64: a misaligned stack
     * would crash here. */
    snprintf(p->formatted, sizeof p->formatted, "%.3f", 2.5 * p->value);
}

static void
inner_fn(void *arg)
{
    Probe *p = arg;
    p->nested_value = 7;
}

static void
outer_fn(void *arg)
{
    Probe *p = arg;
    RtFiber *inner = rt_fiber_new(64 * 1024);
    if (!inner)
        return;
    bool ok = rt_fiber_run(inner, inner_fn, p);
    p->nested_current_ok = ok && rt_fiber_current() == p->fiber;
    rt_fiber_free(inner);
    p->value = 9;
}

static RT_NOINLINE int
recurse_then_abandon(int depth)
{
    volatile char pad[256];
    pad[0] = (char)depth;
    if (depth > 0)
        return recurse_then_abandon(depth - 1) + pad[0];
    void (*volatile leave)(void) = rt_fiber_abandon;  // opaque to -Winfinite-recursion
    leave();
    return 0;
}

static void
abandon_fn(void *arg)
{
    Probe *p = arg;
    p->value = 1;
    fesetround(FE_UPWARD);  // state the abandoned fiber leaves behind must not leak
    recurse_then_abandon(100);
    p->value = 2;  // never reached
}

/* Walks the frame-record chain from this function up to the fiber's base. */
static RT_NOINLINE void
walk_fn(void *arg)
{
    Probe *p = arg;
    RtFiber *f = p->fiber;
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    p->chain_in_stack = true;
    p->frames_to_base = 0;
    while (fp != 0 && p->frames_to_base < 100) {
        if (fp < f->lo || fp + 16 > f->hi) {
            p->chain_in_stack = false;
            break;
        }
        fp = ((uintptr_t *)fp)[0];
        p->frames_to_base++;
    }
}

static void
test_basic(void)
{
    Probe p = {0};
    p.fiber = rt_fiber_new(256 * 1024);
    CHECK(p.fiber != NULL);
    if (!p.fiber)
        return;
    CHECK(p.fiber->limit == p.fiber->lo + RT_STACK_RESERVE);
    CHECK(p.fiber->hi - p.fiber->limit >= 256 * 1024);
    CHECK(rt_fiber_current() == NULL);
    CHECK(rt_fiber_run(p.fiber, basic_fn, &p));
    CHECK_EQ(p.value, 42);
    CHECK(p.on_fiber);
    CHECK(p.aligned);
    CHECK(p.local_addr >= p.fiber->lo && p.local_addr < p.fiber->hi);
    CHECK_STR(p.formatted, "105.000");
    CHECK_EQ(p.round_mode, FE_TONEAREST);
    CHECK(rt_fiber_current() == NULL);

    /* Nesting: a fiber runs a fiber and gets control back as the current fiber. */
    p.value = 0;
    CHECK(rt_fiber_run(p.fiber, outer_fn, &p));
    CHECK_EQ(p.value, 9);
    CHECK_EQ(p.nested_value, 7);
    CHECK(p.nested_current_ok);

    /* Abandonment from deep inside, then reuse of the same fiber. */
    p.value = 0;
    CHECK(!rt_fiber_run(p.fiber, abandon_fn, &p));
    CHECK_EQ(p.value, 1);
    CHECK(p.fiber->abandoned);
    CHECK(rt_fiber_current() == NULL);
    CHECK_EQ(fegetround(), FE_TONEAREST);
    p.value = 0;
    CHECK(rt_fiber_run(p.fiber, basic_fn, &p));
    CHECK_EQ(p.value, 42);
    CHECK_EQ(p.round_mode, FE_TONEAREST);

    /* The frame chain stays on the fiber and ends at its base within a few frames. */
    CHECK(rt_fiber_run(p.fiber, walk_fn, &p));
    CHECK(p.chain_in_stack);
    CHECK(p.frames_to_base >= 1 && p.frames_to_base <= 4);

    /* Many runs reuse the one stack. */
    int ok = 0;
    for (int i = 0; i < 10000; i++)
        ok += rt_fiber_run(p.fiber, inner_fn, &p);
    CHECK_EQ(ok, 10000);
    rt_fiber_free(p.fiber);
}

/* The page just below the usable stack is a guard: touching it kills the process. */
static void
test_guard(void)
{
    RtFiber *f = rt_fiber_new(64 * 1024);
    CHECK(f != NULL);
    if (!f)
        return;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        volatile char *guard = (volatile char *)(f->lo - 1);
        *guard = 1;
        _exit(0);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    if (WIFSIGNALED(status))
        CHECK(WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS);
    /* The top of the stack is writable. */
    ((volatile char *)f->hi)[-1] = 1;
    rt_fiber_free(f);
}

#if !RT_ASAN
static void
regs_fn(void *arg)
{
    Probe *p = arg;
    p->value = 5;
    p->round_mode = fegetround();
}
#endif

/* A raw switch into a fresh fiber and back restores every callee-saved register. */
static void
test_registers(void)
{
#if RT_ASAN
    /* The raw switch bypasses rt_fiber_run's ASan annotations. */
    return;
#else
    Probe p = {0};
    RtFiber *f = rt_fiber_new(64 * 1024);
    CHECK(f != NULL);
    if (!f)
        return;
    f->fn = regs_fn;
    f->arg = &p;
    void *sp = rt_fiber_init_stack(f->hi, f);
    uint64_t lost = test_switch_preserves(&f->parent_sp, sp);
    CHECK_EQ(lost, 0);
    CHECK_EQ(p.value, 5);
    CHECK_EQ(p.round_mode, FE_TONEAREST);  // the fiber starts with default FP state
    rt_fiber_free(f);
#endif
}

int
main(void)
{
    test_basic();
    test_guard();
    test_registers();
    return check_exit();
}
