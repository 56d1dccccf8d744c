/*
 * Diagnostics for bad input (STYLE.md section 6, kind 1). The failing function fills an
 * SkDiag and returns false; callers propagate. `offset` is the offending byte's offset in the
 * input. The message starts with the spec testsuite's wording ("unexpected end", "type
 * mismatch", ...) so the wast harness can match it, then adds detail.
 */
#ifndef SKUA_IR_DIAG_H
#define SKUA_IR_DIAG_H

#include "ir/common.h"

/* Kinds of bad input. */
#define SK_DIAG_KINDS(X)                                                                     \
    X(NONE, "no error")                                                                      \
    X(MALFORMED, "malformed module")                                                         \
    X(INVALID, "invalid module")                                                             \
    X(UNSUPPORTED, "unsupported feature")                                                    \
    X(LIMIT, "implementation limit exceeded")                                                \
    X(OUT_OF_MEMORY, "out of memory")                                                        \
    X(IO, "I/O error")

typedef enum SkDiagKind {
#define SK_DIAG_ENUM(name, text) SK_DIAG_##name,
    SK_DIAG_KINDS(SK_DIAG_ENUM)
#undef SK_DIAG_ENUM
    SK_DIAG_COUNT
} SkDiagKind;

#define SK_DIAG_NO_FUNC UINT32_MAX

typedef struct SkDiag {
    SkDiagKind kind;
    uint64_t offset;       // byte offset in the input of the offending byte
    uint32_t func_index;   // function being processed, or SK_DIAG_NO_FUNC
    char message[256];     // spec wording first, then detail
} SkDiag;

/* Fills `d` (only if no error is recorded yet: the first error wins) and returns false. */
bool sk_diag_set(SkDiag *d, SkDiagKind kind, uint64_t offset, const char *fmt, ...)
    SK_PRINTF(4, 5);
const char *sk_diag_kind_name(SkDiagKind kind);

#endif
