/*
 * Control-flow facts for an IrFunc, computed on demand from the block terminators: reverse
 * postorder, predecessor lists, and the dominator tree (Cooper, Harvey, Kennedy, "A Simple,
 * Fast Dominance Algorithm", 2001) with pre/post numbers so that a dominance query is O(1).
 * Used by the verifier and the passes; backends may use it for block layout. All arrays come
 * from the arena the caller passes.
 */
#include "ir/ir.h"

#include <string.h>

#define NOT_REACHED UINT32_MAX

/* The successors of block b, written into out[] (at most 2 + BR_TABLE entries): returns
 * how many. BR_TABLE's list is read in place instead (see succ_list). */
static inline uint32_t
succ_list(const IrFunc *f, uint32_t b, uint32_t *two, const uint32_t **out)
{
    const IrTerm *t = &f->blocks.data[b].term;
    switch (t->kind) {
    case IR_TERM_JUMP:
        two[0] = t->target;
        *out = two;
        return 1;
    case IR_TERM_BRANCH:
        two[0] = t->target;
        two[1] = t->target2;
        *out = two;
        return 2;
    case IR_TERM_BR_TABLE:
        *out = NULL;  // pool list, then the default
        return t->nlist + 1;
    default:
        return 0;
    }
}

static inline uint32_t
succ_at(const IrFunc *f, uint32_t b, const uint32_t *list, uint32_t i)
{
    if (list)
        return list[i];
    const IrTerm *t = &f->blocks.data[b].term;
    return i < t->nlist ? f->pool.data[t->list + i] : t->target;
}

/* Iterative DFS from the entry; successors are taken last-first so that the "then" side of
 * a branch finishes last and comes first in reverse postorder (source order for Wasm). */
static bool
compute_rpo(const IrFunc *f, SkArena *arena, IrCfg *out)
{
    uint32_t nblocks = f->blocks.len;
    uint32_t *post = sk_arena_alloc(arena, (size_t)nblocks * sizeof(uint32_t));
    uint32_t *stack = sk_arena_alloc(arena, (size_t)nblocks * sizeof(uint32_t));
    uint32_t *next = sk_arena_alloc(arena, (size_t)nblocks * sizeof(uint32_t));  // succs left
    out->rpo_index = sk_arena_alloc(arena, (size_t)nblocks * sizeof(uint32_t));
    out->rpo = post;  // reversed in place below
    if (!post || !stack || !next || !out->rpo_index)
        return false;
    /* rpo_index doubles as the visited mark: NOT_REACHED until visited. */
    memset(out->rpo_index, 0xff, (size_t)nblocks * sizeof(uint32_t));
    uint32_t npost = 0, sp = 0, two[2];
    const uint32_t *list = NULL;
    if (nblocks > 1) {
        stack[sp++] = 1;
        out->rpo_index[1] = 0;
        next[1] = succ_list(f, 1, two, &list);
    }
    while (sp) {
        uint32_t b = stack[sp - 1];
        if (next[b] == 0) {
            post[npost++] = b;
            sp--;
            continue;
        }
        succ_list(f, b, two, &list);
        uint32_t s = succ_at(f, b, list, --next[b]);
        if (s == 0 || s >= nblocks || out->rpo_index[s] != NOT_REACHED)
            continue;  // out-of-range targets are the verifier's to report
        out->rpo_index[s] = 0;
        next[s] = succ_list(f, s, two, &list);
        stack[sp++] = s;
    }
    memset(out->rpo_index, 0xff, (size_t)nblocks * sizeof(uint32_t));
    for (uint32_t i = 0, j = npost; i < j--; i++) {
        uint32_t tmp = post[i];
        post[i] = post[j];
        post[j] = tmp;
    }
    for (uint32_t i = 0; i < npost; i++)
        out->rpo_index[post[i]] = i;
    out->nrpo = npost;
    return true;
}

static bool
compute_preds(const IrFunc *f, SkArena *arena, IrCfg *out)
{
    uint32_t nblocks = f->blocks.len;
    uint32_t *start = sk_arena_calloc(arena, (size_t)nblocks + 1, sizeof(uint32_t));
    if (!start)
        return false;
    uint64_t nedges = 0;
    uint32_t two[2];
    const uint32_t *list = NULL;
    for (uint32_t i = 0; i < out->nrpo; i++) {
        uint32_t b = out->rpo[i];
        uint32_t n = succ_list(f, b, two, &list);
        for (uint32_t k = 0; k < n; k++) {
            uint32_t s = succ_at(f, b, list, k);
            if (s < nblocks)
                start[s + 1]++;
        }
        nedges += n;
    }
    for (uint32_t b = 0; b < nblocks; b++)
        start[b + 1] += start[b];
    uint32_t *preds = sk_arena_alloc(arena, (size_t)(nedges ? nedges : 1) * sizeof(uint32_t));
    uint32_t *fill = sk_arena_alloc(arena, (size_t)nblocks * sizeof(uint32_t));
    if (!preds || !fill)
        return false;
    memcpy(fill, start, (size_t)nblocks * sizeof(uint32_t));
    for (uint32_t i = 0; i < out->nrpo; i++) {
        uint32_t b = out->rpo[i];
        uint32_t n = succ_list(f, b, two, &list);
        for (uint32_t k = 0; k < n; k++) {
            uint32_t s = succ_at(f, b, list, k);
            if (s < nblocks)
                preds[fill[s]++] = b;
        }
    }
    out->pred_start = start;
    out->preds = preds;
    return true;
}

/* Walks two fingers up the partially built dominator tree to their common ancestor. */
static uint32_t
intersect(const IrCfg *cfg, uint32_t a, uint32_t b)
{
    while (a != b) {
        while (cfg->rpo_index[a] > cfg->rpo_index[b])
            a = cfg->idom[a];
        while (cfg->rpo_index[b] > cfg->rpo_index[a])
            b = cfg->idom[b];
    }
    return a;
}

static bool
compute_doms(const IrFunc *f, SkArena *arena, IrCfg *out)
{
    uint32_t nblocks = f->blocks.len;
    out->idom = sk_arena_calloc(arena, nblocks, sizeof(uint32_t));
    out->dom_pre = sk_arena_calloc(arena, nblocks, sizeof(uint32_t));
    out->dom_post = sk_arena_calloc(arena, nblocks, sizeof(uint32_t));
    if (!out->idom || !out->dom_pre || !out->dom_post)
        return false;
    if (out->nrpo == 0)
        return true;
    out->idom[1] = 1;
    bool changed = true;
    while (changed) {
        changed = false;
        for (uint32_t i = 1; i < out->nrpo; i++) {
            uint32_t b = out->rpo[i];
            uint32_t new_idom = 0;
            for (uint32_t k = out->pred_start[b]; k < out->pred_start[b + 1]; k++) {
                uint32_t p = out->preds[k];
                if (!out->idom[p])
                    continue;  // not processed yet
                new_idom = new_idom ? intersect(out, p, new_idom) : p;
            }
            if (new_idom && out->idom[b] != new_idom) {
                out->idom[b] = new_idom;
                changed = true;
            }
        }
    }
    /* Number the dominator tree in DFS pre/post order: a dominates b iff b's interval
     * nests in a's. Children lists are built as a CSR array indexed by parent. */
    uint32_t *cstart = sk_arena_calloc(arena, (size_t)nblocks + 1, sizeof(uint32_t));
    uint32_t *child = sk_arena_calloc(arena, nblocks, sizeof(uint32_t));
    uint32_t *stack = sk_arena_calloc(arena, nblocks, sizeof(uint32_t));
    uint32_t *next = sk_arena_calloc(arena, nblocks, sizeof(uint32_t));
    if (!cstart || !child || !stack || !next)
        return false;
    for (uint32_t i = 1; i < out->nrpo; i++)
        cstart[out->idom[out->rpo[i]] + 1]++;
    for (uint32_t b = 0; b < nblocks; b++)
        cstart[b + 1] += cstart[b];
    memcpy(next, cstart, (size_t)nblocks * sizeof(uint32_t));
    for (uint32_t i = 1; i < out->nrpo; i++) {
        uint32_t b = out->rpo[i];
        child[next[out->idom[b]]++] = b;
    }
    memcpy(next, cstart, (size_t)nblocks * sizeof(uint32_t));
    uint32_t clock = 1, sp = 0;
    stack[sp++] = 1;
    out->dom_pre[1] = clock++;
    while (sp) {
        uint32_t b = stack[sp - 1];
        if (next[b] < cstart[b + 1]) {
            uint32_t c = child[next[b]++];
            out->dom_pre[c] = clock++;
            stack[sp++] = c;
        } else {
            out->dom_post[b] = clock++;
            sp--;
        }
    }
    return true;
}

bool
ir_cfg_compute(const IrFunc *f, SkArena *arena, bool doms, IrCfg *out)
{
    memset(out, 0, sizeof(*out));
    if (!compute_rpo(f, arena, out) || !compute_preds(f, arena, out))
        return false;
    if (doms && !compute_doms(f, arena, out))
        return false;
    return true;
}

bool
ir_cfg_dominates(const IrCfg *cfg, uint32_t a, uint32_t b)
{
    return cfg->dom_pre[a] && cfg->dom_pre[b] && cfg->dom_pre[a] <= cfg->dom_pre[b] &&
           cfg->dom_post[b] <= cfg->dom_post[a];
}
