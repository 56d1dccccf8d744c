/*
 * MIR construction: the builder a target's instruction selector calls (blocks, virtual
 * registers, instructions, parallel copies), the control-flow facts the allocator needs
 * (predecessors, loop depths) and a printer for dumps and tests. Everything lives in the
 * function arena of the CgCtx and is dropped when the next function starts.
 */
#include <stdarg.h>
#include <stdio.h>

#include "backends/core.h"

void
cg_func_begin(CgCtx *ctx, uint32_t nblocks, uint32_t func_index)
{
    CgFunc *f = &ctx->func;
    memset(f, 0, sizeof(*f));
    f->func_index = func_index;
    f->cur_block = CG_NONE32;
    if (!SK_VEC_RESERVE_ARENA(&f->blocks, &ctx->arena, nblocks ? nblocks : 1))
        return;  // ctx->arena.failed is checked when the function is finished
    memset(f->blocks.data, 0, sizeof(CgBlock) * (nblocks ? nblocks : 1));
    f->blocks.len = nblocks;
}

void
cg_func_reserve(CgCtx *ctx, uint32_t ninsts, uint32_t nopnds, uint32_t nvregs)
{
    CgFunc *f = &ctx->func;
    bool failed = ctx->arena.failed;
    /* Failure is not an error here: the slow paths try again and report it. */
    if (!SK_VEC_RESERVE_ARENA(&f->insts, &ctx->arena, ninsts) ||
        !SK_VEC_RESERVE_ARENA(&f->opnds, &ctx->arena, nopnds) ||
        !SK_VEC_RESERVE_ARENA(&f->vtypes, &ctx->arena, nvregs) ||
        /* Successor lists (about 1.4 per block) and jump arguments, as hints as well. */
        !SK_VEC_RESERVE_ARENA(&f->blks, &ctx->arena, 2 * f->blocks.len + 8) ||
        !SK_VEC_RESERVE_ARENA(&f->regs, &ctx->arena, f->blocks.len + 8))
        ctx->arena.failed = failed;
}

CgReg
cg_vreg_new_slow(CgCtx *ctx, CgType type)
{
    CgFunc *f = &ctx->func;
    uint32_t n = f->vtypes.len;
    if (SK_UNLIKELY(n >= CG_REG_MAX - CG_VREG_FIRST))
        return CG_VREG_FIRST;  // reported as a limit by cg_func_compile
    if (!SK_VEC_PUSH_ARENA(&f->vtypes, &ctx->arena, (uint8_t)type))
        return CG_VREG_FIRST;
    return CG_VREG_FIRST + n;
}

CgType
cg_reg_type(const CgCtx *ctx, CgReg r)
{
    if (cg_reg_is_virt(r))
        return (CgType)ctx->func.vtypes.data[r - CG_VREG_FIRST];
    return ctx->target->reg_class[r] == CG_CLASS_INT ? CG_TYPE_I64 : CG_TYPE_V128;
}

/* Appends n registers to the function's register-list pool; returns the start index. */
static uint32_t
push_regs(CgCtx *ctx, const CgReg *regs, uint32_t n)
{
    CgFunc *f = &ctx->func;
    uint32_t start = f->regs.len;
    if (!SK_VEC_RESERVE_ARENA(&f->regs, &ctx->arena, f->regs.len + n))
        return 0;
    memcpy(f->regs.data + start, regs, n * sizeof(CgReg));
    f->regs.len += n;
    return start;
}

void
cg_block_set_params(CgCtx *ctx, uint32_t b, const CgReg *params, uint32_t n)
{
    CgFunc *f = &ctx->func;
    SK_ASSERT(b < f->blocks.len);
    CgBlock *blk = &f->blocks.data[b];
    blk->params = push_regs(ctx, params, n);
    blk->nparams = n;
}

/* Closes the instruction range of the current block. */
static void
close_block(CgFunc *f)
{
    if (f->cur_block != CG_NONE32) {
        CgBlock *blk = &f->blocks.data[f->cur_block];
        blk->ninsts = f->insts.len - blk->first;
    }
}

void
cg_block_add_succ_slow(CgCtx *ctx, uint32_t succ)
{
    CgFunc *f = &ctx->func;
    CgBlock *blk = &f->blocks.data[f->cur_block];
    SK_ASSERT(succ < f->blocks.len);
    if (SK_VEC_PUSH_ARENA(&f->blks, &ctx->arena, succ))
        blk->nsuccs++;
}

void
cg_block_set_args_slow(CgCtx *ctx, const CgReg *args, uint32_t n)
{
    CgFunc *f = &ctx->func;
    CgBlock *blk = &f->blocks.data[f->cur_block];
    blk->args = push_regs(ctx, args, n);
    blk->nargs = n;
}

void
cg_block_set_cold(CgCtx *ctx, uint32_t b)
{
    ctx->func.blocks.data[b].flags |= CG_BLOCKF_COLD;
}

CgInst *
cg_inst_new_slow(CgCtx *ctx, uint16_t op, uint32_t nops)
{
    CgFunc *f = &ctx->func;
    static const CgInst zero_inst;
    SK_ASSERT(nops <= 255 && f->cur_block != CG_NONE32);
    if (!SK_VEC_RESERVE_ARENA(&f->insts, &ctx->arena, f->insts.len + 1) ||
        !SK_VEC_RESERVE_ARENA(&f->opnds, &ctx->arena, f->opnds.len + nops)) {
        /* Out of memory: hand out a scratch instruction; the failure is reported at the end
         * through the arena's failed flag. Its operands point at the pool start, which
         * exists once anything was allocated, so keep nops 0. */
        ctx->arena.failed = true;
        f->insts.len = 0;
        if (!f->insts.cap)
            return NULL;
        f->insts.data[0] = zero_inst;
        return &f->insts.data[0];
    }
    CgInst *in = &f->insts.data[f->insts.len++];
    *in = zero_inst;
    in->op = op;
    in->nops = (uint8_t)nops;
    in->ops = f->opnds.len;
    memset(f->opnds.data + f->opnds.len, 0, nops * sizeof(CgOperand));
    f->opnds.len += nops;
    return in;
}

void
cg_pcopy(CgCtx *ctx, const CgReg *dst, const CgReg *src, uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        uint32_t k = n - i < 127 ? n - i : 127;  // nops is 8 bits
        CgInst *in = cg_inst_new(ctx, CG_OP_PCOPY, 2 * k);
        if (!in || in->nops != 2 * k)
            return;
        CgOperand *o = cg_func_opnds(&ctx->func, in);
        for (uint32_t j = 0; j < k; j++) {
            o[j] = CG_DEF(dst[i + j]);
            o[k + j] = CG_USE(src[i + j]);
        }
        i += k;
    }
}

void
cg_func_need_outgoing(CgCtx *ctx, uint32_t bytes)
{
    if (bytes > ctx->func.outgoing)
        ctx->func.outgoing = bytes;
}

uint32_t
cg_frame_object(CgCtx *ctx, uint32_t size, uint32_t align)
{
    CgFunc *f = &ctx->func;
    SK_ASSERT(align && align <= 16 && (align & (align - 1)) == 0 && size < (1u << 28));
    uint32_t lg = (uint32_t)__builtin_ctz(align);
    if (!SK_VEC_PUSH_ARENA(&f->objects, &ctx->arena, size | lg << 28))
        return 0;
    return f->nobjects++;
}

/*
 * Computes predecessor lists (distinct predecessors, in block order) and loop depths. A loop
 * is recognised by a back edge b -> h with h <= b in layout order; with wasm's structured
 * control flow and a dominator-first layout the blocks of a loop are h .. latch, so depth is a
 * prefix sum over [h, last latch of h]. Depth only steers split and spill placement, never
 * correctness, so an unusual layout costs quality at worst.
 */
bool
cg_func_finish_cfg(CgCtx *ctx)
{
    CgFunc *f = &ctx->func;
    uint32_t nb = f->blocks.len;
    close_block(f);
    f->cur_block = CG_NONE32;
    if (ctx->arena.failed)
        return false;

    /* One zeroed allocation: count[nb], last[nb], latch[nb], depth[nb + 1]. */
    uint32_t *count = sk_arena_calloc(&ctx->arena, 4 * (size_t)nb + 1, sizeof(uint32_t));
    if (!count)
        return false;
    uint32_t *last = count + nb;
    uint32_t *latch = last + nb;
    int32_t *depth = (int32_t *)(latch + nb);

    /* Count distinct predecessors (last[s] = b + 1 marks "b already counted for s"). */
    uint32_t total = 0;
    CgBlock *blocks = f->blocks.data;
    const uint32_t *blks = f->blks.data;
    for (uint32_t b = 0; b < nb; b++) {
        const CgBlock *blk = &blocks[b];
        SK_ASSERT((blk->flags & CG_BLOCKF_BEGUN) && blk->ninsts >= 1 &&
                  (blk->nargs == 0 || blk->nsuccs == 1));
        if (ctx->opts.verify && blk->nargs) {
            /* Arguments have their parameters' types: moves and spill slots take a register's
             * type, so a narrower argument would leave the parameter's upper bytes stale
             * (spec-tests/regress/issue-izext-spill.wast). */
            const CgBlock *sb = &blocks[blks[blk->succs]];
            SK_ASSERT(sb->nparams == blk->nargs);
            for (uint32_t i = 0; i < blk->nargs; i++)
                SK_ASSERT(cg_reg_type(ctx, f->regs.data[blk->args + i]) ==
                          cg_reg_type(ctx, f->regs.data[sb->params + i]));
        }
        for (uint32_t i = 0; i < blk->nsuccs; i++) {
            uint32_t s = blks[blk->succs + i];
            if (last[s] != b + 1) {
                last[s] = b + 1;
                count[s]++;
                total++;
            }
            if (s <= b && latch[s] < b + 1)
                latch[s] = b + 1;
        }
    }
    if (!SK_VEC_RESERVE_ARENA(&f->blks, &ctx->arena, f->blks.len + total))
        return false;
    blocks = f->blocks.data;
    uint32_t *pblks = f->blks.data;
    /* Predecessor slots, and loop depths: +1 on [h, latch(h)] for every header h, as a
     * prefix sum (latch[h] = last latch + 1 > h, so its -1 lands ahead of the scan). */
    uint32_t at = f->blks.len;
    int32_t d = 0;
    for (uint32_t b = 0; b < nb; b++) {
        blocks[b].preds = at;
        blocks[b].npreds = 0;
        at += count[b];
        if (latch[b]) {
            depth[b]++;
            depth[latch[b]]--;
        }
        d += depth[b];
        blocks[b].loop_depth = (uint16_t)(d > 0xFFFF ? 0xFFFF : d);
    }
    /* Fill them in block order (marks nb + b + 1, distinct from the counting pass's). */
    for (uint32_t b = 0; b < nb; b++) {
        const CgBlock *blk = &blocks[b];
        for (uint32_t i = 0; i < blk->nsuccs; i++) {
            uint32_t s = pblks[blk->succs + i];
            if (last[s] != nb + b + 1) {
                last[s] = nb + b + 1;
                CgBlock *sb = &blocks[s];
                pblks[sb->preds + sb->npreds++] = b;
            }
        }
    }
    f->blks.len = at;
    return true;
}

/* ---- printing ---------------------------------------------------------------------------- */

typedef struct Out {
    char *p;
    size_t left;
} Out;

static void SK_PRINTF(2, 3)
outf(Out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p, o->left, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t k = (size_t)n < o->left ? (size_t)n : (o->left ? o->left - 1 : 0);
    o->p += k;
    o->left -= k;
}

/* Prints a register or (after allocation) a location. */
static void
print_reg(const CgCtx *ctx, Out *o, uint32_t r, bool allocated)
{
    if (r == 0)
        outf(o, "-");
    else if (allocated && cg_loc_is_stack(r))
        outf(o, "[s%u]", r - CG_LOC_STACK);
    else if (cg_reg_is_phys(r))
        outf(o, "%s", ctx->target->reg_names ? ctx->target->reg_names[r] : "r?");
    else
        outf(o, "v%u", r - CG_VREG_FIRST);
}

void
cg_func_print(const CgCtx *ctx, char *out, size_t size)
{
    const CgFunc *f = &ctx->func;
    Out o = {out, size};
    bool allocated = ctx->core && ctx->core->rewritten;
    if (size)
        out[0] = 0;
    for (uint32_t b = 0; b < f->blocks.len; b++) {
        const CgBlock *blk = &f->blocks.data[b];
        outf(&o, "b%u(", b);
        for (uint32_t i = 0; i < blk->nparams; i++) {
            outf(&o, i ? ", " : "");
            print_reg(ctx, &o, f->regs.data[blk->params + i], false);
        }
        outf(&o, "):");
        if (blk->loop_depth)
            outf(&o, " ; depth %u", blk->loop_depth);
        outf(&o, "\n");
        for (uint32_t i = blk->first; i < blk->first + blk->ninsts; i++) {
            const CgInst *in = &f->insts.data[i];
            const CgOperand *ops = f->opnds.data + in->ops;
            outf(&o, "  ");
            if (in->op == CG_OP_PCOPY)
                outf(&o, "pcopy");
            else if (in->op == CG_OP_DEFS)
                outf(&o, "defs");
            else if (in->op == CG_OP_USES)
                outf(&o, "uses");
            else if (ctx->target->print_inst) {
                char buf[96];
                ctx->target->print_inst(ctx, in, buf, sizeof(buf));
                outf(&o, "%s", buf);
            } else
                outf(&o, "op%u", in->op);
            for (uint32_t k = 0, j = 0; k < in->nops; k++) {
                outf(&o, k ? ", " : " ");
                if (ops[k] & CG_OPF_DEF)
                    outf(&o, "=");
                print_reg(ctx, &o, cg_opnd_reg(ops[k]), allocated);
                if (ops[k] & CG_OPF_LATE)
                    outf(&o, "!");
                if (ops[k] & CG_OPF_FIXED) {
                    outf(&o, "@");
                    print_reg(ctx, &o, ops[in->nops + j++], false);
                }
            }
            outf(&o, "\n");
        }
        if (blk->nsuccs) {
            outf(&o, "  ->");
            for (uint32_t i = 0; i < blk->nsuccs; i++)
                outf(&o, " b%u", f->blks.data[blk->succs + i]);
            if (blk->nargs) {
                outf(&o, " (");
                for (uint32_t i = 0; i < blk->nargs; i++) {
                    outf(&o, i ? ", " : "");
                    print_reg(ctx, &o, f->regs.data[blk->args + i], false);
                }
                outf(&o, ")");
            }
            outf(&o, "\n");
        }
    }
}
