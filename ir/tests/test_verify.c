/*
 * Unit tests of the verifier (ir/verify.c): a valid function passes, and each kind of broken
 * IR, built by hand, is rejected with the expected message.
 */
#include "ir_fixture.h"

static SkArena arena;
static IrFunc fn;
static char msg[256];

#define I32 IR_TYPE_I32
#define I64 IR_TYPE_I64

static const char *
verify_msg(void)
{
    return fx_verify_msg(&fn, msg, sizeof(msg));
}

/* Builds: entry(x, y): branch x, then, else; then: jump join(a); else: jump join(y);
 * join(p): return p. Returns the ids through out-params for the tests to break. */
static void
build_diamond(IrBlock *out_then, IrBlock *out_else, IrBlock *out_join, IrValue *out_a)
{
    fx_start(&fn, &arena, SIG_II_I);
    IrValue x = ir_func_param(&fn, 0), y = ir_func_param(&fn, 1);
    IrBlock t = ir_block_new(&fn), e = ir_block_new(&fn), j = ir_block_new(&fn);
    ir_branch(&fn, x, t, e);
    ir_block_start(&fn, t);
    IrValue a = ir_emit(&fn, IR_OP_IADD, I32, x.id, y.id, 0, 0);
    ir_jump(&fn, j, &a, 1);
    ir_block_start(&fn, e);
    ir_jump(&fn, j, &y, 1);
    ir_block_start(&fn, j);
    IrValue p = ir_block_add_param(&fn, j, I32);
    ir_return(&fn, &p, 1);
    *out_then = t;
    *out_else = e;
    *out_join = j;
    *out_a = a;
}

static void
test_valid(void)
{
    IrBlock t, e, j;
    IrValue a;
    build_diamond(&t, &e, &j, &a);
    CHECK_STR(verify_msg(), "");
}

static void
test_types(void)
{
    IrBlock t, e, j;
    IrValue a;
    build_diamond(&t, &e, &j, &a);
    ir_inst(&fn, a.id)->type = I64;  // iadd i64 of i32 operands
    CHECK_CONTAINS(verify_msg(), "iadd operand 0 has type i32");

    build_diamond(&t, &e, &j, &a);
    ir_inst(&fn, a.id)->type = IR_TYPE_F32;  // iadd does not take f32
    CHECK_CONTAINS(verify_msg(), "iadd does not take type f32");

    build_diamond(&t, &e, &j, &a);
    ir_inst(&fn, a.id)->op = IR_OP_ICMP;  // fine: i32 result of i32 operands...
    ir_inst(&fn, a.id)->imm = 99;         // ...but a bad condition
    CHECK_CONTAINS(verify_msg(), "bad condition");
}

static void
test_dominance(void)
{
    IrBlock t, e, j;
    IrValue a;
    build_diamond(&t, &e, &j, &a);
    /* The else side passes a, which is defined on the then side. */
    IrTerm *te = &ir_block(&fn, e)->term;
    fn.pool.data[te->list] = a.id;
    CHECK_CONTAINS(verify_msg(), "does not dominate its use");

    /* Use before definition in the same block. */
    build_diamond(&t, &e, &j, &a);
    ir_inst(&fn, a.id)->a[1] = a.id;
    CHECK_CONTAINS(verify_msg(), "does not dominate its use");

    /* A deleted (NOP) definition. */
    build_diamond(&t, &e, &j, &a);
    memset(ir_inst(&fn, a.id), 0, sizeof(IrInstData));
    ir_inst(&fn, a.id)->op = IR_OP_NOP;
    CHECK_CONTAINS(verify_msg(), "which defines no value");
}

static void
test_block_args(void)
{
    IrBlock t, e, j;
    IrValue a;
    build_diamond(&t, &e, &j, &a);
    ir_block(&fn, e)->term.nlist = 0;
    CHECK_CONTAINS(verify_msg(), "jump passes 0 arguments to block4, which has 1 parameters");

    /* An entry parameter that disagrees with the signature. */
    build_diamond(&t, &e, &j, &a);
    ir_inst(&fn, ir_func_param(&fn, 1).id)->type = I64;
    CHECK_CONTAINS(verify_msg(), "block1: entry parameter 1 has the wrong type");

    /* A jump argument of the wrong type. */
    build_diamond(&t, &e, &j, &a);
    ir_inst(&fn, fn.pool.data[ir_block(&fn, j)->params])->type = I64;
    CHECK_CONTAINS(verify_msg(), "jump argument 0 has type i32, block4 expects i64");

    /* A branch straight to a block with parameters. */
    build_diamond(&t, &e, &j, &a);
    ir_block(&fn, IR_ENTRY_BLOCK)->term.target2 = j.id;
    CHECK_CONTAINS(verify_msg(), "conditional branch to block4, which has parameters");

    /* Jumping to the entry block. */
    build_diamond(&t, &e, &j, &a);
    IrTerm *tt = &ir_block(&fn, t)->term;
    tt->target = 1;
    tt->nlist = 2;
    CHECK_CONTAINS(verify_msg(), "(the entry)");

    /* Return arity. */
    build_diamond(&t, &e, &j, &a);
    ir_block(&fn, j)->term.nlist = 0;
    CHECK_CONTAINS(verify_msg(), "return of 0 values, the signature has 1 results");
}

static void
test_structure(void)
{
    IrBlock t, e, j;
    IrValue a;
    /* A block without a terminator. */
    build_diamond(&t, &e, &j, &a);
    memset(&ir_block(&fn, j)->term, 0, sizeof(IrTerm));
    CHECK_CONTAINS(verify_msg(), "block4: no terminator");

    /* Overlapping ranges: the then block claims the else block's (empty) range and more. */
    build_diamond(&t, &e, &j, &a);
    ir_block(&fn, e)->first = ir_block(&fn, t)->first;
    CHECK_CONTAINS(verify_msg(), "overlaps");

    /* An instruction outside every block. */
    build_diamond(&t, &e, &j, &a);
    ir_block(&fn, t)->end = ir_block(&fn, t)->first;
    CHECK_CONTAINS(verify_msg(), "outside every block");

    /* A parameter after the block's first instruction. */
    fx_start(&fn, &arena, SIG_II_I);
    IrBlock b = ir_block_new(&fn);
    ir_jump(&fn, b, NULL, 0);
    ir_block_start(&fn, b);
    IrValue k = ir_build_iconst(&fn, I32, 1);
    ir_inst(&fn, k.id)->op = IR_OP_PARAM;  // pretend: a param not listed by the block
    ir_inst(&fn, k.id)->a[0] = b.id;
    ir_return(&fn, &k, 1);
    CHECK_CONTAINS(verify_msg(), "parameter not listed");

    /* A removed block must not keep instructions. */
    build_diamond(&t, &e, &j, &a);
    ir_block(&fn, t)->flags |= IR_BLOCKF_REMOVED;
    CHECK_CONTAINS(verify_msg(), "removed block holds");

    /* Still under construction. */
    fx_start(&fn, &arena, SIG_II_I);
    CHECK_CONTAINS(verify_msg(), "under construction");
}

static void
test_immediates(void)
{
    IrBlock t, e, j;
    IrValue a;
    build_diamond(&t, &e, &j, &a);
    IrInstData *in = ir_inst(&fn, a.id);
    in->op = IR_OP_TRAP_IF;
    in->type = IR_TYPE_NONE;
    in->imm = 0;
    ir_block(&fn, t)->term.list = ir_block(&fn, e)->term.list;  // pass y instead of a
    CHECK_CONTAINS(verify_msg(), "bad trap kind 0");
    in = ir_inst(&fn, a.id);
    in->imm = IR_TRAP_INT_OVERFLOW;
    in->a[1] = 0;
    CHECK_STR(verify_msg(), "");

    /* Memory: alignment above natural, memory index out of range. */
    fx_start(&fn, &arena, SIG_II_I);
    IrValue x = ir_func_param(&fn, 0);
    IrValue ld = ir_emit(&fn, IR_OP_LOAD16_U, I32, x.id, 0, IR_MEMARG(0, 2, 0), 0);
    ir_return(&fn, &ld, 1);
    CHECK_CONTAINS(verify_msg(), "alignment 2^2 larger than natural 2^1");
    ir_inst(&fn, ld.id)->a[2] = IR_MEMARG(1, 1, 0);
    CHECK_CONTAINS(verify_msg(), "memory 1 out of range");
    ir_inst(&fn, ld.id)->a[2] = IR_MEMARG(0, 1, 0);
    CHECK_STR(verify_msg(), "");

    /* Lanes. */
    fx_start(&fn, &arena, SIG_II_I);
    x = ir_func_param(&fn, 0);
    IrValue v = ir_emit(&fn, IR_OP_I16X8_SPLAT, IR_TYPE_V128, x.id, 0, 0, 0);
    IrValue l = ir_emit(&fn, IR_OP_I16X8_EXTRACT_LANE_U, I32, v.id, 0, 0, 8);
    ir_return(&fn, &l, 1);
    CHECK_CONTAINS(verify_msg(), "lane 8 out of range");
    ir_inst(&fn, l.id)->imm = 7;
    CHECK_STR(verify_msg(), "");

    /* Globals: setting an immutable one, type mismatch. */
    fx_start(&fn, &arena, SIG_II_I);
    x = ir_func_param(&fn, 0);
    ir_emit(&fn, IR_OP_GLOBAL_SET, IR_TYPE_NONE, x.id, 0, 0, 1);
    ir_return(&fn, &x, 1);
    CHECK_CONTAINS(verify_msg(), "global_set of immutable global 1");
    fx_start(&fn, &arena, SIG_II_I);
    IrValue g = ir_emit(&fn, IR_OP_GLOBAL_GET, I32, 0, 0, 0, 1);  // g1 is i64
    ir_return(&fn, &g, 1);
    CHECK_CONTAINS(verify_msg(), "global_get type differs");
}

static void
test_calls(void)
{
    /* f2: (i32) -> (i32, i64): call defines result 0, RESULT 1 follows. */
    fx_start(&fn, &arena, SIG_II_I);
    IrValue x = ir_func_param(&fn, 0);
    uint32_t args = ir_pool_push(&fn, &x.id, 1);
    IrValue c = ir_emit(&fn, IR_OP_CALL, I32, SIG_I_IL, args, 1, 2);
    IrValue r1 = ir_emit(&fn, IR_OP_RESULT, I64, c.id, 0, 0, 1);
    IrValue w = ir_emit(&fn, IR_OP_IWRAP, I32, r1.id, 0, 0, 0);
    ir_return(&fn, &w, 1);
    CHECK_STR(verify_msg(), "");
    ir_inst(&fn, r1.id)->imm = 2;
    CHECK_CONTAINS(verify_msg(), "result 2 misplaced or out of range");
    ir_inst(&fn, r1.id)->imm = 1;
    ir_inst(&fn, r1.id)->type = IR_TYPE_I32;
    CHECK_CONTAINS(verify_msg(), "result type i32, signature says i64");
    ir_inst(&fn, r1.id)->type = I64;
    ir_inst(&fn, c.id)->a[2] = 0;
    CHECK_CONTAINS(verify_msg(), "0 arguments for 1 parameters");
    ir_inst(&fn, c.id)->a[2] = 1;
    ir_inst(&fn, c.id)->a[0] = SIG_II_I;
    CHECK_CONTAINS(verify_msg(), "is not function 2's");
}

/* IR_FUNCF_DEFS_FIRST: a dominating block laid out later gives an operand a later id,
 * which is valid SSA, but not with the flag (DCE relies on it to skip a check). */
static void
test_defs_first(void)
{
    fx_start(&fn, &arena, SIG_II_I);
    IrValue x = ir_func_param(&fn, 0);
    IrBlock late = ir_block_new(&fn), use = ir_block_new(&fn);
    ir_jump(&fn, late, NULL, 0);
    ir_block_start(&fn, use);  // laid out first, runs second
    IrValue sum = ir_emit(&fn, IR_OP_IADD, I32, x.id, x.id, 0, 0);
    ir_return(&fn, &sum, 1);
    ir_block_start(&fn, late);
    IrValue c = ir_build_iconst(&fn, I32, 7);
    ir_jump(&fn, use, NULL, 0);
    ir_inst(&fn, sum.id)->a[1] = c.id;  // sum = x + c, c defined in `late`, which dominates
    CHECK(fx_verify(&fn));
    fn.flags |= IR_FUNCF_DEFS_FIRST;
    CHECK_CONTAINS(verify_msg(), "comes later");
    fn.flags &= ~(uint32_t)IR_FUNCF_DEFS_FIRST;
    CHECK(ir_pass_dce(&fn));
    CHECK(fx_verify(&fn));
    CHECK_STR(fx_print(&fn),
              "function f1: (i32, i32) -> (i32)\n"
              "block0(v0:i32, v1:i32):\n"
              "  jump block1\n"
              "block1:\n"
              "  v2:i32 = iconst 7\n"
              "  jump block2\n"
              "block2:\n"
              "  v3:i32 = iadd v0, v2\n"
              "  return v3\n");
}

int
main(void)
{
    sk_arena_init(&arena, NULL);
    test_valid();
    test_types();
    test_dominance();
    test_block_args();
    test_structure();
    test_immediates();
    test_calls();
    test_defs_first();
    sk_arena_free(&arena);
    return check_exit();
}
