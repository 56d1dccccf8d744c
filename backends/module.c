/*
 * The module driver of the code generator: the CgCtx, the per-function pipeline
 * (isel -> liveness -> allocation -> resolution -> frame -> emission, with per-phase times
 * for --stats), and finishing a module: trampolines per signature, the builtin address slots,
 * direct calls patched inside the blob, and the hand-over of code, relocations and the trap
 * table into a runtime/cmodule.h compiled module (malloc'd arrays, as that header requires).
 */
#include <stdlib.h>
#include <time.h>

#include "backends/core.h"

uint64_t
cg_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

CgCtx *
cg_ctx_new(const CgTarget *target, const CgOptions *opts, const SkAlloc *alloc)
{
    if (!alloc)
        alloc = &sk_alloc_default;
    CgCtx *ctx = sk_malloc(alloc, sizeof(CgCtx));
    CgCore *c = sk_malloc(alloc, sizeof(CgCore));
    if (!ctx || !c) {
        sk_free(alloc, ctx, sizeof(CgCtx));
        sk_free(alloc, c, sizeof(CgCore));
        return NULL;
    }
    memset(ctx, 0, sizeof(*ctx));
    memset(c, 0, sizeof(*c));
    ctx->target = target;
    if (opts)
        ctx->opts = *opts;
    ctx->alloc = alloc;
    ctx->core = c;
    sk_arena_init(&ctx->arena, alloc);
    for (uint32_t r = 1; r < CG_NPREGS; r++)
        c->class_regs[target->reg_class[r]] |= CG_REGSET(r);
    for (uint32_t k = 0; k < CG_CLASS_COUNT; k++)
        for (uint32_t i = 0; i < target->nalloc[k]; i++)
            c->alloc_regs[k] |= CG_REGSET(target->alloc_order[k][i]);
    return ctx;
}

static void
free_module_state(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    sk_vec_free_heap(&c->func_offsets, ctx->alloc);
    sk_vec_free_heap(&c->func_sizes, ctx->alloc);
    sk_vec_free_heap(&c->call_fixups, ctx->alloc);
    sk_vec_free_heap(&c->slot_fixups, ctx->alloc);
    sk_vec_free_heap(&c->relocs, ctx->alloc);
    sk_vec_free_heap(&c->traps, ctx->alloc);
    sk_free(ctx->alloc, ctx->code, ctx->code_cap);
    ctx->code = NULL;
    ctx->code_len = ctx->code_cap = 0;
    ctx->code_failed = false;
}

void
cg_ctx_free(CgCtx *ctx)
{
    if (!ctx)
        return;
    free_module_state(ctx);
    sk_free(ctx->alloc, ctx->core->dump, ctx->core->dump_size);
    sk_arena_free(&ctx->arena);
    sk_free(ctx->alloc, ctx->core, sizeof(CgCore));
    sk_free(ctx->alloc, ctx, sizeof(CgCtx));
}

const char *
cg_target_name(const CgTarget *target)
{
    return target->name;
}

const CgStats *
cg_ctx_stats(const CgCtx *ctx)
{
    return &ctx->core->stats;
}

const char *
cg_ctx_dump(const CgCtx *ctx)
{
    return ctx->core->dump ? ctx->core->dump : "";
}

bool
cg_module_begin(CgCtx *ctx, const IrModule *info, SkDiag *diag)
{
    CgCore *c = ctx->core;
    free_module_state(ctx);
    ctx->module = info;
    RtVmCounts counts = {info->nsigs,
                         info->nimported_funcs,
                         info->nfuncs - info->nimported_funcs,
                         info->ntables,
                         info->nmemories,
                         info->nimported_globals,
                         info->nglobals - info->nimported_globals};
    if (!rt_vmlayout_compute(&counts, &ctx->vm))
        return sk_diag_set(diag, SK_DIAG_LIMIT, 0,
                           "implementation limit exceeded: the module's VM context is too large");
    if (!SK_VEC_RESERVE_HEAP(&c->func_offsets, ctx->alloc, info->nfuncs + 1) ||
        !SK_VEC_RESERVE_HEAP(&c->func_sizes, ctx->alloc, info->nfuncs + 1))
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    for (uint32_t i = 0; i < info->nfuncs; i++) {
        c->func_offsets.data[i] = CG_NONE32;
        c->func_sizes.data[i] = 0;
    }
    c->func_offsets.len = c->func_sizes.len = info->nfuncs;
    return true;
}

/* Forgets the previous function's core state (its memory went with the arena reset). */
static void
reset_func_state(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    sk_arena_reset(&ctx->arena);
    memset(&c->ranges, 0, sizeof(c->ranges));
    memset(&c->uses, 0, sizeof(c->uses));
    memset(&c->ivals, 0, sizeof(c->ivals));
    memset(&c->calls, 0, sizeof(c->calls));
    memset(&c->child_list, 0, sizeof(c->child_list));
    memset(&c->split_regs, 0, sizeof(c->split_regs));
    c->fixed = NULL;
    c->nfixed = c->fixed_maxlen = 0;
    c->fixed_regs = 0;
    memset(&c->slot_free, 0, sizeof(c->slot_free));
    memset(&c->steps, 0, sizeof(c->steps));
    memset(&c->groups, 0, sizeof(c->groups));
    memset(&c->stubs, 0, sizeof(c->stubs));
    c->vinfo = NULL;
    c->order = NULL;
    c->norder = c->nvregs = c->npos = 0;
    c->block_of_pos = NULL;
    c->spill_units = 0;
    c->used_regs = 0;
    c->before = c->at_entry = c->at_exit = c->edge_stub = NULL;
    c->fixed_in = c->fixed_out = NULL;
    c->used_temp = c->rewritten = false;
    ctx->target_state = NULL;
    memset(&ctx->frame, 0, sizeof(ctx->frame));
}

static bool
oom(CgCtx *ctx, uint32_t func_index)
{
    bool r = sk_diag_set(ctx->diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory compiling func %u",
                         func_index);
    ctx->diag->func_index = func_index;
    return r;
}

/* Keeps a printout of the function (CgOptions.dump). */
static void
keep_dump(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    size_t need = 256 + (size_t)ctx->func.insts.len * 80 + (size_t)ctx->func.blocks.len * 80;
    if (need > c->dump_size) {
        char *p = sk_realloc(ctx->alloc, c->dump, c->dump_size, need);
        if (!p)
            return;
        c->dump = p;
        c->dump_size = need;
    }
    cg_func_print(ctx, c->dump, c->dump_size);
}

bool
cg_func_compile(CgCtx *ctx, const IrFunc *in, SkDiag *diag)
{
    CgCore *c = ctx->core;
    const CgTarget *t = ctx->target;
    ctx->diag = diag;
    reset_func_state(ctx);

    uint64_t t0 = cg_now_ns();
    if (!t->isel(ctx, in)) {
        diag->func_index = in->index;
        return false;
    }
    if (ctx->arena.failed)
        return oom(ctx, in->index);
    CgFunc *f = &ctx->func;
    if (f->vtypes.len >= CG_REG_MAX - CG_VREG_FIRST ||
        (uint64_t)f->insts.len + f->blocks.len >= CG_POS_MAX / 2 - 4) {
        sk_diag_set(diag, SK_DIAG_LIMIT, 0,
                    "implementation limit exceeded: function %u is too large to compile",
                    in->index);
        diag->func_index = in->index;
        return false;
    }
    if (!cg_func_finish_cfg(ctx))
        return oom(ctx, in->index);
    uint64_t t1 = cg_now_ns();
    if (!cg_live_build(ctx))
        return oom(ctx, in->index);
    uint64_t t2 = cg_now_ns();
    if (!cg_regalloc(ctx) || !cg_resolve(ctx))
        return oom(ctx, in->index);
    if (ctx->opts.dump)
        keep_dump(ctx);
    uint64_t t3 = cg_now_ns();
    cg_frame_compute(ctx);
    if (!cg_emit_func(ctx)) {
        if (ctx->code_failed || ctx->arena.failed)
            return oom(ctx, in->index);
        sk_diag_set(diag, SK_DIAG_LIMIT, 0,
                    "implementation limit exceeded: a branch in function %u is out of range",
                    in->index);
        diag->func_index = in->index;
        return false;
    }
    uint64_t t4 = cg_now_ns();

    SK_ASSERT(in->index < c->func_offsets.len);
    c->func_offsets.data[in->index] = c->func_start;
    c->func_sizes.data[in->index] = ctx->code_len - c->func_start;
    c->stats.ns_isel += t1 - t0;
    c->stats.ns_live += t2 - t1;
    c->stats.ns_regalloc += t3 - t2;
    c->stats.ns_emit += t4 - t3;
    c->stats.funcs++;
    c->stats.insts += f->insts.len;
    c->stats.vregs += f->vtypes.len;
    c->stats.code_bytes += ctx->code_len - c->func_start;
    return true;
}

/* ---- finishing the module ---------------------------------------------------------------- */

static bool
sig_equal(const IrSig *a, const IrSig *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           !memcmp(a->params, b->params, a->nparams) &&
           !memcmp(a->results, b->results, a->nresults);
}

/* Emits one trampoline with `emit` and returns its code offset, or CG_NONE32 on failure. */
static uint32_t
emit_trampoline(CgCtx *ctx, void (*emit)(CgCtx *, const IrSig *), const IrSig *sig)
{
    reset_func_state(ctx);
    cg_buf_func_begin(ctx);
    uint32_t start = ctx->core->func_start;
    emit(ctx, sig);
    if (!cg_buf_func_end(ctx))
        return CG_NONE32;
    return start;
}

static int
trap_cmp(const void *a, const void *b)
{
    const RtCmTrap *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Copies n elements of `size` bytes into a new malloc'd block (the runtime frees them with
 * free(), runtime/cmodule.h). Sets *ok to false on failure. */
static void *
dup_out(const void *data, size_t n, size_t size, bool *ok)
{
    if (!n)
        return NULL;
    void *p = malloc(n * size);
    if (!p) {
        *ok = false;
        return NULL;
    }
    memcpy(p, data, n * size);
    return p;
}

bool
cg_module_finish(CgCtx *ctx, RtCompiledModule *out, SkDiag *diag)
{
    CgCore *c = ctx->core;
    const CgTarget *t = ctx->target;
    const IrModule *info = ctx->module;
    ctx->diag = diag;

    /* Trampolines: one pair per distinct signature. */
    for (uint32_t i = 0; i < info->nsigs; i++) {
        uint32_t same = i;
        for (uint32_t j = 0; j < i; j++) {
            if (sig_equal(&info->sigs[i], &info->sigs[j])) {
                same = j;
                break;
            }
        }
        if (same != i) {
            out->types[i].entry_tramp = out->types[same].entry_tramp;
            out->types[i].host_tramp = out->types[same].host_tramp;
            continue;
        }
        out->types[i].entry_tramp = emit_trampoline(ctx, t->emit_entry_trampoline, &info->sigs[i]);
        out->types[i].host_tramp = emit_trampoline(ctx, t->emit_host_trampoline, &info->sigs[i]);
        if (out->types[i].entry_tramp == CG_NONE32 || out->types[i].host_tramp == CG_NONE32)
            return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    }

    /* Builtin address slots, 8-aligned at the end of the blob. */
    uint32_t slot_of[RT_BUILTIN_COUNT];
    memset(slot_of, 0xFF, sizeof(slot_of));
    cg_code_align(ctx, 8, t->pad_byte);
    for (uint32_t i = 0; i < c->slot_fixups.len; i++) {
        uint32_t b = c->slot_fixups.data[i].target;
        if (slot_of[b] != CG_NONE32)
            continue;
        slot_of[b] = ctx->code_len;
        static const uint8_t zero8[8];
        cg_reloc_add(ctx, ctx->code_len, RT_RELOC_ABS64, RT_SYM_BUILTIN, b, 0);
        cg_code_put(ctx, zero8, 8);
    }
    if (ctx->code_failed)
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    for (uint32_t i = 0; i < c->slot_fixups.len; i++) {
        CgFixup *fx = &c->slot_fixups.data[i];
        if (!t->patch(ctx->code, fx->at, fx->kind, slot_of[fx->target]))
            return sk_diag_set(diag, SK_DIAG_LIMIT, 0, "implementation limit exceeded: code too large");
    }
    for (uint32_t i = 0; i < c->call_fixups.len; i++) {
        CgFixup *fx = &c->call_fixups.data[i];
        SK_ASSERT(fx->target < c->func_offsets.len);
        uint32_t to = c->func_offsets.data[fx->target];
        SK_ASSERT(to != CG_NONE32);  // direct calls go to compiled functions only
        if (!t->patch(ctx->code, fx->at, fx->kind, to))
            return sk_diag_set(diag, SK_DIAG_LIMIT, 0, "implementation limit exceeded: code too large");
    }

    /* Trap records come in code order already; sort only if something broke that. */
    for (uint32_t i = 1; i < c->traps.len; i++) {
        if (c->traps.data[i - 1].offset >= c->traps.data[i].offset) {
            qsort(c->traps.data, c->traps.len, sizeof(RtCmTrap), trap_cmp);
            break;
        }
    }

    bool ok = true;
    out->code = dup_out(ctx->code, ctx->code_len, 1, &ok);
    out->code_size = ctx->code_len;
    out->relocs = dup_out(c->relocs.data, c->relocs.len, sizeof(RtCmReloc), &ok);
    out->nrelocs = c->relocs.len;
    out->traps = dup_out(c->traps.data, c->traps.len, sizeof(RtCmTrap), &ok);
    out->ntraps = c->traps.len;
    if (!ok)
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    out->target = t->rt_target;
    out->cpu_features = ctx->opts.cpu_features;
    if (ctx->opts.explicit_bounds)
        out->flags |= RT_CM_EXPLICIT_BOUNDS;
    for (uint32_t i = 0; i < info->nfuncs; i++) {
        if (i < info->nimported_funcs) {
            out->funcs[i].code_offset = RT_CM_NONE;
            out->funcs[i].code_size = 0;
        } else {
            out->funcs[i].code_offset = c->func_offsets.data[i];
            out->funcs[i].code_size = c->func_sizes.data[i];
        }
    }
    return true;
}
