/*
 * The code buffer (STYLE.md section 8): one growable byte array for the whole module, plus
 * plain arrays beside it. Per function (function arena, reset with the function): labels,
 * label fixups, trap stubs wanted, the constant pool. Per module (heap): direct-call fixups,
 * builtin-slot fixups, relocations and trap records, with code-relative offsets (from the
 * start of the blob).
 *
 * A function ends with its out-of-line parts: one trap stub per trap kind it uses (the target
 * emits ud2/udf and the stub's offset goes into the trap table), then its constants (aligned
 * 16). Label fixups are patched then, through CgTarget.patch, so branch encodings stay the
 * target's business. Allocation failure never stops emission midway: writes go to a sink and
 * the failure is reported when the function ends.
 */
#include "backends/core.h"

uint8_t *
cg_code_grow(CgCtx *ctx, size_t n)
{
    CgCore *c = ctx->core;
    if (ctx->code_failed)
        return c->sink;
    size_t need = (size_t)ctx->code_len + n;
    if (need > 0x7FFFFFF0u) {
        ctx->code_failed = true;  // the blob's offsets are 32-bit
        return c->sink;
    }
    size_t cap = ctx->code_cap ? ctx->code_cap : 65536;
    while (cap < need)
        cap *= 2;
    if (cap > 0x7FFFFFFFu)
        cap = 0x7FFFFFFFu;
    uint8_t *p = sk_realloc(ctx->alloc, ctx->code, ctx->code_cap, cap);
    if (!p) {
        ctx->code_failed = true;
        return c->sink;
    }
    ctx->code = p;
    ctx->code_cap = (uint32_t)cap;
    return ctx->code + ctx->code_len;
}

uint32_t
cg_code_func_start(const CgCtx *ctx)
{
    return ctx->core->func_start;
}

void
cg_code_put(CgCtx *ctx, const void *bytes, size_t n)
{
    const uint8_t *b = bytes;
    while (n) {
        size_t k = n < CG_MAX_EMIT ? n : CG_MAX_EMIT;
        uint8_t *p = cg_code_reserve(ctx, k);
        memcpy(p, b, k);
        cg_code_commit(ctx, k);
        b += k;
        n -= k;
    }
}

void
cg_code_align(CgCtx *ctx, uint32_t align, uint8_t fill)
{
    uint32_t pad = (align - (ctx->code_len & (align - 1))) & (align - 1);
    while (pad) {
        uint32_t k = pad < CG_MAX_EMIT ? pad : CG_MAX_EMIT;
        uint8_t *p = cg_code_reserve(ctx, k);
        memset(p, fill, k);
        cg_code_commit(ctx, k);
        pad -= k;
    }
}

/* ---- labels and fixups --------------------------------------------------------------------- */

uint32_t
cg_label_new(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    if (!SK_VEC_PUSH_ARENA(&c->labels, &ctx->arena, CG_NONE32))
        return 0;  // the failure surfaces at the end of the function
    return c->labels.len - 1;
}

uint32_t
cg_labels_new(CgCtx *ctx, uint32_t n)
{
    CgCore *c = ctx->core;
    uint32_t first = c->labels.len;
    if (!SK_VEC_RESERVE_ARENA(&c->labels, &ctx->arena, first + n)) {
        ctx->arena.failed = true;  // the failure surfaces at the end of the function
        return 0;
    }
    memset(c->labels.data + first, 0xFF, (size_t)n * sizeof(uint32_t));  // CG_NONE32
    c->labels.len = first + n;
    return first;
}

void
cg_label_bind(CgCtx *ctx, uint32_t label)
{
    CgCore *c = ctx->core;
    if (label < c->labels.len)
        c->labels.data[label] = ctx->code_len;
}

uint32_t
cg_label_offset(const CgCtx *ctx, uint32_t label)
{
    const CgCore *c = ctx->core;
    return label < c->labels.len ? c->labels.data[label] : CG_NONE32;
}

void
cg_fixup_label(CgCtx *ctx, uint32_t at, uint32_t kind, uint32_t label)
{
    CgFixup fx = {at, kind, label};
    if (!SK_VEC_PUSH_ARENA(&ctx->core->fixups, &ctx->arena, fx))
        ctx->arena.failed = true;
}

void
cg_fixup_func(CgCtx *ctx, uint32_t at, uint32_t kind, uint32_t func_index)
{
    CgFixup fx = {at, kind, func_index};
    if (!SK_VEC_PUSH_HEAP(&ctx->core->call_fixups, ctx->alloc, fx))
        ctx->code_failed = true;
}

void
cg_fixup_builtin_slot(CgCtx *ctx, uint32_t at, uint32_t kind, uint32_t builtin)
{
    CgFixup fx = {at, kind, builtin};
    SK_ASSERT(builtin < RT_BUILTIN_COUNT);
    if (!SK_VEC_PUSH_HEAP(&ctx->core->slot_fixups, ctx->alloc, fx))
        ctx->code_failed = true;
}

void
cg_reloc_add(CgCtx *ctx, uint32_t at, uint32_t kind, uint32_t sym_kind, uint32_t sym,
             int64_t addend)
{
    RtCmReloc r = {at, (uint8_t)kind, (uint8_t)sym_kind, sym, addend};
    if (!SK_VEC_PUSH_HEAP(&ctx->core->relocs, ctx->alloc, r))
        ctx->code_failed = true;
}

/* ---- traps and constants ------------------------------------------------------------------- */

uint32_t
cg_trap_label(CgCtx *ctx, uint32_t kind)
{
    CgCore *c = ctx->core;
    SK_ASSERT(kind > 0 && kind < RT_TRAP_COUNT);
    if (!c->trap_labels[kind])
        c->trap_labels[kind] = cg_label_new(ctx) + 1;
    return c->trap_labels[kind] - 1;
}

void
cg_trap_record(CgCtx *ctx, uint32_t at, uint32_t kind)
{
    RtCmTrap t = {at, kind};
    if (!SK_VEC_PUSH_HEAP(&ctx->core->traps, ctx->alloc, t))
        ctx->code_failed = true;
}

uint32_t
cg_const_label(CgCtx *ctx, const void *bytes, uint32_t size, uint32_t align)
{
    CgCore *c = ctx->core;
    SK_ASSERT(size <= 16 && align <= 16);
    for (uint32_t i = 0; i < c->consts.len; i++) {
        CgConst *k = &c->consts.data[i];
        if (k->size == size && k->align >= align && !memcmp(k->bytes, bytes, size))
            return k->label;
    }
    CgConst k;
    memset(&k, 0, sizeof(k));
    memcpy(k.bytes, bytes, size);
    k.size = size;
    k.align = align;
    k.label = cg_label_new(ctx);
    if (!SK_VEC_PUSH_ARENA(&c->consts, &ctx->arena, k))
        return 0;
    return k.label;
}

/* ---- per function ------------------------------------------------------------------------ */

void
cg_buf_func_begin(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    const CgTarget *t = ctx->target;
    cg_code_align(ctx, t->func_align ? t->func_align : 16, t->pad_byte);
    c->func_start = ctx->code_len;
    memset(&c->labels, 0, sizeof(c->labels));
    memset(&c->fixups, 0, sizeof(c->fixups));
    memset(&c->consts, 0, sizeof(c->consts));
    memset(&c->unwind, 0, sizeof(c->unwind));
    memset(c->trap_labels, 0, sizeof(c->trap_labels));
}

bool
cg_buf_func_end(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    const CgTarget *t = ctx->target;
    for (uint32_t k = 1; k < RT_TRAP_COUNT; k++) {
        if (!c->trap_labels[k])
            continue;
        cg_label_bind(ctx, c->trap_labels[k] - 1);
        cg_trap_record(ctx, ctx->code_len, k);
        t->emit_trap(ctx, k);
    }
    if (c->consts.len) {
        cg_code_align(ctx, 16, t->pad_byte);
        for (uint32_t i = 0; i < c->consts.len; i++) {
            CgConst *k = &c->consts.data[i];
            cg_code_align(ctx, k->align, 0);
            cg_label_bind(ctx, k->label);
            cg_code_put(ctx, k->bytes, k->size);
        }
    }
    if (ctx->code_failed || ctx->arena.failed)
        return false;
    for (uint32_t i = 0; i < c->fixups.len; i++) {
        CgFixup *fx = &c->fixups.data[i];
        uint32_t target = c->labels.data[fx->target];
        SK_ASSERT(target != CG_NONE32);  // every label used is bound
        if (!t->patch(ctx->code, fx->at, fx->kind, target))
            return false;
    }
    return true;
}
