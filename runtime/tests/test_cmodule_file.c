/*
 * .skua files (runtime/cmodule_file.c): a hand-built module survives the round trip byte for
 * byte and runs after it (instantiate, call, data and globals as before); every truncation,
 * every single-byte change of the header and payload, and forged headers (version, target,
 * CPU features, ABI, sizes, huge counts with a valid checksum) are refused with the message
 * that names the problem, never a crash (this test runs under ASan+UBSan in CI).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runtime/runtime.h"
#include "runtime/skua.h"
#include "tc_module.h"

static uint8_t *
serialize(const RtCompiledModule *m, size_t *size)
{
    uint8_t *out = NULL;
    SkuaError err;
    memset(&err, 0, sizeof err);
    if (!skua_compiled_serialize(m, "skua test", &out, size, &err)) {
        fprintf(stderr, "serialize: %s\n", err.message);
        return NULL;
    }
    return out;
}

/* Rewrites the payload checksum, so that a change gets past the CRC to the parser. */
static void
fix_crc(uint8_t *b, size_t size)
{
    if (size < RT_CMF_HEADER_SIZE)
        return;
    uint32_t crc = rt_crc32(b + RT_CMF_HEADER_SIZE, size - RT_CMF_HEADER_SIZE);
    for (int i = 0; i < 4; i++)
        b[60 + i] = (uint8_t)(crc >> (8 * i));
}

static void
put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Deserializing `b` fails with a load error whose message contains `want`. */
static void
expect_refused(const uint8_t *b, size_t size, bool for_host, const char *want)
{
    SkuaError err;
    memset(&err, 0, sizeof err);
    RtCompiledModule *m = skua_compiled_deserialize(b, size, for_host, &err);
    CHECK(m == NULL);
    skua_compiled_free(m);
    CHECK(err.kind == SKUA_ERROR_LOAD);
    CHECK_CONTAINS(err.message, want);
}

static SkuaTrap *
host_add1(void *env, SkuaCaller *caller, const SkuaVal *args, size_t nargs, SkuaVal *results,
          size_t nresults)
{
    (void)env;
    (void)caller;
    (void)nargs;
    (void)nresults;
    results[0].kind = SKUA_I32;
    results[0].of.i32 = args[0].of.i32 + 1;
    return NULL;
}

static int32_t
call_i32(SkuaStore *s, SkuaInstance *inst, const char *name, int32_t arg)
{
    SkuaExtern f;
    SkuaError err;
    memset(&err, 0, sizeof err);
    if (!skua_instance_export(inst, name, strlen(name), &f) || f.kind != SKUA_EXTERN_FUNC)
        return -1;
    SkuaVal a = {.kind = SKUA_I32, .of.i32 = arg}, r;
    if (!skua_func_call(s, f.of.func, &a, 1, &r, 1, &err)) {
        fprintf(stderr, "%s: %s\n", name, err.message);
        skua_error_clear(&err);
        return -1;
    }
    return r.of.i32;
}

/* M1 written, read back (equal bytes when written again), loaded and run. */
static void
test_round_trip(SkuaEngine *engine)
{
    RtCompiledModule *m = tc_build_m1();
    size_t size;
    uint8_t *bytes = serialize(m, &size);
    CHECK(bytes != NULL);
    if (!bytes)
        return;
    CHECK(skua_compiled_is_file(bytes, size));
    CHECK(!skua_compiled_is_file((const uint8_t *)"\0asm\1\0\0\0", 8));
    CHECK(!skua_compiled_is_file(bytes, 4));

    SkuaError err;
    memset(&err, 0, sizeof err);
    RtCompiledModule *back = skua_compiled_deserialize(bytes, size, true, &err);
    CHECK(back != NULL);
    if (back) {
        CHECK_EQ(back->code_size, m->code_size);
        CHECK(memcmp(back->code, m->code, m->code_size) == 0);
        CHECK_EQ(back->nfuncs, m->nfuncs);
        CHECK_EQ(back->nexports, m->nexports);
        CHECK_EQ(back->start_func, m->start_func);
        CHECK_EQ(back->globals[1].init.value.i32, 7);
        CHECK_STR(rt_cmodule_str(back, back->module_name), "m1");
        size_t size2;
        uint8_t *again = serialize(back, &size2);
        CHECK(again && size2 == size && memcmp(again, bytes, size) == 0);
        free(again);
    }

    /* Load and run it: the imports link, the start function and segments run. */
    SkuaStore *s = skua_store_new(engine);
    SkuaLinker *l = skua_linker_new(s);
    static const uint8_t ki32[] = {SKUA_I32};
    SkuaExtern fx = {SKUA_EXTERN_FUNC,
                     {.func = skua_func_new(s, ki32, 1, ki32, 1, host_add1, NULL, NULL, &err)}};
    SkuaVal gv = {.kind = SKUA_I32, .of.i32 = 40};
    SkuaExtern gx = {SKUA_EXTERN_GLOBAL, {.global = skua_global_new(s, SKUA_I32, false, &gv,
                                                                    &err)}};
    CHECK(skua_linker_define(l, "host", 4, "add1", 4, fx, &err));
    CHECK(skua_linker_define(l, "host", 4, "g", 1, gx, &err));
    SkuaModule *mod = skua_module_from_compiled(engine, back, &err);
    CHECK(mod != NULL);
    SkuaInstance *inst = mod ? skua_linker_instantiate(l, mod, &err) : NULL;
    CHECK(inst != NULL);
    if (!inst)
        fprintf(stderr, "instantiate: %s\n", err.message);
    if (inst) {
        CHECK_EQ(call_i32(s, inst, "call_import", 41), 42);
        /* "hello" at 16 from the active data segment (get_mem loads an i32). */
        CHECK_EQ(call_i32(s, inst, "get_mem", 16), 0x6c6c6568);
    }
    skua_module_delete(mod);
    /* skua_module_deserialize: the same in one step. */
    mod = skua_module_deserialize(engine, bytes, size, &err);
    CHECK(mod != NULL);
    skua_module_delete(mod);
    skua_linker_delete(l);
    skua_store_delete(s);
    rt_cmodule_release(m);
    free(m);
    free(bytes);
}

/* Every prefix of a valid file is refused. */
static void
test_truncated(void)
{
    RtCompiledModule *m = tc_build_m1();
    size_t size;
    uint8_t *bytes = serialize(m, &size);
    if (!bytes)
        return;
    for (size_t n = 0; n < size; n++) {
        SkuaError err;
        memset(&err, 0, sizeof err);
        RtCompiledModule *x = skua_compiled_deserialize(bytes, n, true, &err);
        CHECK(x == NULL);
        skua_compiled_free(x);
        CHECK(err.kind == SKUA_ERROR_LOAD);
        CHECK(strstr(err.message, n < RT_CMF_MAGIC_SIZE ? "bad magic" : "truncated") != NULL);
    }
    /* Extra bytes after the payload. */
    uint8_t *longer = malloc(size + 3);
    memcpy(longer, bytes, size);
    memset(longer + size, 0, 3);
    expect_refused(longer, size + 3, true, "3 bytes after the payload");
    free(longer);
    rt_cmodule_release(m);
    free(m);
    free(bytes);
}

/* Every single-byte change: the checksum catches payload changes; with the checksum forged,
 * the parser and checker must still refuse or accept without crashing. */
static void
test_corrupted(void)
{
    RtCompiledModule *m = tc_build_m1();
    size_t size;
    uint8_t *bytes = serialize(m, &size);
    if (!bytes)
        return;
    uint8_t *b = malloc(size);
    uint32_t accepted = 0, refused = 0;
    for (size_t i = RT_CMF_HEADER_SIZE; i < size; i++) {
        memcpy(b, bytes, size);
        b[i] ^= 0x5a;
        expect_refused(b, size, true, "checksum mismatch");
    }
    static const uint8_t deltas[] = {0x01, 0x80, 0xff};
    for (size_t i = 0; i < size; i++) {
        for (size_t d = 0; d < sizeof deltas; d++) {
            memcpy(b, bytes, size);
            b[i] ^= deltas[d];
            fix_crc(b, size);
            SkuaError err;
            memset(&err, 0, sizeof err);
            RtCompiledModule *x = skua_compiled_deserialize(b, size, true, &err);
            if (x) {
                RtError re;
                CHECK(rt_cmodule_check(x, &re));  // accepted means fully checked
                accepted++;
            } else {
                CHECK(err.kind == SKUA_ERROR_LOAD || err.kind == SKUA_ERROR_RESOURCE);
                CHECK(err.message[0] != '\0');
                refused++;
            }
            skua_compiled_free(x);
        }
    }
    /* Most bytes matter: names and code bytes may change harmlessly, counts and offsets not. */
    CHECK(refused > 0);
    CHECK(accepted > 0);
    free(b);
    rt_cmodule_release(m);
    free(m);
    free(bytes);
}

/* Forged headers and counts, each refused with its own message. */
static void
test_header_fields(void)
{
    RtCompiledModule *m = tc_build_m1();
    size_t size;
    uint8_t *bytes = serialize(m, &size);
    if (!bytes)
        return;
    uint8_t *b = malloc(size);

    memcpy(b, bytes, size);
    b[1] = 'X';
    expect_refused(b, size, true, "bad magic");

    memcpy(b, bytes, size);
    put32(b + 8, RT_CMF_VERSION + 1);
    expect_refused(b, size, true, "format version 2 (written by 'skua test')");

    /* Another target: refused for running, readable for tools. */
    memcpy(b, bytes, size);
    uint32_t other = rt_host_target() == RT_TARGET_X86_64 ? RT_TARGET_AARCH64 : RT_TARGET_X86_64;
    put32(b + 12, other);
    expect_refused(b, size, true, "compiled module is for");
    SkuaError err;
    memset(&err, 0, sizeof err);
    RtCompiledModule *x = skua_compiled_deserialize(b, size, false, &err);
    CHECK(x != NULL && x->target == other);
    skua_compiled_free(x);
    put32(b + 12, 77);
    expect_refused(b, size, false, "unknown target 77");

    /* A CPU feature bit no host has. */
    memcpy(b, bytes, size);
    b[16 + 5] = 0x01;  // bit 40
    expect_refused(b, size, true, "needs CPU features this host lacks: bits 0x10000000000");

    memcpy(b, bytes, size);
    b[32] ^= 1;
    expect_refused(b, size, true, "another runtime ABI");
    memset(&err, 0, sizeof err);
    x = skua_compiled_deserialize(b, size, false, &err);  // tools don't care
    CHECK(x != NULL);
    skua_compiled_free(x);

    memcpy(b, bytes, size);
    put32(b + 28, 65);
    expect_refused(b, size, true, "header size 65");

    memcpy(b, bytes, size);
    put32(b + 56, (uint32_t)(size - RT_CMF_HEADER_SIZE + 1));
    expect_refused(b, size, true, "truncated compiled module");

    /* A code size of 4 GiB with a valid checksum: refused before any allocation. */
    memcpy(b, bytes, size);
    put32(b + RT_CMF_HEADER_SIZE, 0xFFFFFFFFu);
    fix_crc(b, size);
    expect_refused(b, size, true, "corrupted compiled module: code at payload offset 0");

    /* A relocation count too large for the rest of the payload. */
    memcpy(b, bytes, size);
    put32(b + RT_CMF_HEADER_SIZE + 4 + m->code_size, 0x10000000u);
    fix_crc(b, size);
    expect_refused(b, size, true, "corrupted compiled module: relocations");

    /* Unknown module flags. */
    memcpy(b, bytes, size);
    put32(b + 24, 0x80);
    expect_refused(b, size, true, "unknown flags");

    /* The serializer checks what it writes. */
    m->funcs[2].code_size = m->code_size + 1;
    uint8_t *out = NULL;
    size_t out_size = 0;
    memset(&err, 0, sizeof err);
    CHECK(!skua_compiled_serialize(m, "t", &out, &out_size, &err));
    CHECK_CONTAINS(err.message, "function 2");
    CHECK(out == NULL);
    free(b);
    rt_cmodule_release(m);
    free(m);
    free(bytes);
}

/* The bitwise definition of CRC-32 (IEEE 802.3, reflected), one bit per step. */
static uint32_t
crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFu;
}

static void
test_crc32(void)
{
    /* Published check values of CRC-32 (IEEE 802.3), the checksum every .skua file records:
     * a different value here means existing files no longer load. */
    CHECK_EQ(rt_crc32((const uint8_t *)"", 0), 0x00000000u);
    CHECK_EQ(rt_crc32((const uint8_t *)"a", 1), 0xE8B7BE43u);
    CHECK_EQ(rt_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    CHECK_EQ(rt_crc32((const uint8_t *)fox, strlen(fox)), 0x414FA339u);

    /* Every length up to 300 at every start offset modulo 8 (the 8-byte loop, the byte tail
     * and their seams) against the bitwise definition, over pseudo-random bytes. */
    uint8_t buf[320];
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    for (size_t off = 0; off < 8; off++)
        for (size_t len = 0; len <= 300; len++)
            CHECK_EQ(rt_crc32(buf + off, len), crc32_bitwise(buf + off, len));
    /* All-ones bytes exercise the top entries of every table. */
    memset(buf, 0xFF, sizeof buf);
    CHECK_EQ(rt_crc32(buf, sizeof buf), crc32_bitwise(buf, sizeof buf));
}

static void
test_fingerprint_and_crc(void)
{
    CHECK(rt_abi_fingerprint() != 0);
    CHECK_EQ(rt_abi_fingerprint(), rt_abi_fingerprint());
    char buf[64];
    rt_cpu_features_format(RT_TARGET_X86_64, RT_CPU_X64_SSE41 | RT_CPU_X64_POPCNT, buf,
                           sizeof buf);
    CHECK_STR(buf, "sse4.1 popcnt");
    rt_cpu_features_format(RT_TARGET_X86_64, 0, buf, sizeof buf);
    CHECK_STR(buf, "none");
}

int
main(void)
{
    SkuaError err;
    SkuaEngine *engine = skua_engine_new(NULL, &err);
    CHECK(engine != NULL);
    if (!engine)
        return check_exit();
    test_crc32();
    test_fingerprint_and_crc();
    test_round_trip(engine);
    test_truncated();
    test_corrupted();
    test_header_fields();
    skua_engine_delete(engine);
    return check_exit();
}
