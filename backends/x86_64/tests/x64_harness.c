/*
 * The stand-in runtime of the x86_64 execution tests (see x64_harness.h). Test-only code:
 * it may keep process state (the signal handler needs the module being run).
 */
#include "x64_harness.h"

#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

uint64_t hx_host_calls;

static HxModule *running;
static sigjmp_buf trap_jmp;
static volatile uint32_t trap_kind;
static uint8_t altstack[1 << 16];

void
hx_init(HxModule *h)
{
    memset(h, 0, sizeof(*h));
    h->m.sigs = h->sigs;
    h->m.func_sigs = h->func_sigs;
    h->m.globals = h->globals;
    h->m.tables = &h->table;
    h->m.ntables = 1;
    h->table.elem_type = IR_TYPE_FUNCREF;
    h->table.min = 64;
    h->m.memories = &h->memory;
    h->m.nmemories = 1;
    h->memory.min = 1;
}

uint32_t
hx_sig(HxModule *h, const uint8_t *params, uint32_t np, const uint8_t *results, uint32_t nr)
{
    for (uint32_t i = 0; i < h->m.nsigs; i++) {
        const IrSig *s = &h->sigs[i];
        if (s->nparams == np && s->nresults == nr && (!np || !memcmp(s->params, params, np)) &&
            (!nr || !memcmp(s->results, results, nr)))
            return i;
    }
    uint32_t i = h->m.nsigs++;
    if (i >= HX_MAX_SIGS || np + nr > 32)
        abort();
    if (np)  // params/results may be NULL when empty (memcpy's arguments must not be)
        memcpy(h->sigtypes[i], params, np);
    if (nr)
        memcpy(h->sigtypes[i] + np, results, nr);
    h->sigs[i] = (IrSig){np, nr, h->sigtypes[i], h->sigtypes[i] + np};
    return i;
}

uint32_t
hx_func(HxModule *h, uint32_t sig, HxBuildFn build, const void *arg)
{
    uint32_t i = h->nfuncs++;
    if (i >= HX_MAX_FUNCS)
        abort();
    h->funcs[i] = (HxFunc){sig, build, arg};
    h->func_sigs[i] = sig;
    if (!build)
        h->m.nimported_funcs++;
    h->m.nfuncs = h->nfuncs;
    return i;
}

bool
hx_verify(const IrFunc *f)
{
    char msg[256];
    SkArena scratch;
    sk_arena_init(&scratch, NULL);
    bool ok = ir_verify(f, &scratch, msg, sizeof(msg));
    sk_arena_free(&scratch);
    if (!ok)
        fprintf(stderr, "IR of func %u does not verify: %s\n", f->index, msg);
    return ok;
}

/* ---- builtins the tests need ------------------------------------------------------------- */

static uint32_t
bi_memory_grow(void *vm, uint32_t mem, uint32_t delta)
{
    (void)vm;
    (void)mem;
    HxModule *h = running;
    uint64_t old = h->rt_memory.size >> 16;
    if (old + delta > 16)
        return 0xFFFFFFFFu;
    if (delta && mprotect(h->mem, (old + delta) << 16, PROT_READ | PROT_WRITE) != 0)
        return 0xFFFFFFFFu;
    h->rt_memory.size = (old + delta) << 16;
    return (uint32_t)old;
}

static float bi_f32_ceil(void *vm, float x) { (void)vm; return ceilf(x); }
static float bi_f32_floor(void *vm, float x) { (void)vm; return floorf(x); }
static float bi_f32_trunc(void *vm, float x) { (void)vm; return truncf(x); }
static float bi_f32_nearest(void *vm, float x) { (void)vm; return nearbyintf(x); }
static double bi_f64_ceil(void *vm, double x) { (void)vm; return ceil(x); }
static double bi_f64_floor(void *vm, double x) { (void)vm; return floor(x); }
static double bi_f64_trunc(void *vm, double x) { (void)vm; return trunc(x); }
static double bi_f64_nearest(void *vm, double x) { (void)vm; return nearbyint(x); }

static void
bi_missing(void)
{
    fprintf(stderr, "x64 harness: a builtin without a test implementation was called\n");
    abort();
}

static uint64_t
builtin_addr(uint32_t b)
{
    switch (b) {
    case RT_BUILTIN_MEMORY_GROW: return (uint64_t)(uintptr_t)bi_memory_grow;
    case RT_BUILTIN_F32_CEIL: return (uint64_t)(uintptr_t)bi_f32_ceil;
    case RT_BUILTIN_F32_FLOOR: return (uint64_t)(uintptr_t)bi_f32_floor;
    case RT_BUILTIN_F32_TRUNC: return (uint64_t)(uintptr_t)bi_f32_trunc;
    case RT_BUILTIN_F32_NEAREST: return (uint64_t)(uintptr_t)bi_f32_nearest;
    case RT_BUILTIN_F64_CEIL: return (uint64_t)(uintptr_t)bi_f64_ceil;
    case RT_BUILTIN_F64_FLOOR: return (uint64_t)(uintptr_t)bi_f64_floor;
    case RT_BUILTIN_F64_TRUNC: return (uint64_t)(uintptr_t)bi_f64_trunc;
    case RT_BUILTIN_F64_NEAREST: return (uint64_t)(uintptr_t)bi_f64_nearest;
    default: return (uint64_t)(uintptr_t)bi_missing;
    }
}

/* ---- host functions ------------------------------------------------------------------------ */

typedef struct HostFunc {
    RtHostCallback callback;  // at RT_HOSTFUNC_OFF_CALLBACK
    uint32_t sig;
} HostFunc;

static HostFunc host_funcs[HX_MAX_FUNCS];

/* Adds up the integer arguments (as i64) and returns the sum as result 0. */
static void
host_sum(RtHostFunc *hf, RtVal *av)
{
    const HostFunc *f = (const HostFunc *)(void *)hf;
    const IrSig *s = &running->sigs[f->sig];
    uint64_t sum = 0;
    for (uint32_t i = 0; i < s->nparams; i++)
        sum += s->params[i] == IR_TYPE_I32 ? av[i].i32 : av[i].i64;
    hx_host_calls++;
    if (s->nresults) {
        if (s->results[0] == IR_TYPE_I32)
            av[0].i32 = (uint32_t)sum;
        else
            av[0].i64 = sum;
    }
}

/* ---- loading ------------------------------------------------------------------------------- */

static void
on_signal(int sig, siginfo_t *si, void *uctx)
{
    (void)si;
    ucontext_t *uc = uctx;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    HxModule *h = running;
    uint32_t kind = RT_TRAP_INTERNAL;
    if (h && pc >= (uintptr_t)h->code && pc < (uintptr_t)h->code + h->cm.code_size) {
        uint32_t off = (uint32_t)(pc - (uintptr_t)h->code);
        for (uint32_t i = 0; i < h->cm.ntraps; i++)
            if (h->cm.traps[i].offset == off)
                kind = h->cm.traps[i].kind;
    } else {
        /* Not in wasm code: a real crash of the test; report it and die. */
        fprintf(stderr, "x64 harness: signal %d outside compiled code (pc %p)\n", sig, (void *)pc);
        abort();
    }
    trap_kind = kind;
    siglongjmp(trap_jmp, 1);
}

static void
install_handlers(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

bool
hx_load(HxModule *h, const CgOptions *opts)
{
    SkDiag diag;
    memset(&diag, 0, sizeof(diag));
    CgCtx *ctx = cg_ctx_new(&x64_target, opts, NULL);
    if (!ctx || !cg_module_begin(ctx, &h->m, &diag)) {
        snprintf(h->diag, sizeof(h->diag), "module: %s", diag.message);
        cg_ctx_free(ctx);
        return false;
    }
    SkArena arena;
    sk_arena_init(&arena, NULL);
    for (uint32_t i = h->m.nimported_funcs; i < h->nfuncs; i++) {
        IrFunc f;
        sk_arena_reset(&arena);
        if (!ir_func_init(&f, &arena, &h->m, i))
            abort();
        h->funcs[i].build(&f, h->funcs[i].arg);
        if (!hx_verify(&f))
            abort();
        if (!cg_func_compile(ctx, &f, &diag)) {
            snprintf(h->diag, sizeof(h->diag), "func %u: %s", i, diag.message);
            sk_arena_free(&arena);
            cg_ctx_free(ctx);
            return false;
        }
    }
    sk_arena_free(&arena);
    RtCompiledModule *cm = &h->cm;
    memset(cm, 0, sizeof(*cm));
    cm->types = calloc(h->m.nsigs, sizeof(RtCmType));
    cm->ntypes = h->m.nsigs;
    cm->funcs = calloc(h->nfuncs, sizeof(RtCmFunc));
    cm->nfuncs = h->nfuncs;
    if (!cg_module_finish(ctx, cm, &diag)) {
        snprintf(h->diag, sizeof(h->diag), "finish: %s", diag.message);
        cg_ctx_free(ctx);
        return false;
    }
    cg_ctx_free(ctx);
    if (getenv("HX_DUMP")) {
        /* Debugging aid: the code blob and the function offsets. */
        static int nth;
        char name[256];
        snprintf(name, sizeof(name), "%s.%d", getenv("HX_DUMP"), nth++);
        FILE *df = fopen(name, "wb");
        if (df) {
            fwrite(cm->code, 1, cm->code_size, df);
            fclose(df);
        }
        for (uint32_t i = 0; i < h->nfuncs; i++)
            fprintf(stderr, "func %u at 0x%x size %u\n", i, cm->funcs[i].code_offset, cm->funcs[i].code_size);
        for (uint32_t i = 0; i < h->m.nsigs; i++)
            fprintf(stderr, "type %u entry 0x%x host 0x%x\n", i, cm->types[i].entry_tramp, cm->types[i].host_tramp);
    }

    /* Code: W^X. */
    h->code_map_size = (cm->code_size + 4095) & ~(size_t)4095;
    h->code = mmap(NULL, h->code_map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (h->code == MAP_FAILED)
        abort();
    memcpy(h->code, cm->code, cm->code_size);
    for (uint32_t i = 0; i < cm->nrelocs; i++) {
        const RtCmReloc *r = &cm->relocs[i];
        if (r->kind != RT_RELOC_ABS64 || r->sym_kind != RT_SYM_BUILTIN)
            abort();
        uint64_t v = builtin_addr(r->sym) + (uint64_t)r->addend;
        memcpy(h->code + r->offset, &v, 8);
    }
    mprotect(h->code, h->code_map_size, PROT_READ | PROT_EXEC);

    /* Memory 0: an 8 GiB reservation, the first page accessible. */
    h->mem = mmap(NULL, RT_MEMORY_RESERVATION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (h->mem == MAP_FAILED)
        abort();
    mprotect(h->mem, RT_WASM_PAGE_SIZE, PROT_READ | PROT_WRITE);
    h->rt_memory.base = h->mem;
    h->rt_memory.size = RT_WASM_PAGE_SIZE;
    h->rt_table.elems = h->table_elems;
    h->rt_table.size = 64;

    /* The VM context. */
    RtVmCounts counts = {h->m.nsigs, h->m.nimported_funcs, h->nfuncs - h->m.nimported_funcs,
                         1, 1, h->m.nimported_globals, h->m.nglobals - h->m.nimported_globals};
    if (!rt_vmlayout_compute(&counts, &h->layout))
        abort();
    h->vm = aligned_alloc(64, h->layout.size);
    memset(h->vm, 0, h->layout.size);
    VmCtx *vm = (VmCtx *)(void *)h->vm;
    vm->mem0_base = h->mem;
    vm->mem0 = (RtMemory *)(void *)&h->rt_memory;
    for (uint32_t t = 0; t < h->m.nsigs; t++) {
        uint32_t id = 1000 + t;  // canonical ids: equal signatures are interned already
        memcpy(h->vm + rt_vmlayout_type_id(&h->layout, t), &id, 4);
    }
    RtTable *tp = (RtTable *)(void *)&h->rt_table;
    memcpy(h->vm + rt_vmlayout_table(&h->layout, 0), &tp, 8);
    RtMemory *mp = (RtMemory *)(void *)&h->rt_memory;
    memcpy(h->vm + rt_vmlayout_memory(&h->layout, 0), &mp, 8);
    for (uint32_t i = 0; i < h->nfuncs; i++) {
        if (i < h->m.nimported_funcs) {
            /* An import: a host function behind the host-call trampoline of its type. */
            static RtFuncRef import_refs[HX_MAX_FUNCS];
            host_funcs[i] = (HostFunc){host_sum, h->func_sigs[i]};
            import_refs[i] = (RtFuncRef){h->code + cm->types[h->func_sigs[i]].host_tramp,
                                         (VmCtx *)(void *)&host_funcs[i], 1000 + h->func_sigs[i],
                                         RT_FUNCREF_HOST};
            RtFuncRef *rp = &import_refs[i];
            memcpy(h->vm + rt_vmlayout_imported_func(&h->layout, i), &rp, 8);
            continue;
        }
        RtFuncRef *fr = hx_funcref(h, i);
        fr->code = h->code + cm->funcs[i].code_offset;
        fr->vmctx = vm;
        fr->type_id = 1000 + h->func_sigs[i];
    }
    install_handlers();
    return true;
}

RtFuncRef *
hx_funcref(HxModule *h, uint32_t fi)
{
    return (RtFuncRef *)(void *)(h->vm + rt_vmlayout_funcref(&h->layout, fi));
}

void
hx_unload(HxModule *h)
{
    munmap(h->code, h->code_map_size);
    munmap(h->mem, RT_MEMORY_RESERVATION);
    free(h->vm);
    rt_cmodule_release(&h->cm);
}

uint32_t
hx_call(HxModule *h, uint32_t fi, RtVal *av)
{
    typedef void (*Entry)(VmCtx *, const RtFuncRef *, RtVal *);
    RtFuncRef *fr;
    static RtFuncRef imported;
    if (fi < h->m.nimported_funcs) {
        memcpy(&fr, h->vm + rt_vmlayout_imported_func(&h->layout, fi), 8);
        imported = *fr;
        fr = &imported;
    } else {
        fr = hx_funcref(h, fi);
    }
    Entry entry;
    uintptr_t ea = (uintptr_t)(h->code + h->cm.types[h->func_sigs[fi]].entry_tramp);
    memcpy(&entry, &ea, sizeof(entry));
    VmCtx *vm = (VmCtx *)(void *)h->vm;
    /* The stack limit: 1 MiB below here (the test's own stack is larger). */
    char here;
    vm->stack_limit = (uintptr_t)&here - (1u << 20);
    running = h;
    trap_kind = 0;
    if (sigsetjmp(trap_jmp, 1) == 0)
        entry(vm, fr, av);
    running = NULL;
    return trap_kind;
}
