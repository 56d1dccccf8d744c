/*
 * Trap delivery from hand-written machine code (testcode_<arch>.S) run on fibers with a bare
 * VmCtx: an undefined instruction, faulting loads in and at the far end of a memory's
 * reservation, the prologue stack check and the guard page in deep recursion, a divide
 * fault, backtraces with function names, traps on another thread and in nested fibers, and
 * faults outside wasm code passed on to the previously installed handler.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "runtime/runtime.h"
#include "tc_module.h"

/* Function indices in the trap module (tc_build_traps). */
enum { F_UNREACHABLE, F_RECURSE, F_RECURSE_NOCHECK, F_OUTER, F_MIDDLE, F_DIV, F_GET_MEM };

static RtEngine *engine;
static RtModule *traps_module;

typedef struct Call {
    int func;
    VmCtx *vmctx;
    uint32_t a, b;
    uint32_t result;
} Call;

static void *
code_of(int func)
{
    return traps_module->code + traps_module->cm->funcs[func].code_offset;
}

static void
call_on_fiber(void *arg)
{
    Call *c = arg;
    void *code = code_of(c->func);
    switch (c->func) {
    case F_DIV:
        c->result = ((uint32_t(*)(VmCtx *, uint32_t, uint32_t))(uintptr_t)code)(c->vmctx, c->a,
                                                                                 c->b);
        break;
    case F_GET_MEM:
        c->result = ((uint32_t(*)(VmCtx *, uint32_t))(uintptr_t)code)(c->vmctx, c->a);
        break;
    default:
        ((void (*)(VmCtx *))(uintptr_t)code)(c->vmctx);
        break;
    }
}

/* Runs function `func` on `f`; returns true if it returned normally. */
static bool
run(RtFiber *f, Call *c)
{
    struct VmCtx vm;
    memset(&vm, 0, sizeof vm);
    if (!c->vmctx)
        c->vmctx = &vm;
    c->vmctx->stack_limit = f->limit;
    bool ok = rt_fiber_run(f, call_on_fiber, c);
    if (c->vmctx == &vm)
        c->vmctx = NULL;
    return ok;
}

/* Expects the trap on `f` to have `kind`, and its backtrace the function names `names`
 * (innermost first; NULL-terminated; a trailing "*" allows more frames). */
static void
expect_trap(RtFiber *f, uint32_t kind, const char *const *names)
{
    CHECK_EQ(f->trap.kind, kind);
    RtTrap *t = rt_trap_from_record(&f->trap);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_STR(t->message, rt_trap_kind_message(kind));
    uint32_t i = 0;
    for (; names[i]; i++) {
        if (strcmp(names[i], "*") == 0)
            break;
        CHECK(i < t->nframes);
        if (i < t->nframes) {
            CHECK_STR(t->frames[i].func_name, names[i]);
            CHECK_STR(t->frames[i].module_name, "traps");
        }
    }
    if (!names[i])
        CHECK_EQ(t->nframes, i);
    rt_trap_free(t);
}

static void
test_unreachable_and_backtrace(RtFiber *f)
{
    Call c = {F_UNREACHABLE, NULL, 0, 0, 0};
    CHECK(!run(f, &c));
    CHECK_EQ(f->trap.signo, SIGILL);
    expect_trap(f, RT_TRAP_UNREACHABLE, (const char *const[]){"unreachable", NULL});
    /* The recorded pc is exactly the trap site. */
    uint32_t site = (uint32_t)(f->trap.pc - (uintptr_t)traps_module->code);
    CHECK_EQ(rt_module_trap_at(traps_module, site), RT_TRAP_UNREACHABLE);
    CHECK_EQ(rt_module_func_at(traps_module, site), F_UNREACHABLE);

    c = (Call){F_OUTER, NULL, 0, 0, 0};
    CHECK(!run(f, &c));
    CHECK_EQ(f->trap.nomitted, 0);
    expect_trap(f, RT_TRAP_UNREACHABLE,
                (const char *const[]){"unreachable", "middle", "outer", NULL});
}

static void
test_stack(RtFiber *f)
{
    /* The prologue check against VmCtx.stack_limit. */
    Call c = {F_RECURSE, NULL, 0, 0, 0};
    CHECK(!run(f, &c));
    CHECK_EQ(f->trap.signo, SIGILL);
    CHECK_EQ(f->trap.npcs, RT_MAX_FRAMES);  // deep: the backtrace is truncated
    CHECK(f->trap.nomitted > 1000);         // and counts the frames it left out
    RtTrap *t = rt_trap_from_record(&f->trap);
    CHECK(t != NULL);
    if (t)
        CHECK_EQ(t->nomitted, f->trap.nomitted);
    rt_trap_free(t);
    expect_trap(f, RT_TRAP_STACK_EXHAUSTED, (const char *const[]){"recurse", "recurse", "*"});
    /* No check: the guard page below the stack catches it. */
    c = (Call){F_RECURSE_NOCHECK, NULL, 0, 0, 0};
    CHECK(!run(f, &c));
    CHECK(f->trap.signo == SIGSEGV || f->trap.signo == SIGBUS);
    CHECK(f->trap.fault_addr < f->lo);
    CHECK_EQ(f->trap.npcs, RT_MAX_FRAMES);
    CHECK(f->trap.nomitted > 1000);  // the signal handler's walk counts them too
    expect_trap(f, RT_TRAP_STACK_EXHAUSTED, (const char *const[]){"recurse_nocheck", "*"});
    /* The fiber is fine afterwards. */
    c = (Call){F_DIV, NULL, 7, 2, 0};
    CHECK(run(f, &c));
    CHECK_EQ(c.result, 3);
}

static void
test_div(RtFiber *f)
{
    Call c = {F_DIV, NULL, (uint32_t)-9, 2, 0};
    CHECK(run(f, &c));
    CHECK_EQ((int32_t)c.result, -4);
    c = (Call){F_DIV, NULL, 5, 0, 0};
    CHECK(!run(f, &c));
#if defined(__x86_64__)
    CHECK_EQ(f->trap.signo, SIGFPE);
#else
    CHECK_EQ(f->trap.signo, SIGILL);
#endif
    expect_trap(f, RT_TRAP_INT_DIV_ZERO, (const char *const[]){"div", NULL});
}

static void
test_memory(RtFiber *f)
{
    RtMemory mem;
    RtError err;
    CHECK(rt_memory_init(&mem, engine, 1, true, 2, &err));
    struct VmCtx vm;
    memset(&vm, 0, sizeof vm);
    vm.mem0_base = mem.base;
    vm.mem0 = &mem;
    memcpy(mem.base + 65532, "\x11\x22\x33\x44", 4);

    Call c = {F_GET_MEM, &vm, 65532, 0, 0};
    CHECK(run(f, &c));
    CHECK_EQ(c.result, 0x44332211);
    /* One byte past the end, the last 32-bit address, and after growing. */
    static const uint32_t oob[] = {65533, 65536, 0x80000000u, 0xFFFFFFFFu};
    for (size_t i = 0; i < RT_ARRAY_LEN(oob); i++) {
        c = (Call){F_GET_MEM, &vm, oob[i], 0, 0};
        CHECK(!run(f, &c));
        CHECK(f->trap.fault_addr >= (uintptr_t)mem.base + 65536 &&
              f->trap.fault_addr < (uintptr_t)mem.base + RT_MEMORY_RESERVATION);
        expect_trap(f, RT_TRAP_MEMORY_OOB, (const char *const[]){"get_mem", NULL});
    }
    CHECK_EQ(rt_memory_grow(&mem, 1), 1);
    c = (Call){F_GET_MEM, &vm, 65536, 0, 0};
    CHECK(run(f, &c));
    CHECK_EQ(c.result, 0);
    c = (Call){F_GET_MEM, &vm, 2 * 65536 - 3, 0, 0};
    CHECK(!run(f, &c));
    CHECK_EQ(f->trap.kind, RT_TRAP_MEMORY_OOB);
    rt_memory_fini(&mem);
}

/* A fiber that traps inside another fiber: only the inner run fails. */
typedef struct Nested {
    RtFiber *inner;
    bool inner_ok;
    uint32_t inner_kind;
    bool outer_done;
} Nested;

static void
nested_outer(void *arg)
{
    Nested *n = arg;
    Call c = {F_OUTER, NULL, 0, 0, 0};
    n->inner_ok = run(n->inner, &c);
    n->inner_kind = n->inner->trap.kind;
    n->outer_done = true;
}

static void
test_nested(RtFiber *f)
{
    Nested n = {rt_fiber_new(64 * 1024), true, 0, false};
    CHECK(rt_fiber_run(f, nested_outer, &n));
    CHECK(!n.inner_ok);
    CHECK_EQ(n.inner_kind, RT_TRAP_UNREACHABLE);
    CHECK(n.outer_done);
    rt_fiber_free(n.inner);
}

static void *
thread_main(void *arg)
{
    int *ok = arg;
    if (!rt_thread_prepare())
        return NULL;
    RtFiber *f = rt_fiber_new(256 * 1024);
    int good = 0;
    for (int i = 0; i < 100; i++) {
        Call c = {i % 2 ? F_OUTER : F_RECURSE_NOCHECK, NULL, 0, 0, 0};
        good += !run(f, &c) && f->trap.kind == (uint32_t)(i % 2 ? RT_TRAP_UNREACHABLE
                                                                 : RT_TRAP_STACK_EXHAUSTED);
    }
    rt_fiber_free(f);
    *ok = good;
    return NULL;
}

static void
test_thread(void)
{
    pthread_t th;
    int good = 0;
    CHECK(pthread_create(&th, NULL, thread_main, &good) == 0);
    pthread_join(th, NULL);
    CHECK_EQ(good, 100);
}

/* ---- Faults outside wasm code go to the handler installed before ours ------------------- */

static volatile sig_atomic_t chained;

static void
earlier_handler(int sig)
{
    (void)sig;
    if (chained)
        _exit(42);
    _exit(43);
}

static void
c_fault(void *arg)
{
    volatile int *bad = arg;  // an address in an inaccessible page
    *bad = 1;
}

static int
child_status(bool on_fiber)
{
    /* An inaccessible page that stays mapped (so no later mmap can reuse its address). */
    size_t page = rt_page_size();
    void *hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        chained = 1;
        if (on_fiber) {
            RtFiber *f = rt_fiber_new(64 * 1024);
            rt_fiber_run(f, c_fault, hole);
        } else {
            c_fault(hole);
        }
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    munmap(hole, page);
    return status;
}

static void
test_forwarding(void)
{
    int st = child_status(true);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
    st = child_status(false);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
}

int
main(void)
{
    /* A handler that exists before the runtime's: faults that are not wasm traps must
     * still reach it. */
    signal(SIGSEGV, earlier_handler);
    RtError err;
    engine = rt_engine_new(NULL, &err);
    CHECK(engine != NULL);
    if (!engine)
        return check_exit();
    CHECK(rt_thread_prepare());
    CHECK(rt_module_load(engine, tc_build_traps(), &traps_module, &err));
    if (!traps_module) {
        fprintf(stderr, "load: %s\n", err.message);
        return check_exit();
    }
    RtFiber *f = rt_fiber_new(512 * 1024);
    test_unreachable_and_backtrace(f);
    test_stack(f);
    test_div(f);
    test_memory(f);
    test_nested(f);
    test_thread();
    test_forwarding();
    /* Many traps in a row on one fiber. */
    int good = 0;
    for (int i = 0; i < 2000; i++) {
        Call c = {F_OUTER, NULL, 0, 0, 0};
        good += !run(f, &c) && f->trap.kind == RT_TRAP_UNREACHABLE;
    }
    CHECK_EQ(good, 2000);
    rt_fiber_free(f);
    rt_module_release(traps_module);
    rt_engine_free(engine);
    return check_exit();
}
