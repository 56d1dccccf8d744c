/*
 * The validator's hints for the translator (FeFuncHints: each local's last read, each loop's
 * set locals) and what the translator makes of them: a local that is dead at a merge gets no
 * block parameter there, one that is live does, and without hints (a body declaring far more
 * locals than it has bytes) the translator falls back to its own pre-scan and keeps every
 * local live.
 */
#include "frontend/frontend.h"
#include "ir/ir.h"
#include "wasm_builder.h"

/*
 * (func (param i32) (result i32) (local i32 i32)      ;; p = local 0, x = 1, y = 2
 *   block
 *     local.get 0  local.set 1                       ;; x = p
 *     local.get 1  br_if 0                           ;; x read for the last time (R1)
 *     i32.const 5  local.set 1                       ;; x = 5: the merge sees p or 5
 *   end
 *   i32.const 0  local.set 2
 *   loop
 *     local.get 2  drop                              ;; y read in the loop (RY)
 *     local.get 0  i32.const 1  i32.sub  local.tee 0  br_if 0
 *   end                                              ;; (E)
 *   local.get 0)                                     ;; (R0)
 * Positions are offsets in the body buffer (its locals vector first).
 */
enum { POS_R1 = 9, POS_BLOCK_END = 17, POS_RY = 24, POS_LOOP_END = 36, POS_R0 = 37 };

static Buf
hints_body(void)
{
    Buf b = {0};
    buf_seq(&b, 0x01, 0x02, 0x7F,              // 2 x i32
            0x02, 0x40,                        // 3: block
            0x20, 0x00, 0x21, 0x01,            // 5: local.get 0, local.set 1
            0x20, 0x01, 0x0D, 0x00,            // 9: local.get 1, br_if 0
            0x41, 0x05, 0x21, 0x01,            // 13: i32.const 5, local.set 1
            0x0B,                              // 17: end
            0x41, 0x00, 0x21, 0x02,            // 18: i32.const 0, local.set 2
            0x03, 0x40,                        // 22: loop
            0x20, 0x02, 0x1A,                  // 24: local.get 2, drop
            0x20, 0x00, 0x41, 0x01, 0x6B,      // 27: local.get 0, i32.const 1, i32.sub
            0x22, 0x00, 0x0D, 0x00,            // 32: local.tee 0, br_if 0
            0x0B,                              // 36: end
            0x20, 0x00, 0x0B, -1);             // 37: local.get 0, end
    return b;
}

/* Block parameters of f outside the entry block (those the translator made). */
static uint32_t
count_params(const IrFunc *f)
{
    uint32_t n = 0;
    for (uint32_t b = 2; b < f->blocks.len; b++)
        if (!(f->blocks.data[b].flags & IR_BLOCKF_REMOVED))
            n += f->blocks.data[b].nparams;
    return n;
}

/* Translates function `index` of mod (no passes), verifies it, returns its parameters. */
static uint32_t
translate_params(const FeModule *mod, uint32_t index)
{
    IrModule im;
    SkArena arena, ma;
    sk_arena_init(&arena, NULL);
    sk_arena_init(&ma, NULL);
    CHECK(fe_ir_module_init(mod, &ma, &im));
    FeTranslator *t = fe_translator_new(mod, &im, NULL);
    CHECK(t != NULL);
    IrFunc f;
    SkDiag d;
    memset(&d, 0, sizeof(d));
    uint32_t n = UINT32_MAX;
    if (t && fe_translate_func(t, index, &arena, &f, &d)) {
        char msg[256];
        bool ok = ir_verify(&f, NULL, msg, sizeof(msg));
        if (!ok)
            fprintf(stderr, "ir_verify: %s\n", msg);
        CHECK(ok);
        n = count_params(&f);
    }
    fe_translator_free(t);
    sk_arena_free(&arena);
    sk_arena_free(&ma);
    return n;
}

static void
test_hints_and_params(void)
{
    Buf b = hints_body(), m = {0};
    mod_one_func(&m, "i", "i", &b, false);
    FeModule *mod;
    SkDiag d;
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    if (!mod)
        return;
    CHECK(mod->hints != NULL);
    const FeFuncHints *h = &mod->hints[0];
    uint32_t base = mod->funcs[0].body_offset;
    CHECK(h->live_until != NULL);
    CHECK_EQ(h->nlocals, 3);
    if (h->live_until && h->nlocals == 3) {
        CHECK_EQ(h->live_until[0], base + POS_R0);        // read after the loop
        CHECK_EQ(h->live_until[1], base + POS_R1);        // dead from the br_if on
        CHECK_EQ(h->live_until[2], base + POS_LOOP_END);  // read in the loop: live to its end
    }
    CHECK_EQ(h->nloops, 1);
    if (h->nloops == 1) {
        CHECK_EQ(h->loop_ranges[1] - h->loop_ranges[0], 1);  // the loop sets local 0 only
        CHECK_EQ(h->loop_sets[h->loop_ranges[0]], 0);
    }

    /* With the hints: the loop header's parameter for local 0 only (x is dead at the
     * block's end, where its values differ). Without: x gets a merge parameter too. */
    CHECK_EQ(translate_params(mod, 0), 1);
    const FeFuncHints *saved = mod->hints;
    mod->hints = NULL;
    CHECK_EQ(translate_params(mod, 0), 2);
    mod->hints = saved;
    fe_module_free(mod);
    buf_free(&m);
    buf_free(&b);
}

/* A body declaring many more locals than it has bytes gets no hints; the translator's
 * fallback (its own loop pre-scan, every local live) still builds valid IR. */
static void
test_no_hints_fallback(void)
{
    Buf b = {0}, m = {0};
    buf_seq(&b, 0x01, 0xE8, 0x07, 0x7F,        // 1000 x i32
            0x03, 0x40,                        // loop
            0x20, 0x00, 0x41, 0x01, 0x6B,      // local.get 0, i32.const 1, i32.sub
            0x22, 0x00, 0x0D, 0x00,            // local.tee 0, br_if 0
            0x0B, 0x20, 0x00, 0x0B, -1);       // end, local.get 0, end
    mod_one_func(&m, "i", "i", &b, false);
    FeModule *mod;
    SkDiag d;
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    if (!mod)
        return;
    CHECK(mod->hints != NULL && mod->hints[0].live_until == NULL);
    CHECK_EQ(translate_params(mod, 0), 1);  // the loop's parameter for local 0
    fe_module_free(mod);
    buf_free(&m);
    buf_free(&b);
}

int
main(void)
{
    test_hints_and_params();
    test_no_hints_fallback();
    return check_exit();
}
