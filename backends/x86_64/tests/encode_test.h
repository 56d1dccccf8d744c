/*
 * Shared helpers of the x86_64 encoder test (test_encode.c: checker, printer, GPR forms;
 * test_encode_sse.c: the XMM forms). Every check goes through et_check, which decodes the
 * bytes with Capstone and compares with the text our own printer produced (STYLE.md
 * section 11); failures are counted in test_encode.c, whose main returns the verdict.
 */
#ifndef SKUA_X86_64_TESTS_ENCODE_TEST_H
#define SKUA_X86_64_TESTS_ENCODE_TEST_H

#include <stdint.h>

#include "backends/x86_64/x64.h"

/*
 * Decodes ONE instruction from bytes[0..len) with Capstone and checks that exactly one
 * decoded, that it used all len bytes, that len is within the form's declared maximum, and
 * that Capstone's text (after et_normalise) equals `expect`. `form` names the form for the
 * per-form counts and the failure message (which includes the bytes in hex). Returns true
 * when everything matched.
 */
bool et_check(const char *form, const uint8_t *bytes, size_t len, size_t max, const char *expect);

/* Checks that bytes[0..len) equal `hex` ("4c 01 e0"), an encoding transcribed from GNU as. */
bool et_check_bytes(const char *what, const uint8_t *bytes, size_t len, const char *hex);

/* Counts a failed check (with the message) unless cond holds; returns cond. */
bool et_require(bool cond, const char *what);

/* ---- our printer (Intel syntax as GNU objdump -M intel and Capstone spell it) ---- */

/* Name of general-purpose register r at operand size 1/2/4/8 (spl..dil for 4-7 at size 1). */
const char *et_gpr(unsigned r, unsigned size);

/* "xmm0" ... "xmm15". */
const char *et_xmm(unsigned r);

/*
 * Text of memory operand m with a "byte/word/dword/qword/xmmword ptr " prefix for ptr_size
 * 1/2/4/8/16 (0: none, as for lea). Returns one of a few rotating static buffers, so up to
 * four results can be used in one printf.
 */
const char *et_mem(unsigned ptr_size, X64Mem m);

/*
 * Text of an immediate operand. A sign-extended immediate narrower than its operand is shown
 * as a signed number; an immediate as wide as its operand (or a count or selector) as the
 * unsigned value of that width. Numbers above 9 are in hex ("0x7f", "-0x80").
 * Rotating static buffers like et_mem.
 */
const char *et_simm(int64_t v);
const char *et_uimm(uint64_t v, unsigned width);

/* ---- operand sets and the random source ---- */

/* The deliberate memory operands: every base with every displacement class, every index
 * with every scale, no base, rip. */
extern const X64Mem *et_mems;
extern size_t et_nmems;

/* Deterministic PRNG (splitmix64) seeded by main. */
uint64_t et_rand(void);

/* A random valid memory operand (bases, indexes, scales, displacements of every class). */
X64Mem et_rand_mem(void);

/* ---- test_encode_sse.c ---- */

/* The deliberate enumeration of every SSE table row in every shape its kind allows. */
void et_sse_exhaustive(void);

/* One random SSE instruction; returns false if its check failed. */
bool et_sse_random_one(void);

/* The SSE byte strings transcribed from GNU as. */
void et_sse_golden(void);

#endif
