/*
 * Hand-written aarch64 machine code for the runtime tests, following runtime/vmctx.h: the
 * wasm ABI (vmctx in x0, AAPCS64 arguments), entry and host-call trampolines, trap sites
 * (udf, faulting loads) listed in tc_traps, builtin calls through 8-byte literal slots listed
 * in tc_relocs. The tests copy the bytes between tc_blob and tc_blob_end into compiled
 * modules; they are data here and never run in place. Entry points: testcode.h.
 */
#include "testcode.h"

#if defined(__APPLE__)
#define SYM(name) _##name
#else
#define SYM(name) name
#endif

/* Records the current position as trap site `kind`. */
.macro TRAP_SITE kind
    .pushsection .rodata.tc_traps, "a"
    .long 9f - tc_blob, \kind
    .popsection
9:
.endm

/* Loads builtin `id`'s address (an 8-byte literal the loader patches) into x9. */
.macro BUILTIN_ADDR id
    ldr     x9, 7f
    b       6f
    .p2align 3
    .pushsection .rodata.tc_relocs, "a"
    .long 7f - tc_blob, \id
    .popsection
7:  .quad 0
6:
.endm

.macro PROLOGUE
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
.endm

.macro EPILOGUE
    ldp     x29, x30, [sp], #16
    ret
.endm

    .section .rodata.tc_traps, "a"
    .p2align 2
    .globl SYM(tc_traps)
SYM(tc_traps):
    .section .rodata.tc_relocs, "a"
    .p2align 2
    .globl SYM(tc_relocs)
SYM(tc_relocs):

    .section .rodata.tc_blob, "a"
    .p2align 4
    .globl SYM(tc_blob)
SYM(tc_blob):
/* The unprefixed name the macros use; elsewhere SYM(tc_blob) is that name already, and
 * clang's assembler refuses a label defined twice. */
#if defined(__APPLE__)
tc_blob:
#endif

/* void entry_t0(VmCtx *caller, const RtFuncRef *callee, RtVal *ar) */
L_entry_t0:
    PROLOGUE
    ldr     x9, [x1]
    ldr     x0, [x1, #8]
    blr     x9
    EPILOGUE

/* [i32] -> [i32] */
L_entry_t1:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    mov     x19, x2
    ldr     x9, [x1]
    ldr     x0, [x1, #8]
    ldr     w1, [x19]
    blr     x9
    str     w0, [x19]
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

/* [] -> [i32] */
L_entry_t2:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     x19, [sp, #16]
    mov     x19, x2
    ldr     x9, [x1]
    ldr     x0, [x1, #8]
    blr     x9
    str     w0, [x19]
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

/* i32 host_t1(RtHostFunc *hf, i32 x): one RtVal slot at sp+16 */
L_host_t1:
    stp     x29, x30, [sp, #-32]!
    mov     x29, sp
    str     w1, [sp, #16]
    add     x1, sp, #16
    ldr     x9, [x0]
    blr     x9
    ldr     w0, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

L_get_mem:
    PROLOGUE
    ldr     x9, [x0]
    TRAP_SITE TK_MEMORY_OOB
    ldr     w0, [x9, w1, uxtw]
    EPILOGUE

L_call_import:
    PROLOGUE
    ldr     x10, [x0, #80]
    ldr     x9, [x10]
    ldr     x0, [x10, #8]
    blr     x9
    EPILOGUE

L_grow:
    PROLOGUE
    mov     w2, w1
    mov     w1, #0
    BUILTIN_ADDR TB_MEMORY_GROW
    blr     x9
    EPILOGUE

L_unreachable:
    PROLOGUE
    TRAP_SITE TK_UNREACHABLE
    udf     #0

L_recurse:
    PROLOGUE
    ldr     x9, [x0, #16]
    mov     x10, sp
    cmp     x10, x9
    b.lo    1f
    bl      L_recurse
    EPILOGUE
1:
    TRAP_SITE TK_STACK_EXHAUSTED
    udf     #0

L_get_global:
    PROLOGUE
    ldr     x9, [x0, #320]
    ldr     w9, [x9]
    ldr     w10, [x0, #336]
    add     w0, w9, w10
    EPILOGUE

L_call_indirect:
    PROLOGUE
    ldr     x9, [x0, #304]
    ldr     w10, [x9, #8]
    cmp     w1, w10
    b.hs    1f
    ldr     x9, [x9]
    ldr     x11, [x9, w1, uxtw #3]
    cbz     x11, 2f
    ldr     w12, [x0, #72]
    ldr     w13, [x11, #16]
    cmp     w12, w13
    b.ne    3f
    ldr     x9, [x11]
    ldr     x0, [x11, #8]
    blr     x9
    EPILOGUE
1:
    TRAP_SITE TK_UNDEFINED_ELEMENT
    udf     #0
2:
    TRAP_SITE TK_UNINITIALIZED_ELEMENT
    udf     #0
3:
    TRAP_SITE TK_INDIRECT_CALL_TYPE
    udf     #0

L_start:
    PROLOGUE
    ldr     w9, [x0, #336]
    add     w9, w9, #35
    str     w9, [x0, #336]
    EPILOGUE

L_fill:
    PROLOGUE
    mov     w2, w1
    mov     w1, #0
    mov     w3, #0xAB
    mov     w4, #16
    BUILTIN_ADDR TB_MEMORY_FILL
    blr     x9
    mov     w0, #0
    EPILOGUE

L_m2_read:
    PROLOGUE
    ldr     x9, [x0]
    TRAP_SITE TK_MEMORY_OOB
    ldr     w0, [x9, w1, uxtw]
    EPILOGUE

L_m2_seven:
    PROLOGUE
    ldr     x9, [x0, #136]
    ldr     w9, [x9]
    add     w0, w9, #100
    EPILOGUE

L_recurse_nocheck:
    PROLOGUE
    bl      L_recurse_nocheck
    EPILOGUE

L_outer:
    PROLOGUE
    bl      L_middle
    EPILOGUE

L_middle:
    PROLOGUE
    bl      L_unreachable
    EPILOGUE

/* a / b: sdiv does not fault on aarch64, so the zero check branches to a udf site. */
L_div:
    PROLOGUE
    cbz     w2, 1f
    sdiv    w0, w1, w2
    EPILOGUE
1:
    TRAP_SITE TK_INT_DIV_ZERO
    udf     #0

L_end:
    .globl SYM(tc_blob_end)
SYM(tc_blob_end):

    .section .rodata.tc_offsets, "a"
    .p2align 2
    .globl SYM(tc_offsets)
SYM(tc_offsets):
    .long L_entry_t0 - tc_blob, L_entry_t1 - tc_blob, L_entry_t2 - tc_blob
    .long L_host_t1 - tc_blob, L_get_mem - tc_blob, L_call_import - tc_blob
    .long L_grow - tc_blob, L_unreachable - tc_blob, L_recurse - tc_blob
    .long L_get_global - tc_blob, L_call_indirect - tc_blob, L_start - tc_blob
    .long L_fill - tc_blob, L_m2_read - tc_blob, L_m2_seven - tc_blob
    .long L_recurse_nocheck - tc_blob, L_outer - tc_blob, L_middle - tc_blob
    .long L_div - tc_blob, L_end - tc_blob

    .section .rodata.tc_traps, "a"
    .globl SYM(tc_traps_end)
SYM(tc_traps_end):
    .section .rodata.tc_relocs, "a"
    .globl SYM(tc_relocs_end)
SYM(tc_relocs_end):

#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
