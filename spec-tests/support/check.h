/*
 * Test-only checks. A failed CHECK prints file:line with both values and keeps going;
 * check_exit() (return it from main) makes the test fail if any check failed. Tests that
 * cannot run return SKIP (77), which ctest reports as skipped.
 */
#ifndef SKUA_CHECK_H
#define SKUA_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SKIP 77

static int check_failures;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);         \
            check_failures++;                                                                \
        }                                                                                    \
    } while (0)

#define CHECK_EQ(a, b)                                                                       \
    do {                                                                                     \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                      \
        if (check_a_ != check_b_) {                                                          \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld, 0x%llx vs 0x%llx)\n", \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_,                          \
                    (unsigned long long)check_a_, (unsigned long long)check_b_);             \
            check_failures++;                                                                \
        }                                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                                      \
    do {                                                                                     \
        const char *check_a_ = (a), *check_b_ = (b);                                         \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                     \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == %s\n  got:      \"%s\"\n  expected: \"%s\"\n", \
                    __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)",              \
                    check_b_ ? check_b_ : "(null)");                                         \
            check_failures++;                                                                \
        }                                                                                    \
    } while (0)

/* Substring check, for error messages. */
#define CHECK_CONTAINS(haystack, needle)                                                     \
    do {                                                                                     \
        const char *check_h_ = (haystack), *check_n_ = (needle);                             \
        if (!check_h_ || !strstr(check_h_, check_n_)) {                                      \
            fprintf(stderr, "%s:%d: CHECK_CONTAINS failed: \"%s\" does not contain \"%s\"\n", \
                    __FILE__, __LINE__, check_h_ ? check_h_ : "(null)", check_n_);           \
            check_failures++;                                                                \
        }                                                                                    \
    } while (0)

static inline int
check_exit(void)
{
    if (check_failures)
        fprintf(stderr, "%d check(s) failed\n", check_failures);
    return check_failures ? 1 : 0;
}

#endif
