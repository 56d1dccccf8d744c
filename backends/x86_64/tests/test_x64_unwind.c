/*
 * x86_64 unwind information: the DWARF call-frame instructions unwind.c derives from the
 * prologue records of a compiled function, against bytes worked out by hand from the DWARF 5
 * standard (section 6.4.2) and the System V x86_64 psABI register numbering.
 */
#include <stdio.h>
#include <string.h>

#include "backends/x86_64/regs.h"
#include "check.h"

int
main(void)
{
    /* push rbp (1 byte); mov rbp, rsp (3); cmp/jb stack check (10); push rbx (1);
     * push r12 (2); sub rsp, 16 (4). */
    CgUnwind u[] = {
        {1, CG_UNWIND_PUSH_FRAME, 0, 16},
        {4, CG_UNWIND_SET_FP, 0, 0},
        {15, CG_UNWIND_SAVE_REG, X64R_RBX, 8},
        {17, CG_UNWIND_SAVE_REG, X64R_R12, 16},
        {21, CG_UNWIND_ALLOC, 0, 16},
    };
    static const uint8_t want[] = {
        0x41,        // advance_loc 1
        0x0e, 16,    // def_cfa_offset 16
        0x86, 2,     // offset rbp (6) at CFA - 16
        0x43,        // advance_loc 3
        0x0d, 6,     // def_cfa_register rbp
        0x4b,        // advance_loc 11
        0x83, 3,     // offset rbx (3) at CFA - 24
        0x42,        // advance_loc 2
        0x8c, 4,     // offset r12 (12) at CFA - 32
        0x44,        // advance_loc 4 (the allocation changes nothing)
    };
    uint8_t got[64];
    size_t n = x64_unwind_cfi(u, 5, got, sizeof(got));
    CHECK_EQ(n, sizeof(want));
    CHECK(!memcmp(got, want, sizeof(want)));

    /* Too little room: the needed length still comes back, nothing is written past cap. */
    memset(got, 0xEE, sizeof(got));
    CHECK_EQ(x64_unwind_cfi(u, 5, got, 4), sizeof(want));
    CHECK_EQ(got[4], 0xEE);

    /* A long prologue needs advance_loc1/2. */
    CgUnwind far[] = {{70, CG_UNWIND_SET_FP, 0, 0}, {400, CG_UNWIND_ALLOC, 0, 0}};
    n = x64_unwind_cfi(far, 2, got, sizeof(got));
    static const uint8_t want_far[] = {0x02, 70, 0x0d, 6, 0x03, 0x4a, 0x01};
    CHECK_EQ(n, sizeof(want_far));
    CHECK(!memcmp(got, want_far, sizeof(want_far)));
    return check_exit();
}
