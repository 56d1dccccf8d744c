/*
 * Runtime utilities: internal-bug reports, overflow-checked allocation, errors. Everything
 * else in the runtime builds on these; nothing here keeps state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime/runtime.h"

/* Internal bugs only: the one place the runtime library writes to stderr, then aborts. */
void
rt_die(const char *file, int line, const char *msg)
{
    fprintf(stderr, "%s:%d: skua runtime internal error: %s\n", file, line, msg);
    abort();
}

void *
rt_calloc(size_t count, size_t size)
{
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);  // calloc checks count * size itself
}

void *
rt_mallocarray(size_t count, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(count, size, &bytes))
        return NULL;
    return malloc(bytes ? bytes : 1);
}

void *
rt_reallocarray(void *ptr, size_t count, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(count, size, &bytes))
        return NULL;
    return realloc(ptr, bytes ? bytes : 1);
}

size_t
rt_page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

static const char *const error_kind_names[] = {
#define RT_ERROR_NAME(name, text) text,
    RT_ERROR_KINDS(RT_ERROR_NAME)
#undef RT_ERROR_NAME
};

bool
rt_error_set(RtError *e, RtErrorKind kind, const char *fmt, ...)
{
    if (!e)
        return false;
    e->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return false;
}

const char *
rt_error_kind_name(RtErrorKind kind)
{
    return (unsigned)kind < RT_ERROR_COUNT ? error_kind_names[kind] : "unknown error";
}
