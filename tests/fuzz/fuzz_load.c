/*
 * libFuzzer target for the .skua loader (runtime/cmodule_file.c): arbitrary bytes as a
 * compiled-module file. Each input is read twice: as given (magic, header, sizes, checksum),
 * and with the header's payload size and CRC-32 rewritten to match, so that mutations get past
 * the checksum into the payload parser and the module checker. A file the loader accepts is
 * then loaded as `skua run` would (mapped W^X, relocated, registered with the trap handler)
 * and freed; it is never run, since a well-formed .skua file is machine code. Besides the
 * sanitizers' checks (no crash, leak or undefined behaviour), every input must satisfy:
 *   - a refused file has a load or resource error with a message;
 *   - an accepted module passes the runtime's full check (rt_cmodule_check);
 *   - writing an accepted module out and reading it back gives a module that writes out to
 *     the same bytes again (the format round-trips).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "runtime/skua.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One engine for the whole run (fuzz targets are test code, not a library: state is fine). */
static SkuaEngine *engine;

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_load: %s\n", what);
    abort();
}

/* Writes `m` out, reads it back, writes that out: both writes must be equal. */
static void
check_round_trip(const RtCompiledModule *m)
{
    uint8_t *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    SkuaError err;
    memset(&err, 0, sizeof err);
    if (!skua_compiled_serialize(m, "fuzz", &a, &na, &err))
        fail("an accepted module cannot be written out");
    RtCompiledModule *back = skua_compiled_deserialize(a, na, false, &err);
    if (!back)
        fail("a module written out cannot be read back");
    if (!skua_compiled_serialize(back, "fuzz", &b, &nb, &err))
        fail("a module read back cannot be written out");
    if (na != nb || memcmp(a, b, na) != 0)
        fail("writing, reading and writing again changed the bytes");
    skua_compiled_free(back);
    free(a);
    free(b);
}

static void
load(const uint8_t *data, size_t size)
{
    SkuaError err;
    memset(&err, 0, sizeof err);
    RtCompiledModule *m = skua_compiled_deserialize(data, size, true, &err);
    if (!m) {
        if ((err.kind != SKUA_ERROR_LOAD && err.kind != SKUA_ERROR_RESOURCE) || !err.message[0])
            fail("a refused file without a load error and message");
        /* Tools read files of any target: that path must be as careful. */
        m = skua_compiled_deserialize(data, size, false, &err);
        if (m) {
            check_round_trip(m);
            skua_compiled_free(m);
        }
        return;
    }
    RtError re;
    if (!rt_cmodule_check(m, &re))
        fail("an accepted module fails rt_cmodule_check");
    check_round_trip(m);
    SkuaModule *mod = skua_module_from_compiled(engine, m, &err);  // takes m
    if (!mod && err.kind != SKUA_ERROR_RESOURCE)
        fail("a checked module did not load");
    skua_module_delete(mod);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) {
        SkuaError err;
        engine = skua_engine_new(NULL, &err);
        if (!engine)
            fail("no engine");
    }
    load(data, size);
    if (size < RT_CMF_HEADER_SIZE || !skua_compiled_is_file(data, size))
        return 0;
    /* The same bytes with a consistent payload size and checksum. */
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    uint32_t payload = (uint32_t)(size - RT_CMF_HEADER_SIZE);
    uint32_t crc = rt_crc32(copy + RT_CMF_HEADER_SIZE, payload);
    for (int i = 0; i < 4; i++) {
        copy[56 + i] = (uint8_t)(payload >> (8 * i));
        copy[60 + i] = (uint8_t)(crc >> (8 * i));
    }
    load(copy, size);
    free(copy);
    return 0;
}
