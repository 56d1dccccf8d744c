/*
 * Parallel-move sequencing (used by resolve.c for every group of moves the allocator needs:
 * parallel copies, split moves, spill stores, edge moves).
 *
 * Input: moves dst_i <- src_i meant to happen at once; destinations are distinct, a source
 * may feed several destinations, and locations are registers or spill slots. Output: an
 * ordered list of simple moves (and integer-register exchanges) with the same effect.
 *
 * Method (the classic one; see Rideau, Serpette & Leroy, "Tilting at Windmills with Coq:
 * Formal Verification of a Compilation Algorithm for Parallel Moves", JAR 2008, for the
 * proof idea): a move whose destination no pending move still reads can go now. When none
 * can, the pending moves form disjoint cycles (each destination is read by exactly one
 * other pending move). A cycle is broken by exchanging two integer registers when the target
 * can (x86 xchg), else by saving one destination in a temporary and redirecting its reader:
 * the class's scratch register when no slot-to-slot move of that class in the cycle needs
 * the scratch itself, else the 16-byte temp slot (then every step uses the scratch only
 * within one move). backends/tests/test_pmove.c checks every case up to 7 locations.
 */
#include "backends/core.h"

SK_INLINE CgClass
loc_class(const CgPmoveEnv *env, CgLoc l, CgType type)
{
    return cg_loc_is_reg(l) ? (CgClass)env->reg_class[l] : cg_type_class(type);
}

/* True if the cycle through moves[i0] has a slot-to-slot move of class cls. */
static bool
cycle_needs_scratch(const CgMove *mv, uint32_t n, uint32_t i0, CgClass cls)
{
    uint32_t cur = i0;
    for (uint32_t steps = 0; steps <= n; steps++) {
        const CgMove *m = &mv[cur];
        if (cg_loc_is_stack(m->dst) && cg_loc_is_stack(m->src) &&
            cg_type_class((CgType)m->type) == cls)
            return true;
        uint32_t w = n;
        for (uint32_t k = 0; k < n; k++) {
            if (mv[k].dst == m->src) {
                w = k;
                break;
            }
        }
        SK_ASSERT(w < n);  // in a cycle every source is some pending destination
        if (w == i0)
            return false;
        cur = w;
    }
    sk_unreachable();
}

/* Removes moves[i] (order does not matter) and lets the writer of its source know that one
 * reader is gone. */
static void
retire(CgMove *mv, uint32_t *n, uint32_t i)
{
    CgLoc src = mv[i].src;
    mv[i] = mv[--*n];
    for (uint32_t k = 0; k < *n; k++) {
        if (mv[k].dst == src) {
            SK_ASSERT(mv[k].aux > 0);
            mv[k].aux--;
            break;
        }
    }
}

uint32_t
cg_pmove_sequence(const CgPmoveEnv *env, CgMove *mv, uint32_t n, CgMove *out,
                  bool *out_used_temp)
{
    uint32_t m = 0, nout = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (mv[i].dst != mv[i].src) {
            mv[m] = mv[i];
            mv[m].swap = 0;
            m++;
        }
    }
    n = m;
    if (n <= 1) {
        if (n)
            out[nout++] = mv[0];
        return nout;
    }
    /* aux = how many pending moves still read this move's destination. */
    uint32_t readers = 0;
    for (uint32_t i = 0; i < n; i++) {
        mv[i].aux = 0;
        for (uint32_t j = 0; j < n; j++)
            if (mv[j].src == mv[i].dst)
                mv[i].aux++;
        readers |= mv[i].aux;
    }
    if (!readers) {
        /* No move reads another's destination (the usual case): the loop below would take
         * them in the order mv[0], mv[n-1], mv[n-2], ..., mv[1]. */
        out[nout] = mv[0];
        out[nout++].aux = 0;
        for (uint32_t i = n; --i > 0;) {
            out[nout] = mv[i];
            out[nout++].aux = 0;
        }
        return nout;
    }
    while (n) {
        bool any = true;
        while (any) {
            any = false;
            for (uint32_t i = 0; i < n;) {
                if (mv[i].aux == 0) {
                    out[nout] = mv[i];
                    out[nout++].aux = 0;
                    retire(mv, &n, i);
                    any = true;
                } else {
                    i++;
                }
            }
        }
        if (!n)
            break;

        /* Only cycles remain. Break the one through mv[0] (d <- s). */
        CgLoc d = mv[0].dst, s = mv[0].src;
        uint32_t r = n;
        for (uint32_t k = 0; k < n; k++) {
            if (mv[k].src == d) {
                r = k;
                break;
            }
        }
        SK_ASSERT(r < n && r != 0);
        if (env->can_swap && cg_loc_is_reg(d) && cg_loc_is_reg(s) &&
            env->reg_class[d] == CG_CLASS_INT && env->reg_class[s] == CG_CLASS_INT) {
            /* xchg d, s: d gets its value; s now holds d's old value for d's reader. */
            out[nout++] = (CgMove){d, s, CG_TYPE_I64, 1, 0};
            mv[r].src = s;
            /* mv[0] is done; its source s keeps one reader (r instead of mv[0]). */
            mv[0] = mv[--n];
            if (r == n)
                r = 0;
            if (mv[r].dst == mv[r].src) {
                /* A two-cycle: the exchange did both moves. */
                CgLoc x = mv[r].dst;
                mv[r] = mv[--n];
                for (uint32_t k = 0; k < n; k++)
                    if (mv[k].dst == x && mv[k].aux)
                        mv[k].aux--;
            }
            continue;
        }
        CgType rt = (CgType)mv[r].type;
        CgClass cls = loc_class(env, d, rt);
        CgLoc tmp = env->scratch[cls];
        if (!tmp || cycle_needs_scratch(mv, n, 0, cls)) {
            tmp = env->temp;
            *out_used_temp = true;
        }
        out[nout++] = (CgMove){tmp, d, (uint8_t)rt, 0, 0};
        mv[r].src = tmp;
        mv[0].aux--;
    }
    return nout;
}
