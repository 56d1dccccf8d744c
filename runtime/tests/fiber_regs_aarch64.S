/*
 * Test helper (aarch64): uint64_t test_switch_preserves(void **save_sp, void *to_sp).
 * Loads distinct values into every callee-saved register (x19-x28, x29, d8-d15), calls
 * rt_fiber_switch(save_sp, to_sp), and once control comes back returns a mask of what did
 * not survive: bit i (0-9) for x19+i, bit 10 for x29, bit 11+j (0-7) for d8+j.
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
    stp     x29, x30, [sp, #-176]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
.macro SETX reg, magic
    ldr     \reg, =\magic
.endm
.macro SETD reg, magic
    ldr     x9, =\magic
    fmov    \reg, x9
.endm
    SETX    x19, 0x1919191919191919
    SETX    x20, 0x2020202020202020
    SETX    x21, 0x2121212121212121
    SETX    x22, 0x2222222222222222
    SETX    x23, 0x2323232323232323
    SETX    x24, 0x2424242424242424
    SETX    x25, 0x2525252525252525
    SETX    x26, 0x2626262626262626
    SETX    x27, 0x2727272727272727
    SETX    x28, 0x2828282828282828
    SETD    d8, 0x0808080808080808
    SETD    d9, 0x0909090909090909
    SETD    d10, 0x1010101010101010
    SETD    d11, 0x1111111111111111
    SETD    d12, 0x1212121212121212
    SETD    d13, 0x1313131313131313
    SETD    d14, 0x1414141414141414
    SETD    d15, 0x1515151515151515
    SETX    x29, 0x2929292929292929
    bl      SYM(rt_fiber_switch)
    mov     x0, #0
.macro CHECKX reg, magic, bit
    ldr     x9, =\magic
    cmp     \reg, x9
    b.eq    1f
    orr     x0, x0, #\bit
1:
.endm
.macro CHECKD reg, magic, bit
    ldr     x9, =\magic
    fmov    x10, \reg
    cmp     x10, x9
    b.eq    1f
    orr     x0, x0, #\bit
1:
.endm
    CHECKX  x19, 0x1919191919191919, 0x1
    CHECKX  x20, 0x2020202020202020, 0x2
    CHECKX  x21, 0x2121212121212121, 0x4
    CHECKX  x22, 0x2222222222222222, 0x8
    CHECKX  x23, 0x2323232323232323, 0x10
    CHECKX  x24, 0x2424242424242424, 0x20
    CHECKX  x25, 0x2525252525252525, 0x40
    CHECKX  x26, 0x2626262626262626, 0x80
    CHECKX  x27, 0x2727272727272727, 0x100
    CHECKX  x28, 0x2828282828282828, 0x200
    CHECKX  x29, 0x2929292929292929, 0x400
    CHECKD  d8, 0x0808080808080808, 0x800
    CHECKD  d9, 0x0909090909090909, 0x1000
    CHECKD  d10, 0x1010101010101010, 0x2000
    CHECKD  d11, 0x1111111111111111, 0x4000
    CHECKD  d12, 0x1212121212121212, 0x8000
    CHECKD  d13, 0x1313131313131313, 0x10000
    CHECKD  d14, 0x1414141414141414, 0x20000
    CHECKD  d15, 0x1515151515151515, 0x40000
    mov     x29, sp
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    ldp     x29, x30, [sp], #176
    ret
    .ltorg

#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
