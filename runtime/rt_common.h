/*
 * Runtime basics: attribute macros, internal-bug assertions, small helpers. The runtime
 * depends only on libc and the OS, so it has its own copy of what ir/common.h gives the
 * compiler layers. RT_ASSERT is for skua's own bugs (it aborts with file:line); bad input
 * and traps are reported through RtError and RtTrap values instead.
 */
#ifndef SKUA_RUNTIME_RT_COMMON_H
#define SKUA_RUNTIME_RT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define RT_NORETURN __attribute__((noreturn))
#define RT_LIKELY(x) __builtin_expect(!!(x), 1)
#define RT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define RT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define RT_NOINLINE __attribute__((noinline))
#define RT_TLS_MODEL __attribute__((tls_model("initial-exec")))
#else
#define RT_NORETURN
#define RT_LIKELY(x) (x)
#define RT_UNLIKELY(x) (x)
#define RT_PRINTF(fmt, args)
#define RT_NOINLINE
#define RT_TLS_MODEL
#endif

/* AddressSanitizer: the fiber code tells it about stack switches. */
#if defined(__SANITIZE_ADDRESS__)
#define RT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_ASAN 1
#endif
#endif
#ifndef RT_ASAN
#define RT_ASAN 0
#endif

#define RT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define RT_ALIGN_UP(x, a) (((x) + ((a)-1)) & ~(uint64_t)((a)-1))
#define RT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define RT_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Reports an internal bug (file:line and message) on stderr and aborts. */
RT_NORETURN void rt_die(const char *file, int line, const char *msg);

#define RT_ASSERT(cond)                                                                      \
    do {                                                                                     \
        if (RT_UNLIKELY(!(cond)))                                                            \
            rt_die(__FILE__, __LINE__, "assertion failed: " #cond);                          \
    } while (0)

/* calloc/malloc/realloc wrappers that check count * size for overflow (NULL on failure). */
void *rt_calloc(size_t count, size_t size);
void *rt_mallocarray(size_t count, size_t size);
void *rt_reallocarray(void *ptr, size_t count, size_t size);

/* The host page size. */
size_t rt_page_size(void);

#endif
