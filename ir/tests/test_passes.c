/*
 * Unit tests of the builder, printer and passes (ir/ir.c, print.c, params.c, dce.c, cfg.c,
 * passes.c) on hand-built functions: the printed text is checked exactly, and the verifier
 * runs after every step.
 */
#include "ir_fixture.h"

static SkArena arena;
static IrFunc fn;

#define I32 IR_TYPE_I32

/* A loop whose header passes one parameter around unchanged. */
static void
build_loop(IrFunc *f)
{
    fx_start(f, &arena, SIG_II_I);
    IrValue x = ir_func_param(f, 0), y = ir_func_param(f, 1);
    IrBlock h = ir_block_new(f), e = ir_block_new(f), xb = ir_block_new(f);
    IrValue c = ir_build_iconst(f, I32, 0);
    ir_jump(f, h, (IrValue[]){x, c}, 2);
    ir_block_start(f, h);
    IrValue p = ir_block_add_param(f, h, I32);
    IrValue q = ir_block_add_param(f, h, I32);
    IrValue s = ir_build_binary(f, IR_OP_IADD, I32, q, y);
    IrValue cond = ir_build_icmp(f, IR_ICC_LT_U, s, p);
    ir_branch(f, cond, e, xb);
    ir_block_start(f, e);
    ir_jump(f, h, (IrValue[]){p, s}, 2);
    ir_block_start(f, xb);
    ir_return(f, &s, 1);
}

static void
test_print_and_simplify(void)
{
    build_loop(&fn);
    CHECK(fx_verify(&fn));
    CHECK_STR(fx_print(&fn),
              "function f1: (i32, i32) -> (i32)\n"
              "block0(v0:i32, v1:i32):\n"
              "  v2:i32 = iconst 0\n"
              "  jump block1(v0, v2)\n"
              "block1(v3:i32, v4:i32):\n"
              "  v5:i32 = iadd v4, v1\n"
              "  v6:i32 = icmp lt_u v5, v3\n"
              "  branch v6, block2, block3\n"
              "block2:\n"
              "  jump block1(v3, v5)\n"
              "block3:\n"
              "  return v5\n");
    CHECK(ir_pass_simplify_params(&fn));
    CHECK(fx_verify(&fn));
    /* The parameter that only ever receives x (or itself) is x. */
    CHECK_STR(fx_print(&fn),
              "function f1: (i32, i32) -> (i32)\n"
              "block0(v0:i32, v1:i32):\n"
              "  v2:i32 = iconst 0\n"
              "  jump block1(v2)\n"
              "block1(v3:i32):\n"
              "  v4:i32 = iadd v3, v1\n"
              "  v5:i32 = icmp lt_u v4, v0\n"
              "  branch v5, block2, block3\n"
              "block2:\n"
              "  jump block1(v4)\n"
              "block3:\n"
              "  return v4\n");
    /* Raw ids: the entry params are v1, v2; the removed param's id is gone. */
    const char *raw = ir_print_to_string(&fn, "loop", true, fn.arena);
    CHECK_CONTAINS(raw, "function f1 \"loop\": (i32, i32) -> (i32)\nblock1(v1:i32, v2:i32):");
    CHECK_CONTAINS(raw, "block2(v5:i32):");
}

/* Chains: p2 = {x, p1}, p1 = {x, p2} (two nested loops passing a value around). */
static void
test_simplify_chain(void)
{
    fx_start(&fn, &arena, SIG_II_I);
    IrValue x = ir_func_param(&fn, 0), y = ir_func_param(&fn, 1);
    IrBlock h1 = ir_block_new(&fn), h2 = ir_block_new(&fn), b2 = ir_block_new(&fn),
            b1 = ir_block_new(&fn), out = ir_block_new(&fn);
    ir_jump(&fn, h1, &x, 1);
    ir_block_start(&fn, h1);
    IrValue p1 = ir_block_add_param(&fn, h1, I32);
    ir_jump(&fn, h2, &p1, 1);
    ir_block_start(&fn, h2);
    IrValue p2 = ir_block_add_param(&fn, h2, I32);
    ir_branch(&fn, y, b2, b1);
    ir_block_start(&fn, b2);
    ir_jump(&fn, h2, &p2, 1);
    ir_block_start(&fn, b1);
    ir_branch(&fn, y, out, h1);  // h1 has a parameter: not allowed from a branch
    char msg[256];
    CHECK_CONTAINS(fx_verify_msg(&fn, msg, sizeof(msg)), "conditional branch to block2");
    /* Fix: go through an edge block. */
    fx_start(&fn, &arena, SIG_II_I);
    x = ir_func_param(&fn, 0);
    y = ir_func_param(&fn, 1);
    h1 = ir_block_new(&fn);
    h2 = ir_block_new(&fn);
    b2 = ir_block_new(&fn);
    b1 = ir_block_new(&fn);
    out = ir_block_new(&fn);
    IrBlock edge = ir_block_new(&fn);
    ir_jump(&fn, h1, &x, 1);
    ir_block_start(&fn, h1);
    p1 = ir_block_add_param(&fn, h1, I32);
    ir_jump(&fn, h2, &p1, 1);
    ir_block_start(&fn, h2);
    p2 = ir_block_add_param(&fn, h2, I32);
    ir_branch(&fn, y, b2, b1);
    ir_block_start(&fn, b2);
    ir_jump(&fn, h2, &p2, 1);
    ir_block_start(&fn, b1);
    ir_branch(&fn, y, out, edge);
    ir_block_start(&fn, edge);
    ir_jump(&fn, h1, &p2, 1);
    ir_block_start(&fn, out);
    ir_return(&fn, &p2, 1);
    CHECK(fx_verify(&fn));
    CHECK(ir_pass_simplify_params(&fn));
    CHECK(fx_verify(&fn));
    CHECK_EQ(ir_block(&fn, h1)->nparams, 0);
    CHECK_EQ(ir_block(&fn, h2)->nparams, 0);
    const IrTerm *t = &ir_block(&fn, out)->term;
    CHECK_EQ(fn.pool.data[t->list], x.id);  // returns x
}

static void
test_dce(void)
{
    fx_start(&fn, &arena, SIG_II_I);
    IrValue x = ir_func_param(&fn, 0), y = ir_func_param(&fn, 1);
    IrBlock h = ir_block_new(&fn), body = ir_block_new(&fn), out = ir_block_new(&fn),
            dead = ir_block_new(&fn), live = ir_block_new(&fn);
    /* Unused pure value, unused global.get (READ: removable), unused load (may trap: kept). */
    ir_build_binary(&fn, IR_OP_IMUL, I32, x, y);
    ir_emit(&fn, IR_OP_GLOBAL_GET, I32, 0, 0, 0, 0);
    ir_emit(&fn, IR_OP_LOAD, I32, x.id, 0, IR_MEMARG(0, 2, 0), 4);
    IrValue one = ir_build_iconst(&fn, I32, 1);
    ir_branch(&fn, one, live, dead);  // constant condition: dead becomes unreachable
    ir_block_start(&fn, dead);
    ir_emit(&fn, IR_OP_GLOBAL_SET, IR_TYPE_NONE, x.id, 0, 0, 0);
    ir_return(&fn, &x, 1);
    ir_block_start(&fn, live);
    /* A loop-carried value nobody reads after the loop: a dead cycle through a parameter. */
    IrValue z = ir_build_iconst(&fn, I32, 0);
    ir_jump(&fn, h, (IrValue[]){z}, 1);
    ir_block_start(&fn, h);
    IrValue acc = ir_block_add_param(&fn, h, I32);
    IrValue next = ir_build_binary(&fn, IR_OP_IADD, I32, acc, y);
    ir_branch(&fn, x, body, out);
    ir_block_start(&fn, body);
    ir_jump(&fn, h, &next, 1);
    ir_block_start(&fn, out);
    ir_return(&fn, &y, 1);
    CHECK(fx_verify(&fn));
    CHECK(ir_pass_dce(&fn));
    CHECK(fx_verify(&fn));
    CHECK(ir_block(&fn, dead)->flags & IR_BLOCKF_REMOVED);
    /* The loop header lost its dead parameter; the empty blocks that only jumped (the
     * block after the folded branch, the loop body) are bypassed. */
    CHECK_STR(fx_print(&fn),
              "function f1: (i32, i32) -> (i32)\n"
              "block0(v0:i32, v1:i32):\n"
              "  v2:i32 = load v0 offset=4 align=4\n"
              "  jump block1\n"
              "block1:\n"
              "  branch v0, block1, block2\n"
              "block2:\n"
              "  return v1\n");
    CHECK(ir_block(&fn, live)->flags & IR_BLOCKF_REMOVED);
    CHECK(ir_block(&fn, body)->flags & IR_BLOCKF_REMOVED);
    /* The whole default pipeline, with verification, on the loop function. */
    build_loop(&fn);
    char msg[256];
    CHECK(ir_passes_run(&fn, true, msg, sizeof(msg)));
    CHECK(fn.uses != NULL);
    CHECK_EQ(fn.uses[ir_func_param(&fn, 0).id], 1);  // the compare
}

/* An empty infinite loop (a forwarder jumping to itself) is kept; chains are followed. */
static void
test_thread_cycle(void)
{
    fx_start(&fn, &arena, SIG_V_V);
    IrBlock a = ir_block_new(&fn), b = ir_block_new(&fn), c = ir_block_new(&fn);
    ir_jump(&fn, a, NULL, 0);
    ir_block_start(&fn, a);
    ir_jump(&fn, b, NULL, 0);
    ir_block_start(&fn, b);
    ir_jump(&fn, c, NULL, 0);
    ir_block_start(&fn, c);
    ir_jump(&fn, c, NULL, 0);
    CHECK(fx_verify(&fn));
    CHECK(ir_pass_dce(&fn));
    CHECK(fx_verify(&fn));
    CHECK_STR(fx_print(&fn),
              "function f0: () -> ()\n"
              "block0:\n"
              "  jump block1\n"
              "block1:\n"
              "  jump block1\n");

    /* Two empty blocks jumping to each other: both stay (and the pass stays linear). */
    fx_start(&fn, &arena, SIG_V_V);
    a = ir_block_new(&fn);
    b = ir_block_new(&fn);
    ir_jump(&fn, a, NULL, 0);
    ir_block_start(&fn, a);
    ir_jump(&fn, b, NULL, 0);
    ir_block_start(&fn, b);
    ir_jump(&fn, a, NULL, 0);
    CHECK(ir_pass_dce(&fn));
    CHECK(fx_verify(&fn));
    CHECK_STR(fx_print(&fn),
              "function f0: () -> ()\n"
              "block0:\n"
              "  jump block1\n"
              "block1:\n"
              "  jump block2\n"
              "block2:\n"
              "  jump block1\n");
}

static void
test_cfg(void)
{
    build_loop(&fn);
    IrCfg cfg;
    CHECK(ir_cfg_compute(&fn, fn.arena, true, &cfg));
    CHECK_EQ(cfg.nrpo, 4);
    CHECK_EQ(cfg.rpo[0], 1);
    CHECK_EQ(cfg.rpo[1], 2);  // header
    CHECK_EQ(cfg.rpo[2], 3);  // loop body (the "then" side) before the exit
    CHECK_EQ(cfg.rpo[3], 4);
    CHECK_EQ(cfg.pred_start[3] - cfg.pred_start[2], 2);  // header: entry + back edge
    CHECK_EQ(cfg.idom[2], 1);
    CHECK_EQ(cfg.idom[3], 2);
    CHECK_EQ(cfg.idom[4], 2);
    CHECK(ir_cfg_dominates(&cfg, 2, 3));
    CHECK(ir_cfg_dominates(&cfg, 2, 2));
    CHECK(!ir_cfg_dominates(&cfg, 3, 4));
    CHECK(!ir_cfg_dominates(&cfg, 3, 2));
}

static void
test_alias_and_uses(void)
{
    fx_start(&fn, &arena, SIG_II_I);
    IrValue x = ir_func_param(&fn, 0), y = ir_func_param(&fn, 1);
    IrValue a = ir_emit(&fn, IR_OP_IADD, I32, x.id, y.id, 0, 0);
    IrValue b = ir_emit(&fn, IR_OP_IMUL, I32, a.id, a.id, 0, 0);
    IrValue args[2] = {b, a};
    IrValue call = ir_emit(&fn, IR_OP_CALL, I32, SIG_II_I, ir_pool_push(&fn, &args[0].id, 1), 1,
                           SIG_II_I);
    /* Fix the call: two arguments. */
    uint32_t start = ir_pool_push(&fn, (uint32_t[]){b.id, a.id}, 2);
    ir_inst(&fn, call.id)->a[1] = start;
    ir_inst(&fn, call.id)->a[2] = 2;
    ir_return(&fn, &call, 1);
    CHECK(fx_verify(&fn));
    ir_alias_set(&fn, a, x);  // replace a by x everywhere
    CHECK_EQ(ir_resolve(&fn, a).id, x.id);
    ir_alias_apply(&fn);
    CHECK(fn.alias == NULL);
    CHECK_EQ(ir_inst(&fn, b.id)->a[0], x.id);
    CHECK_EQ(fn.pool.data[start + 1], x.id);
    CHECK(ir_func_count_uses(&fn));
    CHECK_EQ(fn.uses[x.id], 4);  // a itself (still there, unused), imul twice, call argument
    CHECK_EQ(fn.uses[a.id], 0);
    CHECK_EQ(fn.uses[call.id], 1);  // returned
}

int
main(void)
{
    sk_arena_init(&arena, NULL);
    test_print_and_simplify();
    test_simplify_chain();
    test_dce();
    test_thread_cycle();
    test_cfg();
    test_alias_and_uses();
    sk_arena_free(&arena);
    return check_exit();
}
