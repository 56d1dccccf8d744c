/*
 * Typed growable arrays. A Vec's storage comes either from the heap (through an SkAlloc) or
 * from an arena (growing copies into a new arena block and abandons the old one, which the
 * arena reclaims at reset). Never keep a pointer into a Vec across a push: keep the index.
 *
 *   SK_VEC(uint32_t) v = {0};
 *   if (!SK_VEC_PUSH_HEAP(&v, alloc, x)) ...   // or SK_VEC_PUSH_ARENA(&v, arena, x)
 *   sk_vec_free_heap(&v, alloc);
 */
#ifndef SKUA_IR_VEC_H
#define SKUA_IR_VEC_H

#include <string.h>

#include "ir/arena.h"

#define SK_VEC(T)                                                                            \
    struct {                                                                                 \
        T *data;                                                                             \
        uint32_t len, cap;                                                                   \
    }

/* Ensures capacity for `need` elements. Returns false on overflow or allocation failure. */
bool sk_vec_reserve_heap(void **data, uint32_t *cap, size_t elem_size, uint32_t need,
                         const SkAlloc *alloc);
bool sk_vec_reserve_arena(void **data, uint32_t *cap, size_t elem_size, uint32_t need,
                          SkArena *arena);

#define SK_VEC_RESERVE_HEAP(v, alloc, n)                                                     \
    ((n) <= (v)->cap ||                                                                      \
     sk_vec_reserve_heap((void **)&(v)->data, &(v)->cap, sizeof(*(v)->data), (n), (alloc)))
#define SK_VEC_RESERVE_ARENA(v, arena, n)                                                    \
    ((n) <= (v)->cap ||                                                                      \
     sk_vec_reserve_arena((void **)&(v)->data, &(v)->cap, sizeof(*(v)->data), (n), (arena)))

/* Appends x; evaluates to false (and leaves v unchanged) when growing fails. */
#define SK_VEC_PUSH_HEAP(v, alloc, x)                                                        \
    (SK_VEC_RESERVE_HEAP((v), (alloc), (v)->len + 1u) ? ((v)->data[(v)->len++] = (x), true) \
                                                       : false)
#define SK_VEC_PUSH_ARENA(v, arena, x)                                                       \
    (SK_VEC_RESERVE_ARENA((v), (arena), (v)->len + 1u)                                       \
         ? ((v)->data[(v)->len++] = (x), true)                                               \
         : false)

#define sk_vec_free_heap(v, alloc)                                                           \
    do {                                                                                     \
        sk_free((alloc), (v)->data, (size_t)(v)->cap * sizeof(*(v)->data));                  \
        (v)->data = NULL;                                                                    \
        (v)->len = (v)->cap = 0;                                                             \
    } while (0)

#endif
