/*
 * Fiber context switch for aarch64 (AAPCS64). rt_fiber_switch saves the callee-saved state
 * of the current stack (x19-x28, the frame record x29/x30, and d8-d15, the low halves of
 * v8-v15, and FPCR so that a rounding mode set on one stack never leaks to another) and
 * resumes the stack whose saved pointer it is given. Saved frame, 176 bytes from the saved
 * stack pointer up (fiber.c builds the first one of a fiber):
 *
 *   +0 x19 x20  +16 x21 x22  +32 x23 x24  +48 x25 x26  +64 x27 x28  +80 x29 x30(ret)
 *   +96 d8 d9  +112 d10 d11  +128 d12 d13  +144 d14 d15  +160 FPCR  +168 pad
 */
#if defined(__APPLE__)
#define SYM(name) _##name
#define FUNC_BEGIN(name) .globl SYM(name); .p2align 4; SYM(name):
#define FUNC_END(name)
#else
#define SYM(name) name
#define FUNC_BEGIN(name) .globl name; .type name, %function; .p2align 4; name:
#define FUNC_END(name) .size name, .-name
#endif

    .text

/* void rt_fiber_switch(void **save_sp, void *to_sp) */
FUNC_BEGIN(rt_fiber_switch)
    sub     sp, sp, #176
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x3, fpcr
    str     x3, [sp, #160]
    mov     x2, sp
    str     x2, [x0]
    mov     sp, x1
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    ldr     x3, [sp, #160]
    msr     fpcr, x3
    add     sp, sp, #176
    ret
FUNC_END(rt_fiber_switch)

/*
 * First code of every fiber: the initial frame "returns" here with x19 = the RtFiber and
 * x29 = 0 (the end of every frame-record chain on this stack), sp 16-aligned.
 */
FUNC_BEGIN(rt_fiber_start)
    mov     x0, x19
    mov     x29, #0
    mov     x30, #0
    bl      SYM(rt_fiber_main)
    brk     #0
FUNC_END(rt_fiber_start)

#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
