/*
 * Trap delivery by signals: the process-wide code registry, the SIGSEGV/SIGBUS/SIGILL/SIGFPE
 * handler and the per-thread alternate signal stack.
 *
 * When wasm code faults, the handler (running on the alternate stack, so a stack overflow is
 * survivable) maps the pc through the registry to a loaded module and through its trap table
 * to a trap kind, records the kind and the wasm backtrace in the current fiber, and rewrites
 * the interrupted context so that returning from the handler resumes in trap_landing() on the
 * top of the fiber's stack, which abandons the fiber (rt_fiber_abandon) and so returns to the
 * embedder's rt_fiber_run. Returning through sigreturn, not longjmp, restores the signal mask.
 * Faults anywhere else are passed on to the handler installed before ours (or the default).
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "runtime/runtime.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

/* ---- Code registry ------------------------------------------------------------------------
 *
 * Readers (signal handlers, any thread) load the published snapshot between an increment and
 * a decrement of `code_readers`; a writer publishes a new snapshot with an atomic exchange and
 * frees the old one only once no reader is inside. With sequentially consistent atomics a
 * reader either sees the new snapshot or is counted before the writer checks the count.
 */

typedef struct CodeRange {
    uintptr_t start, end;
    const RtModule *module;
} CodeRange;

typedef struct CodeTable {
    size_t n;
    CodeRange ranges[];  // sorted by start, disjoint
} CodeTable;

/* Process-wide: one registry for every engine of the process, since the signal handler is
 * process-wide too. */
static _Atomic(CodeTable *) code_table;
static atomic_int code_readers;
static pthread_mutex_t code_lock = PTHREAD_MUTEX_INITIALIZER;

/* Publishes `t` and frees the previous snapshot once no reader uses it. Requires code_lock. */
static void
publish(CodeTable *t)
{
    CodeTable *old = atomic_exchange(&code_table, t);
    while (atomic_load(&code_readers) != 0)
        sched_yield();
    free(old);
}

bool
rt_code_register(const RtModule *m)
{
    if (!m->code || m->cm->code_size == 0)
        return true;
    uintptr_t start = (uintptr_t)m->code, end = start + m->cm->code_size;
    pthread_mutex_lock(&code_lock);
    CodeTable *old = atomic_load(&code_table);
    size_t n = old ? old->n : 0;
    CodeTable *t = malloc(sizeof *t + (n + 1) * sizeof(CodeRange));
    if (!t) {
        pthread_mutex_unlock(&code_lock);
        return false;
    }
    size_t j = 0;
    bool placed = false;
    for (size_t i = 0; i < n; i++) {
        if (!placed && start < old->ranges[i].start) {
            t->ranges[j++] = (CodeRange){start, end, m};
            placed = true;
        }
        t->ranges[j++] = old->ranges[i];
    }
    if (!placed)
        t->ranges[j++] = (CodeRange){start, end, m};
    t->n = j;
    publish(t);
    pthread_mutex_unlock(&code_lock);
    return true;
}

void
rt_code_unregister(const RtModule *m)
{
    pthread_mutex_lock(&code_lock);
    CodeTable *old = atomic_load(&code_table);
    size_t n = old ? old->n : 0;
    CodeTable *t = malloc(sizeof *t + (n ? n : 1) * sizeof(CodeRange));
    if (!t) {
        /* Cannot shrink: leave the entry (a harmless stale range until its address is
         * reused, since no code runs there any more). */
        pthread_mutex_unlock(&code_lock);
        return;
    }
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (old->ranges[i].module != m)
            t->ranges[j++] = old->ranges[i];
    t->n = j;
    publish(t);
    pthread_mutex_unlock(&code_lock);
}

const RtModule *
rt_code_lookup(uintptr_t pc)
{
    const RtModule *found = NULL;
    atomic_fetch_add(&code_readers, 1);
    const CodeTable *t = atomic_load(&code_table);
    if (t) {
        size_t lo = 0, hi = t->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (pc < t->ranges[mid].start)
                hi = mid;
            else if (pc >= t->ranges[mid].end)
                lo = mid + 1;
            else {
                found = t->ranges[mid].module;
                break;
            }
        }
    }
    atomic_fetch_sub(&code_readers, 1);
    return found;
}

/* ---- Machine context access ------------------------------------------------------------ */

typedef struct MachRegs {
    uintptr_t pc, sp, fp;
} MachRegs;

static MachRegs
context_get(const ucontext_t *uc)
{
    MachRegs r;
#if defined(__linux__) && defined(__x86_64__)
    r.pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    r.sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    r.fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#elif defined(__linux__) && defined(__aarch64__)
    r.pc = (uintptr_t)uc->uc_mcontext.pc;
    r.sp = (uintptr_t)uc->uc_mcontext.sp;
    r.fp = (uintptr_t)uc->uc_mcontext.regs[29];
#elif defined(__FreeBSD__) && defined(__x86_64__)
    r.pc = (uintptr_t)uc->uc_mcontext.mc_rip;
    r.sp = (uintptr_t)uc->uc_mcontext.mc_rsp;
    r.fp = (uintptr_t)uc->uc_mcontext.mc_rbp;
#elif defined(__FreeBSD__) && defined(__aarch64__)
    r.pc = (uintptr_t)uc->uc_mcontext.mc_gpregs.gp_elr;
    r.sp = (uintptr_t)uc->uc_mcontext.mc_gpregs.gp_sp;
    r.fp = (uintptr_t)uc->uc_mcontext.mc_gpregs.gp_x[29];
#elif defined(__APPLE__) && defined(__x86_64__)
    r.pc = (uintptr_t)uc->uc_mcontext->__ss.__rip;
    r.sp = (uintptr_t)uc->uc_mcontext->__ss.__rsp;
    r.fp = (uintptr_t)uc->uc_mcontext->__ss.__rbp;
#elif defined(__APPLE__) && defined(__aarch64__)
    r.pc = (uintptr_t)uc->uc_mcontext->__ss.__pc;
    r.sp = (uintptr_t)uc->uc_mcontext->__ss.__sp;
    r.fp = (uintptr_t)uc->uc_mcontext->__ss.__fp;
#else
#error "unsupported platform: add its ucontext register names"
#endif
    return r;
}

/* Makes the interrupted thread resume at `pc` with stack pointer `sp`, a zero frame pointer
 * and (aarch64) a zero link register. */
static void
context_redirect(ucontext_t *uc, uintptr_t pc, uintptr_t sp)
{
#if defined(__linux__) && defined(__x86_64__)
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)sp;
    uc->uc_mcontext.gregs[REG_RBP] = 0;
#elif defined(__linux__) && defined(__aarch64__)
    uc->uc_mcontext.pc = pc;
    uc->uc_mcontext.sp = sp;
    uc->uc_mcontext.regs[29] = 0;
    uc->uc_mcontext.regs[30] = 0;
#elif defined(__FreeBSD__) && defined(__x86_64__)
    uc->uc_mcontext.mc_rip = (long)pc;
    uc->uc_mcontext.mc_rsp = (long)sp;
    uc->uc_mcontext.mc_rbp = 0;
#elif defined(__FreeBSD__) && defined(__aarch64__)
    uc->uc_mcontext.mc_gpregs.gp_elr = pc;
    uc->uc_mcontext.mc_gpregs.gp_sp = sp;
    uc->uc_mcontext.mc_gpregs.gp_x[29] = 0;
    uc->uc_mcontext.mc_gpregs.gp_lr = 0;
#elif defined(__APPLE__) && defined(__x86_64__)
    uc->uc_mcontext->__ss.__rip = pc;
    uc->uc_mcontext->__ss.__rsp = sp;
    uc->uc_mcontext->__ss.__rbp = 0;
#elif defined(__APPLE__) && defined(__aarch64__)
    uc->uc_mcontext->__ss.__pc = pc;
    uc->uc_mcontext->__ss.__sp = sp;
    uc->uc_mcontext->__ss.__fp = 0;
    uc->uc_mcontext->__ss.__lr = 0;
#endif
}

/* ---- The handler --------------------------------------------------------------------------- */

static const int trap_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
/* The actions installed before ours, per trap_signals entry (written once, before ours is
 * installed for that signal). */
static struct sigaction previous[RT_ARRAY_LEN(trap_signals)];

/* Where a trapped fiber resumes after the handler returns: normal code again, on the top of
 * the fiber's stack (everything below is dead). */
RT_NORETURN static void
trap_landing(void)
{
    rt_fiber_abandon();
}

/* Passes a fault that is not a wasm trap to the previous handler, or the default action. */
static void
forward(int sig, siginfo_t *info, void *ctx)
{
    size_t i = 0;
    while (i < RT_ARRAY_LEN(trap_signals) && trap_signals[i] != sig)
        i++;
    if (i == RT_ARRAY_LEN(trap_signals))
        return;
    const struct sigaction *p = &previous[i];
    if (p->sa_flags & SA_SIGINFO) {
        if (p->sa_sigaction) {
            p->sa_sigaction(sig, info, ctx);
            return;
        }
    } else if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
        p->sa_handler(sig);
        return;
    }
    /* Default action (an ignored synchronous fault would only repeat forever): restore it
     * and re-raise; the signal stays blocked until this handler returns, then terminates. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig);
}

static void
handler(int sig, siginfo_t *info, void *ctx)
{
    ucontext_t *uc = ctx;
    RtFiber *f = rt_fiber_current();
    MachRegs regs = context_get(uc);
    const RtModule *m = f ? rt_code_lookup(regs.pc) : NULL;
    if (!m) {
        forward(sig, info, ctx);
        return;
    }
    uintptr_t addr = (uintptr_t)info->si_addr;
    uint32_t kind;
    if ((sig == SIGSEGV || sig == SIGBUS) && addr >= (uintptr_t)f->map && addr < f->lo)
        kind = RT_TRAP_STACK_EXHAUSTED;  // a wasm frame ran into the guard below the stack
    else
        kind = rt_module_trap_at(m, (uint32_t)(regs.pc - (uintptr_t)m->code));
    if (kind == RT_TRAP_NONE)
        kind = RT_TRAP_INTERNAL;  // a fault the compiler did not record: its bug, reported

    RtTrapRecord *rec = &f->trap;
    rec->kind = kind;
    rec->signo = sig;
    rec->pc = regs.pc;
    rec->fault_addr = addr;
    rec->exit_code = 0;
    rec->pcs[0] = regs.pc;
    rec->npcs = 1;
    rt_trap_walk(rec, f, regs.fp);

    /* Resume in trap_landing near the top of the fiber stack, as if just called there:
     * x86_64 expects rsp = 8 (mod 16) at function entry, with a (zero) return address. */
    uintptr_t sp = (f->hi - 256) & ~(uintptr_t)15;
#if defined(__x86_64__)
    sp -= 8;
    *(uintptr_t *)sp = 0;
#endif
    context_redirect(uc, (uintptr_t)trap_landing, sp);
}

/* Process-wide (one set of handlers per process): installed once by the first engine, never
 * removed; install_ok is written once under install_once. Allowlisted, with the registry above
 * and the alternate-stack state below, in tests/globals/allowlist.txt (STYLE.md section 7). */
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static bool install_ok;

static void
install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    install_ok = true;
    for (size_t i = 0; i < RT_ARRAY_LEN(trap_signals); i++)
        if (sigaction(trap_signals[i], &sa, &previous[i]) != 0)
            install_ok = false;
}

bool
rt_signals_install(void)
{
    pthread_once(&install_once, install);
    return install_ok;
}

/* ---- Alternate signal stacks ---------------------------------------------------------------- */

#define ALTSTACK_SIZE (64u * 1024u)

/* Per thread: whether this thread's alternate signal stack is installed. Process-wide: the
 * key whose destructor unmaps a thread's alternate stack when the thread exits, created once. */
static _Thread_local bool tls_prepared RT_TLS_MODEL;
static pthread_once_t altstack_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t altstack_key;

/* Thread exit: stop using our alternate stack, then unmap it. */
static void
altstack_free(void *map)
{
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    munmap(map, ALTSTACK_SIZE + rt_page_size());
}

static void
altstack_key_create(void)
{
    pthread_key_create(&altstack_key, altstack_free);
}

bool
rt_thread_prepare(void)
{
    if (tls_prepared)
        return true;
    stack_t old;
    if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE) &&
        old.ss_size >= 16 * 1024) {
        tls_prepared = true;  // the thread already has one (e.g. from a sanitizer)
        return true;
    }
    size_t page = rt_page_size();
    uint8_t *map = mmap(NULL, ALTSTACK_SIZE + page, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return false;
    mprotect(map, page, PROT_NONE);  // guard
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = map + page;
    ss.ss_size = ALTSTACK_SIZE;
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(map, ALTSTACK_SIZE + page);
        return false;
    }
    pthread_once(&altstack_key_once, altstack_key_create);
    pthread_setspecific(altstack_key, map);
    tls_prepared = true;
    return true;
}
