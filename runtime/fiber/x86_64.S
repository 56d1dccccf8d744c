/*
 * Fiber context switch for x86_64 (SysV). rt_fiber_switch saves the callee-saved state of
 * the current stack (rbp rbx r12-r15, MXCSR and the x87 control word, whose control bits
 * the ABI makes callee-saved) and resumes the stack whose saved pointer it is given.
 * Saved frame, from the saved stack pointer up (fiber.c builds the first one of a fiber):
 *
 *   +0  MXCSR (4 bytes) | x87 control word (2 bytes) | pad
 *   +8  r15   +16 r14   +24 r13   +32 r12   +40 rbx   +48 rbp   +56 return address
 */
#if defined(__APPLE__)
#define SYM(name) _##name
#define FUNC_BEGIN(name) .globl SYM(name); .p2align 4; SYM(name):
#define FUNC_END(name)
#else
#define SYM(name) name
#define FUNC_BEGIN(name) .globl name; .type name, @function; .p2align 4; name:
#define FUNC_END(name) .size name, .-name
#endif

    .text

/* void rt_fiber_switch(void **save_sp, void *to_sp) */
FUNC_BEGIN(rt_fiber_switch)
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $8, %rsp
    stmxcsr (%rsp)
    fnstcw  4(%rsp)
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw   4(%rsp)
    addq    $8, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
FUNC_END(rt_fiber_switch)

/*
 * First code of every fiber: the initial frame "returns" here with r12 = the RtFiber and
 * rbp = 0 (the end of every frame-pointer chain on this stack), rsp 16-aligned.
 */
FUNC_BEGIN(rt_fiber_start)
    movq    %r12, %rdi
    xorl    %ebp, %ebp
    call    SYM(rt_fiber_main)
    ud2
FUNC_END(rt_fiber_start)

#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",@progbits
#endif
