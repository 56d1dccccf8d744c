/*
 * Shared compiler basics: attribute macros, internal-bug assertions and the allocator hook.
 * Every compiler layer (ir, frontend, backends) includes this; the runtime does not (it has
 * runtime/rt_common.h). Bad input is never reported through these asserts: it goes through
 * SkDiag (ir/diag.h). SK_ASSERT is for skua's own bugs and stays on in test builds.
 */
#ifndef SKUA_IR_COMMON_H
#define SKUA_IR_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define SK_NORETURN __attribute__((noreturn))
#define SK_LIKELY(x) __builtin_expect(!!(x), 1)
#define SK_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define SK_UNUSED __attribute__((unused))
#define SK_INLINE static inline __attribute__((always_inline))
#else
#define SK_NORETURN
#define SK_LIKELY(x) (x)
#define SK_UNLIKELY(x) (x)
#define SK_PRINTF(fmt, args)
#define SK_UNUSED
#define SK_INLINE static inline
#endif

#define SK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SK_ALIGN_UP(x, a) (((x) + ((a)-1)) & ~(size_t)((a)-1))

/* Reports an internal bug (file:line and message) and aborts. Never used for bad input. */
SK_NORETURN void sk_die(const char *file, int line, const char *fmt, ...) SK_PRINTF(3, 4);

#define SK_ASSERT(cond)                                                                      \
    do {                                                                                     \
        if (SK_UNLIKELY(!(cond)))                                                            \
            sk_die(__FILE__, __LINE__, "assertion failed: %s", #cond);                      \
    } while (0)
#define sk_unreachable() sk_die(__FILE__, __LINE__, "unreachable")

/*
 * Allocator hook, in the manner of lua_Alloc: resize `ptr` from `old_size` to `new_size`
 * bytes; new_size == 0 frees and returns NULL. Returns NULL on failure (ptr stays valid).
 */
typedef void *(*SkAllocFn)(void *user, void *ptr, size_t old_size, size_t new_size);

typedef struct SkAlloc {
    SkAllocFn fn;
    void *user;
} SkAlloc;

/* The default allocator (malloc/realloc/free). */
extern const SkAlloc sk_alloc_default;

SK_INLINE void *
sk_malloc(const SkAlloc *a, size_t size)
{
    return a->fn(a->user, NULL, 0, size);
}

SK_INLINE void *
sk_realloc(const SkAlloc *a, void *ptr, size_t old_size, size_t new_size)
{
    return a->fn(a->user, ptr, old_size, new_size);
}

SK_INLINE void
sk_free(const SkAlloc *a, void *ptr, size_t size)
{
    if (ptr)
        a->fn(a->user, ptr, size, 0);
}

/* Overflow-checked size arithmetic for counts read from untrusted input. */
SK_INLINE bool
sk_mul_overflows(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

#endif
