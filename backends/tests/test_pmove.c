/*
 * Exhaustive test of the parallel-move sequencer (backends/pmove.c), in the manner of QBE's
 * tools/pmov.c: every parallel copy over a small set of locations is sequenced and the steps
 * are run on a simulated machine, which must end with every destination holding its
 * source's old value and every other location (but the scratch registers and the temp slot)
 * unchanged. A slot-to-slot step clobbers its class's scratch register, as a real emitter
 * does, so a sequence that keeps a value in the scratch across such a step fails.
 *
 * Configurations: integer registers with slots; float registers with slots; both classes
 * sharing slots (cycles through a slot mix types); each with and without register exchange.
 */
#include <stdio.h>
#include <stdlib.h>

#include "backends/core.h"
#include "check.h"

/* Physical registers of the simulated machine: 1-4 integer, 5-7 float, 8 int scratch,
 * 9 float scratch. Slots are CG_LOC_STACK + 0 .. 5; the temp slot is CG_LOC_STACK + 8. */
enum { NREG = 10, NSLOT = 10 };
#define INT_SCRATCH 8u
#define FLT_SCRATCH 9u
#define TEMP (CG_LOC_STACK + 8u)

static uint8_t reg_class[CG_NPREGS];

typedef struct Machine {
    uint32_t reg[NREG];
    uint32_t slot[NSLOT];
} Machine;

static uint32_t *
cell(Machine *m, CgLoc l)
{
    if (cg_loc_is_reg(l)) {
        if (l >= NREG)
            abort();
        return &m->reg[l];
    }
    if (l - CG_LOC_STACK >= NSLOT)
        abort();
    return &m->slot[l - CG_LOC_STACK];
}

static uint32_t garbage = 0xDEAD0000;

/* Runs one step; returns false on an illegal step. */
static bool
run_step(Machine *m, const CgMove *s)
{
    CgClass cls = cg_type_class((CgType)s->type);
    if (s->swap) {
        if (!cg_loc_is_reg(s->dst) || !cg_loc_is_reg(s->src) ||
            reg_class[s->dst] != CG_CLASS_INT || reg_class[s->src] != CG_CLASS_INT)
            return false;
        uint32_t t = m->reg[s->dst];
        m->reg[s->dst] = m->reg[s->src];
        m->reg[s->src] = t;
        return true;
    }
    /* Register operands must be of the move's class. */
    if (cg_loc_is_reg(s->dst) && reg_class[s->dst] != cls)
        return false;
    if (cg_loc_is_reg(s->src) && reg_class[s->src] != cls)
        return false;
    uint32_t v = *cell(m, s->src);
    if (cg_loc_is_stack(s->dst) && cg_loc_is_stack(s->src))
        m->reg[cls == CG_CLASS_INT ? INT_SCRATCH : FLT_SCRATCH] = garbage++;
    *cell(m, s->dst) = v;
    return true;
}

typedef struct Config {
    const char *name;
    CgLoc locs[8];
    uint32_t nlocs;
    bool can_swap;
} Config;

/* Type of a move between two locations, or NONE if the classes clash. */
static CgType
move_type(CgLoc dst, CgLoc src)
{
    CgClass cd = cg_loc_is_reg(dst) ? (CgClass)reg_class[dst] : CG_CLASS_NONE;
    CgClass cs = cg_loc_is_reg(src) ? (CgClass)reg_class[src] : CG_CLASS_NONE;
    if (cd && cs && cd != cs)
        return CG_TYPE_NONE;
    CgClass c = cd ? cd : cs;
    if (!c)  // slot to slot: vary the class by destination slot
        c = (dst - CG_LOC_STACK) % 2 ? CG_CLASS_FLOAT : CG_CLASS_INT;
    return c == CG_CLASS_INT ? CG_TYPE_I64 : CG_TYPE_F64;
}

static uint64_t cases, steps_total, temps;

/* Checks one parallel copy: src_of[i] = index of the source of locs[i], or -1. */
static void
check_case(const Config *cfg, const int *src_of)
{
    CgMove moves[8], out[16];
    uint32_t n = 0;
    for (uint32_t i = 0; i < cfg->nlocs; i++) {
        if (src_of[i] < 0)
            continue;
        CgLoc d = cfg->locs[i], s = cfg->locs[src_of[i]];
        CgType t = move_type(d, s);
        if (!t)
            return;  // not a valid problem
        moves[n++] = (CgMove){d, s, (uint8_t)t, 0, 0};
    }
    CgMove orig[8];
    memcpy(orig, moves, sizeof(orig));

    CgPmoveEnv env;
    memset(&env, 0, sizeof(env));
    env.reg_class = reg_class;
    env.scratch[CG_CLASS_INT] = INT_SCRATCH;
    env.scratch[CG_CLASS_FLOAT] = FLT_SCRATCH;
    env.can_swap = cfg->can_swap;
    env.temp = TEMP;
    bool used_temp = false;
    uint32_t k = cg_pmove_sequence(&env, moves, n, out, &used_temp);
    cases++;
    steps_total += k;
    temps += used_temp;
    CHECK(k <= 2 * n);

    Machine m, before;
    for (uint32_t r = 0; r < NREG; r++)
        m.reg[r] = 100 + r;
    for (uint32_t s = 0; s < NSLOT; s++)
        m.slot[s] = 200 + s;
    before = m;
    bool temp_seen = false;
    for (uint32_t i = 0; i < k; i++) {
        if (out[i].dst == TEMP || out[i].src == TEMP)
            temp_seen = true;
        if (!run_step(&m, &out[i])) {
            fprintf(stderr, "%s: illegal step %u\n", cfg->name, i);
            check_failures++;
            return;
        }
    }
    CHECK(temp_seen == used_temp);
    bool ok = true;
    for (uint32_t i = 0; i < cfg->nlocs; i++) {
        CgLoc l = cfg->locs[i];
        uint32_t want = *cell(&before, l);
        for (uint32_t j = 0; j < n; j++)
            if (orig[j].dst == l)
                want = *cell(&before, orig[j].src);
        if (*cell(&m, l) != want)
            ok = false;
    }
    if (!ok) {
        fprintf(stderr, "%s: wrong result for", cfg->name);
        for (uint32_t j = 0; j < n; j++)
            fprintf(stderr, " %u<-%u", orig[j].dst, orig[j].src);
        fprintf(stderr, "\n");
        check_failures++;
    }
}

/* Enumerates every src_of assignment ((nlocs+1)^nlocs cases). */
static void
run_config(const Config *cfg)
{
    int src_of[8];
    uint32_t n = cfg->nlocs;
    for (uint32_t i = 0; i < n; i++)
        src_of[i] = -1;
    for (;;) {
        check_case(cfg, src_of);
        uint32_t i = 0;
        while (i < n) {
            src_of[i]++;
            if (src_of[i] < (int)n)
                break;
            src_of[i] = -1;
            i++;
        }
        if (i == n)
            break;
    }
}

/* A few exact sequences, so that the sequencer's choices stay as intended. */
static void
check_known(void)
{
    CgPmoveEnv env;
    memset(&env, 0, sizeof(env));
    env.reg_class = reg_class;
    env.scratch[CG_CLASS_INT] = INT_SCRATCH;
    env.scratch[CG_CLASS_FLOAT] = FLT_SCRATCH;
    env.temp = TEMP;
    CgMove out[8];
    bool used = false;

    /* A swap of two integer registers with exchange available: one xchg. */
    env.can_swap = true;
    CgMove sw[2] = {{1, 2, CG_TYPE_I64, 0, 0}, {2, 1, CG_TYPE_I64, 0, 0}};
    CHECK_EQ(cg_pmove_sequence(&env, sw, 2, out, &used), 1);
    CHECK(out[0].swap == 1);
    CHECK(!used);

    /* Without exchange: through the scratch register, three moves. */
    env.can_swap = false;
    CgMove sw2[2] = {{1, 2, CG_TYPE_I64, 0, 0}, {2, 1, CG_TYPE_I64, 0, 0}};
    CHECK_EQ(cg_pmove_sequence(&env, sw2, 2, out, &used), 3);
    CHECK_EQ(out[0].dst, INT_SCRATCH);
    CHECK(!used);

    /* Two slots swapping: the scratch is needed by the slot moves, so the temp slot. */
    CgMove ss[2] = {{CG_LOC_STACK + 0, CG_LOC_STACK + 2, CG_TYPE_I64, 0, 0},
                    {CG_LOC_STACK + 2, CG_LOC_STACK + 0, CG_TYPE_I64, 0, 0}};
    CHECK_EQ(cg_pmove_sequence(&env, ss, 2, out, &used), 3);
    CHECK(used);

    /* A chain needs no temporary and goes from its end. */
    used = false;
    CgMove ch[3] = {{1, 2, CG_TYPE_I64, 0, 0}, {2, 3, CG_TYPE_I64, 0, 0},
                    {3, 4, CG_TYPE_I64, 0, 0}};
    CHECK_EQ(cg_pmove_sequence(&env, ch, 3, out, &used), 3);
    CHECK_EQ(out[0].dst, 1);
    CHECK_EQ(out[1].dst, 2);
    CHECK_EQ(out[2].dst, 3);
    CHECK(!used);

    /* Self moves vanish. */
    CgMove self[1] = {{3, 3, CG_TYPE_I64, 0, 0}};
    CHECK_EQ(cg_pmove_sequence(&env, self, 1, out, &used), 0);
}

int
main(void)
{
    for (uint32_t r = 1; r <= 4; r++)
        reg_class[r] = CG_CLASS_INT;
    for (uint32_t r = 5; r <= 7; r++)
        reg_class[r] = CG_CLASS_FLOAT;
    reg_class[INT_SCRATCH] = CG_CLASS_INT;
    reg_class[FLT_SCRATCH] = CG_CLASS_FLOAT;
    const CgLoc S = CG_LOC_STACK;

    check_known();
    static const Config configs[] = {
        {"int regs+slots, xchg", {1, 2, 3, 4, S + 0, S + 1, S + 2}, 7, true},
        {"int regs+slots, no xchg", {1, 2, 3, 4, S + 0, S + 1, S + 2}, 7, false},
        {"float regs+slots", {5, 6, 7, S + 0, S + 1, S + 2, S + 3}, 7, false},
        {"mixed classes, xchg", {1, 2, 5, 6, S + 0, S + 1, S + 2}, 7, true},
        {"mixed classes, no xchg", {1, 2, 5, 6, S + 0, S + 1, S + 2}, 7, false},
    };
    for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++)
        run_config(&configs[i]);
    printf("pmove: %llu cases, %llu steps, %llu used the temp slot\n",
           (unsigned long long)cases, (unsigned long long)steps_total,
           (unsigned long long)temps);
    CHECK(cases > 1000000);
    return check_exit();
}
