/*
 * Bump-pointer arena: one per lifetime (module, function). Allocation is a pointer bump;
 * sk_arena_reset() keeps the chunks for reuse by the next function, sk_arena_free() returns
 * them. A failed allocation returns NULL and sets `failed`, which stays set until reset, so a
 * pass may check once at its end instead of after every allocation.
 */
#ifndef SKUA_IR_ARENA_H
#define SKUA_IR_ARENA_H

#include "ir/common.h"

typedef struct SkArenaChunk SkArenaChunk;

typedef struct SkArena {
    const SkAlloc *alloc;
    SkArenaChunk *chunks;  // current chunk first; older chunks follow
    uint8_t *cur;          // next free byte in the current chunk
    uint8_t *end;          // one past the current chunk's last byte
    size_t total;          // bytes handed out since the last reset (statistics)
    size_t reserved;       // bytes held in chunks
    bool failed;           // sticky allocation failure
} SkArena;

void sk_arena_init(SkArena *a, const SkAlloc *alloc);
/* Frees every chunk. The arena may be reused after sk_arena_init(). */
void sk_arena_free(SkArena *a);
/* Forgets every allocation but keeps one chunk for reuse: the largest, or, if there were
 * several, a new one of their combined size (so the next lifetime of the same size fits). */
void sk_arena_reset(SkArena *a);
/* Slow path of sk_arena_alloc: starts a new chunk big enough for `size`. */
void *sk_arena_alloc_slow(SkArena *a, size_t size, size_t align);

/* Returns `size` bytes aligned to `align` (a power of two <= 16), or NULL on failure. */
SK_INLINE void *
sk_arena_alloc_aligned(SkArena *a, size_t size, size_t align)
{
    uintptr_t p = ((uintptr_t)a->cur + (align - 1)) & ~(uintptr_t)(align - 1);
    if (SK_LIKELY(a->cur && p + size <= (uintptr_t)a->end && p + size >= p)) {
        a->cur = (uint8_t *)(p + size);
        a->total += size;
        return (void *)p;
    }
    return sk_arena_alloc_slow(a, size, align);
}

SK_INLINE void *
sk_arena_alloc(SkArena *a, size_t size)
{
    return sk_arena_alloc_aligned(a, size, 8);
}

/* Zeroed allocation of n * size bytes; NULL (and `failed`) on overflow or exhaustion. */
void *sk_arena_calloc(SkArena *a, size_t n, size_t size);

#endif
