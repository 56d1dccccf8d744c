/*
 * Hand-written x86_64 machine code for the runtime tests, following runtime/vmctx.h: the
 * wasm ABI (vmctx in rdi, SysV arguments), entry and host-call trampolines, trap sites
 * (ud2, faulting loads) listed in tc_traps, builtin calls through `movabs` imm64 slots listed
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

/* `movabs $0, %rax` whose imm64 the loader patches with builtin `id`. */
.macro BUILTIN_ADDR id
    .pushsection .rodata.tc_relocs, "a"
    .long 8f + 2 - tc_blob, \id
    .popsection
8:  movabsq $0, %rax
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
    pushq   %rbp
    movq    %rsp, %rbp
    movq    8(%rsi), %rdi
    call    *(%rsi)
    popq    %rbp
    ret

/* [i32] -> [i32] */
L_entry_t1:
    pushq   %rbp
    movq    %rsp, %rbp
    pushq   %rbx
    subq    $8, %rsp
    movq    %rdx, %rbx
    movq    8(%rsi), %rdi
    movq    (%rsi), %rax
    movl    (%rbx), %esi
    call    *%rax
    movl    %eax, (%rbx)
    addq    $8, %rsp
    popq    %rbx
    popq    %rbp
    ret

/* [] -> [i32] */
L_entry_t2:
    pushq   %rbp
    movq    %rsp, %rbp
    pushq   %rbx
    subq    $8, %rsp
    movq    %rdx, %rbx
    movq    8(%rsi), %rdi
    call    *(%rsi)
    movl    %eax, (%rbx)
    addq    $8, %rsp
    popq    %rbx
    popq    %rbp
    ret

/* i32 host_t1(RtHostFunc *hf, i32 x): one RtVal slot at rbp-16 */
L_host_t1:
    pushq   %rbp
    movq    %rsp, %rbp
    subq    $16, %rsp
    movl    %esi, -16(%rbp)
    leaq    -16(%rbp), %rsi
    call    *(%rdi)
    movl    -16(%rbp), %eax
    leave
    ret

L_get_mem:
    pushq   %rbp
    movq    %rsp, %rbp
    movq    (%rdi), %rax
    movl    %esi, %esi
    TRAP_SITE TK_MEMORY_OOB
    movl    (%rax,%rsi), %eax
    popq    %rbp
    ret

L_call_import:
    pushq   %rbp
    movq    %rsp, %rbp
    movq    80(%rdi), %rax
    movq    8(%rax), %rdi
    call    *(%rax)
    popq    %rbp
    ret

L_grow:
    pushq   %rbp
    movq    %rsp, %rbp
    movl    %esi, %edx
    xorl    %esi, %esi
    BUILTIN_ADDR TB_MEMORY_GROW
    call    *%rax
    popq    %rbp
    ret

L_unreachable:
    pushq   %rbp
    movq    %rsp, %rbp
    TRAP_SITE TK_UNREACHABLE
    ud2

L_recurse:
    pushq   %rbp
    movq    %rsp, %rbp
    cmpq    16(%rdi), %rsp
    jb      1f
    call    L_recurse
    popq    %rbp
    ret
1:
    TRAP_SITE TK_STACK_EXHAUSTED
    ud2

L_get_global:
    pushq   %rbp
    movq    %rsp, %rbp
    movq    320(%rdi), %rax
    movl    (%rax), %eax
    addl    336(%rdi), %eax
    popq    %rbp
    ret

L_call_indirect:
    pushq   %rbp
    movq    %rsp, %rbp
    movq    304(%rdi), %rax
    cmpl    8(%rax), %esi
    jae     1f
    movq    (%rax), %rax
    movl    %esi, %esi
    movq    (%rax,%rsi,8), %rax
    testq   %rax, %rax
    jz      2f
    movl    72(%rdi), %ecx
    cmpl    %ecx, 16(%rax)
    jne     3f
    movq    8(%rax), %rdi
    call    *(%rax)
    popq    %rbp
    ret
1:
    TRAP_SITE TK_UNDEFINED_ELEMENT
    ud2
2:
    TRAP_SITE TK_UNINITIALIZED_ELEMENT
    ud2
3:
    TRAP_SITE TK_INDIRECT_CALL_TYPE
    ud2

L_start:
    pushq   %rbp
    movq    %rsp, %rbp
    addl    $35, 336(%rdi)
    popq    %rbp
    ret

L_fill:
    pushq   %rbp
    movq    %rsp, %rbp
    movl    %esi, %edx
    xorl    %esi, %esi
    movl    $0xAB, %ecx
    movl    $16, %r8d
    BUILTIN_ADDR TB_MEMORY_FILL
    call    *%rax
    xorl    %eax, %eax
    popq    %rbp
    ret

L_m2_read:
    pushq   %rbp
    movq    %rsp, %rbp
    movq    (%rdi), %rax
    movl    %esi, %esi
    TRAP_SITE TK_MEMORY_OOB
    movl    (%rax,%rsi), %eax
    popq    %rbp
    ret

L_m2_seven:
    pushq   %rbp
    movq    %rsp, %rbp
    movq    136(%rdi), %rax
    movl    (%rax), %eax
    addl    $100, %eax
    popq    %rbp
    ret

L_recurse_nocheck:
    pushq   %rbp
    movq    %rsp, %rbp
    call    L_recurse_nocheck
    popq    %rbp
    ret

L_outer:
    pushq   %rbp
    movq    %rsp, %rbp
    call    L_middle
    popq    %rbp
    ret

L_middle:
    pushq   %rbp
    movq    %rsp, %rbp
    call    L_unreachable
    popq    %rbp
    ret

/* a / b with the hardware's divide fault as the divide-by-zero trap (b == -1 excluded by
 * the tests, as the contract requires of code that relies on #DE). */
L_div:
    pushq   %rbp
    movq    %rsp, %rbp
    movl    %edx, %ecx
    movl    %esi, %eax
    cltd
    TRAP_SITE TK_INT_DIV_ZERO
    idivl   %ecx
    popq    %rbp
    ret

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
    .section .note.GNU-stack,"",@progbits
#endif
