/*
 * Implementation of the shared compiler basics: sk_die, the default allocator, the arena,
 * Vec growth and diagnostics (ir/common.h, ir/arena.h, ir/vec.h, ir/diag.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/arena.h"
#include "ir/diag.h"
#include "ir/vec.h"

void
sk_die(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "skua: internal error at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

static void *
default_alloc(void *user, void *ptr, size_t old_size, size_t new_size)
{
    (void)user;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

const SkAlloc sk_alloc_default = {default_alloc, NULL};

/* ---- arena ---- */

struct SkArenaChunk {
    SkArenaChunk *next;
    size_t size;  // usable bytes after the header
    /* data follows, 16-byte aligned */
};

#define CHUNK_HEADER SK_ALIGN_UP(sizeof(SkArenaChunk), 16)
#define CHUNK_MIN (64u * 1024u - CHUNK_HEADER)

void
sk_arena_init(SkArena *a, const SkAlloc *alloc)
{
    memset(a, 0, sizeof(*a));
    a->alloc = alloc ? alloc : &sk_alloc_default;
}

void
sk_arena_free(SkArena *a)
{
    SkArenaChunk *c = a->chunks;
    while (c) {
        SkArenaChunk *next = c->next;
        sk_free(a->alloc, c, CHUNK_HEADER + c->size);
        c = next;
    }
    a->chunks = NULL;
    a->cur = a->end = NULL;
    a->total = a->reserved = 0;
    a->failed = false;
}

void
sk_arena_reset(SkArena *a)
{
    /* Keep one chunk: after a few functions it fits a whole function's IR, so the steady
     * state allocates nothing. If the last lifetime spilled over several chunks, replace
     * them by one chunk of their combined size (so the next function of that size fits),
     * else keep the largest. */
    SkArenaChunk *keep = NULL;
    size_t sum = 0;
    int n = 0;
    for (SkArenaChunk *c = a->chunks; c; c = c->next) {
        if (!keep || c->size > keep->size)
            keep = c;
        sum += c->size;
        n++;
    }
    SkArenaChunk *merged = NULL;
    if (n > 1) {
        merged = sk_malloc(a->alloc, CHUNK_HEADER + sum);
        if (merged) {
            merged->size = sum;
            keep = merged;
        }
    }
    SkArenaChunk *c = a->chunks;
    while (c) {
        SkArenaChunk *next = c->next;
        if (c != keep)
            sk_free(a->alloc, c, CHUNK_HEADER + c->size);
        c = next;
    }
    a->chunks = keep;
    a->total = 0;
    a->failed = false;
    if (keep) {
        keep->next = NULL;
        a->cur = (uint8_t *)keep + CHUNK_HEADER;
        a->end = a->cur + keep->size;
        a->reserved = keep->size;
    } else {
        a->cur = a->end = NULL;
        a->reserved = 0;
    }
}

void *
sk_arena_alloc_slow(SkArena *a, size_t size, size_t align)
{
    SK_ASSERT(align && align <= 16 && (align & (align - 1)) == 0);
    if (size > SIZE_MAX / 4) {
        a->failed = true;
        return NULL;
    }
    /* Grow geometrically with what the arena already holds so big functions need few chunks. */
    size_t want = size + align;
    size_t grow = a->reserved < CHUNK_MIN ? CHUNK_MIN : a->reserved;
    if (want < grow)
        want = grow;
    SkArenaChunk *c = sk_malloc(a->alloc, CHUNK_HEADER + want);
    if (!c) {
        a->failed = true;
        return NULL;
    }
    c->size = want;
    c->next = a->chunks;
    a->chunks = c;
    a->reserved += want;
    a->cur = (uint8_t *)c + CHUNK_HEADER;
    a->end = a->cur + want;
    uintptr_t p = ((uintptr_t)a->cur + (align - 1)) & ~(uintptr_t)(align - 1);
    a->cur = (uint8_t *)(p + size);
    a->total += size;
    return (void *)p;
}

void *
sk_arena_calloc(SkArena *a, size_t n, size_t size)
{
    size_t bytes;
    if (sk_mul_overflows(n, size, &bytes)) {
        a->failed = true;
        return NULL;
    }
    void *p = sk_arena_alloc_aligned(a, bytes, 16);
    if (p)
        memset(p, 0, bytes);
    return p;
}

/* ---- Vec ---- */

static bool
vec_new_cap(uint32_t cap, uint32_t need, size_t elem_size, uint32_t *out_cap, size_t *out_bytes)
{
    uint64_t n = cap ? cap : 8;
    while (n < need)
        n *= 2;
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    if (n < need)
        return false;
    if (sk_mul_overflows((size_t)n, elem_size, out_bytes))
        return false;
    *out_cap = (uint32_t)n;
    return true;
}

bool
sk_vec_reserve_heap(void **data, uint32_t *cap, size_t elem_size, uint32_t need,
                    const SkAlloc *alloc)
{
    uint32_t ncap;
    size_t bytes;
    if (need <= *cap)
        return true;
    if (!vec_new_cap(*cap, need, elem_size, &ncap, &bytes))
        return false;
    void *p = sk_realloc(alloc, *data, (size_t)*cap * elem_size, bytes);
    if (!p)
        return false;
    *data = p;
    *cap = ncap;
    return true;
}

bool
sk_vec_reserve_arena(void **data, uint32_t *cap, size_t elem_size, uint32_t need,
                     SkArena *arena)
{
    uint32_t ncap;
    size_t bytes;
    if (need <= *cap)
        return true;
    if (!vec_new_cap(*cap, need, elem_size, &ncap, &bytes)) {
        arena->failed = true;
        return false;
    }
    void *p = sk_arena_alloc_aligned(arena, bytes, 16);
    if (!p)
        return false;
    if (*data)
        memcpy(p, *data, (size_t)*cap * elem_size);
    *data = p;
    *cap = ncap;
    return true;
}

/* ---- diagnostics ---- */

static const char *const diag_kind_names[SK_DIAG_COUNT] = {
#define SK_DIAG_NAME(name, text) text,
    SK_DIAG_KINDS(SK_DIAG_NAME)
#undef SK_DIAG_NAME
};

const char *
sk_diag_kind_name(SkDiagKind kind)
{
    return (unsigned)kind < SK_DIAG_COUNT ? diag_kind_names[kind] : "unknown error";
}

bool
sk_diag_set(SkDiag *d, SkDiagKind kind, uint64_t offset, const char *fmt, ...)
{
    if (!d || d->kind != SK_DIAG_NONE)
        return false;
    d->kind = kind;
    d->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof(d->message), fmt, ap);
    va_end(ap);
    return false;
}
