/*
 * libFuzzer target for the frontend: decode and validate arbitrary bytes (fe_module_load).
 * Besides the sanitizers' checks (no crash, leak or undefined behaviour), every input must
 * satisfy:
 *   - a rejected module has a diagnostic: a kind, a message, an offset within the input;
 *   - memory stays proportional to the input: the peak of what the frontend allocates
 *     (through a counting SkAlloc) is bounded by a multiple of the input size, and all of
 *     it is freed;
 *   - the body validator's fast path and its general path reach the same verdict with the
 *     same diagnostic on every function;
 *   - for an accepted module, the translator's unchecked reader (fe_instr_read_trusted)
 *     and the checked reader agree on every instruction of every body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"
#include "frontend/internal.h"

/* Allocation allowed for an input of n bytes: fixed costs (arena chunks, the validator's
 * tables) plus a multiple of the input. */
#define MEMORY_BOUND(n) ((size_t)(4u << 20) + 128 * (size_t)(n))

typedef struct Counter {
    size_t cur, peak;
} Counter;

static void *
count_alloc(void *user, void *ptr, size_t old_size, size_t new_size)
{
    Counter *c = user;
    if (new_size == 0) {
        free(ptr);
        c->cur -= old_size;
        return NULL;
    }
    void *p = realloc(ptr, new_size);
    if (!p)
        return NULL;
    c->cur = c->cur - old_size + new_size;
    if (c->cur > c->peak)
        c->peak = c->cur;
    return p;
}

static void
fail(const char *what, const FeModule *m, uint32_t func)
{
    fprintf(stderr, "fuzz_decode: %s (function %u of %u)\n", what, func, m ? m->nfuncs : 0);
    abort();
}

/* Walks every body with both readers; they must agree on each op and its length. */
static void
check_bodies(const FeModule *m, const SkAlloc *alloc)
{
    SkArena arena;
    sk_arena_init(&arena, alloc);
    for (uint32_t f = m->nimported_funcs; f < m->nfuncs; f++) {
        const uint8_t *types;
        uint32_t nlocals;
        const uint8_t *p = fe_func_locals(m, f, &arena, &types, &nlocals);
        if (!p)
            fail("fe_func_locals: out of memory", m, f);
        const uint8_t *end = m->bytes + m->funcs[f].body_offset + m->funcs[f].body_size;
        uint32_t depth = 1;
        while (depth > 0) {
            FeInstr checked, trusted;
            SkDiag d;
            memset(&checked, 0, sizeof(checked));
            memset(&trusted, 0, sizeof(trusted));
            memset(&d, 0, sizeof(d));
            const uint8_t *q = p;
            if (!fe_instr_read(m->bytes, &q, end, m->features, &checked, &d))
                fail("the checked reader rejects a validated body", m, f);
            const uint8_t *t = fe_instr_read_trusted(p, &trusted);
            if (t != q || trusted.op != checked.op)
                fail("the readers disagree on an instruction", m, f);
            switch ((FeOp)checked.op) {
            case FE_OP_BLOCK:
            case FE_OP_LOOP:
            case FE_OP_IF: {
                if (trusted.v.block_type != checked.v.block_type)
                    fail("the readers disagree on a block type", m, f);
                FeFuncType bt;
                fe_block_type_resolve(m, checked.v.block_type, &bt);
                depth++;
                break;
            }
            case FE_OP_END:
                depth--;
                break;
            case FE_OP_LOCAL_GET:
            case FE_OP_LOCAL_SET:
            case FE_OP_LOCAL_TEE:
                if (trusted.idx != checked.idx || checked.idx >= nlocals)
                    fail("local index", m, f);
                break;
            default:
                break;
            }
            p = q;
        }
        if (p != end)
            fail("the body's final end is not at its end", m, f);
        sk_arena_reset(&arena);
    }
    sk_arena_free(&arena);
}

/* Validates every body with one validator, fast path on or off; stops at the first error. */
static bool
validate_bodies(const FeModule *m, bool slow_only, SkDiag *d)
{
    FeValidator *v = fe_validator_new(m);
    if (!v)
        fail("fe_validator_new: out of memory", m, 0);
    fe_validator_set_slow_only(v, slow_only);
    memset(d, 0, sizeof(*d));
    bool ok = true;
    for (uint32_t f = m->nimported_funcs; ok && f < m->nfuncs; f++)
        ok = fe_validator_check_func(v, f, d);
    fe_validator_free(v);
    return ok;
}

static void
compare_paths(const FeModule *m)
{
    SkDiag fast, slow;
    bool fast_ok = validate_bodies(m, false, &fast);
    bool slow_ok = validate_bodies(m, true, &slow);
    if (fast_ok != slow_ok || fast.kind != slow.kind || fast.offset != slow.offset ||
        fast.func_index != slow.func_index || strcmp(fast.message, slow.message) != 0) {
        fprintf(stderr, "fuzz_decode: fast path: %s \"%s\" at %llu; general path: %s \"%s\" "
                "at %llu\n", fast_ok ? "valid" : "error", fast.message,
                (unsigned long long)fast.offset, slow_ok ? "valid" : "error", slow.message,
                (unsigned long long)slow.offset);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Counter c = {0, 0};
    SkAlloc alloc = {count_alloc, &c};
    FeOptions opts = {0, &alloc};
    FeModule *m;
    SkDiag d;
    bool ok = fe_module_decode(data, size, &opts, &m, &d);
    if (ok) {
        compare_paths(m);
        ok = fe_module_validate_code(m, &d);
        if (ok)
            check_bodies(m, &alloc);
        (void)fe_module_func_name(m, 0);
        fe_module_free(m);
    }
    if (!ok && (d.kind == SK_DIAG_NONE || d.message[0] == '\0' || d.offset > size)) {
        fprintf(stderr, "fuzz_decode: bad diagnostic: kind %d, offset %llu of %zu, \"%s\"\n",
                (int)d.kind, (unsigned long long)d.offset, size, d.message);
        abort();
    }
    if (c.cur != 0) {
        fprintf(stderr, "fuzz_decode: %zu bytes not freed\n", c.cur);
        abort();
    }
    if (c.peak > MEMORY_BOUND(size)) {
        fprintf(stderr, "fuzz_decode: peak allocation %zu bytes for %zu bytes of input\n",
                c.peak, size);
        abort();
    }
    return 0;
}
