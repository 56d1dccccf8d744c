/*
 * Declarations shared by the frontend's source files and nobody else (the public contract
 * is frontend/frontend.h).
 */
#ifndef SKUA_FRONTEND_INTERNAL_H
#define SKUA_FRONTEND_INTERNAL_H

#include "frontend/reader.h"

/* names.c */

/*
 * Decodes the contents of a `name` custom section [p, end) into m's name fields. A malformed
 * name section is ignored as a whole: on any error the module keeps no names from it.
 */
void fe_names_decode(FeModule *m, const uint8_t *p, const uint8_t *end);

/* validate.c */

/*
 * Test hook: validate every instruction through the general path, bypassing the fast path
 * of the body validator. Both paths must reach the same verdict with the same diagnostic;
 * the fuzzer checks that.
 */
void fe_validator_set_slow_only(FeValidator *v, bool slow_only);

/*
 * Decodes (without validating) the bodies of defined functions `first` .. nfuncs-1 and
 * reports the first malformed one in `diag` (which must be empty). Used when validation has
 * already failed: the spec decodes the whole module before validating, so a malformed body
 * outranks an invalid one. Returns true if every body is well-formed.
 */
bool fe_bodies_check_syntax(const FeModule *m, uint32_t first, SkDiag *diag);

#endif
