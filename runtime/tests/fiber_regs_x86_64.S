/*
 * Test helper (x86_64): uint64_t test_switch_preserves(void **save_sp, void *to_sp).
 * Loads distinct values into every callee-saved register (rbx rbp r12-r15) and sets MXCSR to
 * round-toward-zero, calls rt_fiber_switch(save_sp, to_sp), and once control comes back
 * returns a mask of what did not survive: bits 0-5 rbx r12 r13 r14 r15 rbp, bit 6 MXCSR.
 */
#if defined(__APPLE__)
#define SYM(name) _##name
#else
#define SYM(name) name
#endif
    .text
    .globl SYM(test_switch_preserves)
    .p2align 4
SYM(test_switch_preserves):
    pushq   %rbp
    movq    %rsp, %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $24, %rsp
    stmxcsr (%rsp)
    movl    (%rsp), %eax
    orl     $0x6000, %eax
    movl    %eax, 4(%rsp)
    ldmxcsr 4(%rsp)
    movq    %rbp, 8(%rsp)
    movabsq $0x1111111111111111, %rbx
    movabsq $0x2222222222222222, %r12
    movabsq $0x3333333333333333, %r13
    movabsq $0x4444444444444444, %r14
    movabsq $0x5555555555555555, %r15
    movabsq $0x6666666666666666, %rbp
    call    SYM(rt_fiber_switch)
    xorl    %eax, %eax
.macro CHECK reg, magic, bit
    movabsq $\magic, %rcx
    cmpq    %rcx, \reg
    je      1f
    orl     $\bit, %eax
1:
.endm
    CHECK   %rbx, 0x1111111111111111, 1
    CHECK   %r12, 0x2222222222222222, 2
    CHECK   %r13, 0x3333333333333333, 4
    CHECK   %r14, 0x4444444444444444, 8
    CHECK   %r15, 0x5555555555555555, 16
    CHECK   %rbp, 0x6666666666666666, 32
    movq    8(%rsp), %rbp
    stmxcsr 16(%rsp)
    movl    16(%rsp), %ecx
    cmpl    4(%rsp), %ecx
    je      2f
    orl     $64, %eax
2:
    ldmxcsr (%rsp)
    addq    $24, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret

#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",@progbits
#endif
