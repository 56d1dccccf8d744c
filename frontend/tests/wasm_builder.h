/*
 * Test-only helpers for assembling WebAssembly binaries byte by byte, and for checking what
 * the frontend says about them. Header-only (static functions); each test includes it once.
 */
#ifndef SKUA_FRONTEND_TESTS_WASM_BUILDER_H
#define SKUA_FRONTEND_TESTS_WASM_BUILDER_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "frontend/frontend.h"

typedef struct Buf {
    uint8_t *data;
    size_t len, cap;
} Buf;

static inline void
buf_bytes(Buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data)
            abort();
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

static inline void
buf_byte(Buf *b, uint8_t x)
{
    buf_bytes(b, &x, 1);
}

/* Appends bytes given as ints, terminated by -1: buf_seq(b, 0x41, 0x00, -1). */
static inline void
buf_seq(Buf *b, int first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (int x = first; x != -1; x = va_arg(ap, int))
        buf_byte(b, (uint8_t)x);
    va_end(ap);
}

static inline void
buf_u32(Buf *b, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        buf_byte(b, (uint8_t)(byte | (v ? 0x80 : 0)));
    } while (v);
}

static inline void
buf_s64(Buf *b, int64_t v)
{
    for (;;) {
        uint8_t byte = v & 0x7F;
        v >>= 7;  // arithmetic shift on the compilers skua supports
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        buf_byte(b, (uint8_t)(byte | (done ? 0 : 0x80)));
        if (done)
            break;
    }
}

static inline void
buf_name(Buf *b, const char *s)
{
    buf_u32(b, (uint32_t)strlen(s));
    buf_bytes(b, s, strlen(s));
}

static inline void
buf_free(Buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* The 8-byte header. */
static inline void
mod_header(Buf *m)
{
    buf_seq(m, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, -1);
}

/* Appends a section: id, size, contents; frees the contents buffer. */
static inline void
mod_section(Buf *m, uint8_t id, Buf *contents)
{
    buf_byte(m, id);
    buf_u32(m, (uint32_t)contents->len);
    buf_bytes(m, contents->data, contents->len);
    buf_free(contents);
}

/*
 * A module with one function of type [params] -> [results] whose body (locals declaration
 * and code, final end included) is `body`; an optional memory of one page.
 */
static inline void
mod_one_func(Buf *m, const char *params, const char *results, const Buf *body, bool memory)
{
    Buf s = {0};
    mod_header(m);
    buf_seq(&s, 1, 0x60, -1);
    buf_u32(&s, (uint32_t)strlen(params));
    for (const char *p = params; *p; p++)
        buf_byte(&s, *p == 'i' ? 0x7F : *p == 'l' ? 0x7E : *p == 'f' ? 0x7D : 0x7C);
    buf_u32(&s, (uint32_t)strlen(results));
    for (const char *p = results; *p; p++)
        buf_byte(&s, *p == 'i' ? 0x7F : *p == 'l' ? 0x7E : *p == 'f' ? 0x7D : 0x7C);
    mod_section(m, 1, &s);
    buf_seq(&s, 1, 0, -1);
    mod_section(m, 3, &s);
    if (memory) {
        buf_seq(&s, 1, 0, 1, -1);
        mod_section(m, 5, &s);
    }
    buf_seq(&s, 1, -1);
    buf_u32(&s, (uint32_t)body->len);
    buf_bytes(&s, body->data, body->len);
    mod_section(m, 10, &s);
}

/*
 * Decodes and validates; returns true if valid. The module is freed. The bytes are copied
 * into a buffer of exactly their size first, so that AddressSanitizer catches any read
 * past the end of the input.
 */
static inline bool
load_ok(const Buf *m, SkDiag *d)
{
    FeModule *mod;
    uint8_t *exact = malloc(m->len ? m->len : 1);
    if (!exact)
        abort();
    if (m->len)
        memcpy(exact, m->data, m->len);
    bool ok = fe_module_load(exact, m->len, NULL, &mod, d);
    fe_module_free(mod);
    free(exact);
    return ok;
}

/*
 * Checks that loading fails with `kind`, a message starting with `prefix`, at byte `offset`
 * (or any offset if offset < 0). Reports the caller's line on failure.
 */
#define EXPECT_ERROR(m, kind, prefix, offset) expect_error_at(__LINE__, (m), (kind), (prefix), (offset))

static inline void
expect_error_at(int line, const Buf *m, SkDiagKind kind, const char *prefix, long offset)
{
    SkDiag d;
    if (load_ok(m, &d)) {
        fprintf(stderr, "line %d: expected error \"%s\", module was accepted\n", line, prefix);
        check_failures++;
        return;
    }
    if (d.kind != kind || strncmp(d.message, prefix, strlen(prefix)) != 0 ||
        (offset >= 0 && d.offset != (uint64_t)offset)) {
        fprintf(stderr,
                "line %d: expected %s \"%s\" at %ld, got %s \"%s\" at %llu\n", line,
                sk_diag_kind_name(kind), prefix, offset, sk_diag_kind_name(d.kind), d.message,
                (unsigned long long)d.offset);
        check_failures++;
    }
}

#define EXPECT_VALID(m) expect_valid_at(__LINE__, (m))

static inline void
expect_valid_at(int line, const Buf *m)
{
    SkDiag d;
    if (!load_ok(m, &d)) {
        fprintf(stderr, "line %d: expected a valid module, got \"%s\" at %llu\n", line,
                d.message, (unsigned long long)d.offset);
        check_failures++;
    }
}

#endif
