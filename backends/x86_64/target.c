/*
 * The x86_64 target record (backends/target.h): register file, allocation order, SysV
 * clobber and save sets, the hooks into isel.c, emit.c and abi.c, and host CPU feature
 * detection with cpuid.
 */
#include "backends/x86_64/regs.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

static const char *const reg_names[CG_NPREGS] = {
    "-",     "rax",   "rcx",   "rdx",   "rbx",   "rsp",   "rbp",   "rsi",   "rdi",
    "r8",    "r9",    "r10",   "r11",   "r12",   "r13",   "r14",   "r15",   "xmm0",
    "xmm1",  "xmm2",  "xmm3",  "xmm4",  "xmm5",  "xmm6",  "xmm7",  "xmm8",  "xmm9",
    "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
};

/* Caller-saved first (free to use), then callee-saved (each costs a push/pop). r11 and
 * xmm15 are the scratch registers; rsp and rbp are never allocated; r15 holds the VM context
 * and r14 memory 0's base in functions that need them (pinned). */
static const uint8_t gpr_order[] = {
    X64R_RAX, X64R_RCX, X64R_RDX, X64R_RSI, X64R_RDI, X64R_R8, X64R_R9, X64R_R10,
    X64R_RBX, X64R_R12, X64R_R13,
};
static const uint8_t xmm_order[] = {
    X64R_XMM0,      X64R_XMM0 + 1,  X64R_XMM0 + 2,  X64R_XMM0 + 3, X64R_XMM0 + 4,
    X64R_XMM0 + 5,  X64R_XMM0 + 6,  X64R_XMM0 + 7,  X64R_XMM0 + 8, X64R_XMM0 + 9,
    X64R_XMM0 + 10, X64R_XMM0 + 11, X64R_XMM0 + 12, X64R_XMM0 + 13, X64R_XMM0 + 14,
};

#define RS(r) CG_REGSET(r)
#define XMM_ALL (((CgRegSet)0xFFFF) << X64R_XMM0)

const CgTarget x64_target = {
    .name = "x86_64",
    .rt_target = RT_TARGET_X86_64,
    .reg_class =
        {
            [X64R_RAX] = CG_CLASS_INT,  [X64R_RCX] = CG_CLASS_INT,  [X64R_RDX] = CG_CLASS_INT,
            [X64R_RBX] = CG_CLASS_INT,  [X64R_RSP] = CG_CLASS_INT,  [X64R_RBP] = CG_CLASS_INT,
            [X64R_RSI] = CG_CLASS_INT,  [X64R_RDI] = CG_CLASS_INT,  [X64R_R8] = CG_CLASS_INT,
            [X64R_R9] = CG_CLASS_INT,   [X64R_R10] = CG_CLASS_INT,  [X64R_R11] = CG_CLASS_INT,
            [X64R_R12] = CG_CLASS_INT,  [X64R_R13] = CG_CLASS_INT,  [X64R_R14] = CG_CLASS_INT,
            [X64R_R15] = CG_CLASS_INT,
            [X64R_XMM0] = CG_CLASS_FLOAT,      [X64R_XMM0 + 1] = CG_CLASS_FLOAT,
            [X64R_XMM0 + 2] = CG_CLASS_FLOAT,  [X64R_XMM0 + 3] = CG_CLASS_FLOAT,
            [X64R_XMM0 + 4] = CG_CLASS_FLOAT,  [X64R_XMM0 + 5] = CG_CLASS_FLOAT,
            [X64R_XMM0 + 6] = CG_CLASS_FLOAT,  [X64R_XMM0 + 7] = CG_CLASS_FLOAT,
            [X64R_XMM0 + 8] = CG_CLASS_FLOAT,  [X64R_XMM0 + 9] = CG_CLASS_FLOAT,
            [X64R_XMM0 + 10] = CG_CLASS_FLOAT, [X64R_XMM0 + 11] = CG_CLASS_FLOAT,
            [X64R_XMM0 + 12] = CG_CLASS_FLOAT, [X64R_XMM0 + 13] = CG_CLASS_FLOAT,
            [X64R_XMM0 + 14] = CG_CLASS_FLOAT, [X64R_XMM0 + 15] = CG_CLASS_FLOAT,
        },
    .reg_names = reg_names,
    .alloc_order = {[CG_CLASS_INT] = gpr_order, [CG_CLASS_FLOAT] = xmm_order},
    .nalloc = {[CG_CLASS_INT] = sizeof(gpr_order), [CG_CLASS_FLOAT] = sizeof(xmm_order)},
    .call_clobbers = RS(X64R_RAX) | RS(X64R_RCX) | RS(X64R_RDX) | RS(X64R_RSI) | RS(X64R_RDI) |
                     RS(X64R_R8) | RS(X64R_R9) | RS(X64R_R10) | RS(X64R_R11) | XMM_ALL,
    .call_clobbers_v128 = 0,
    .callee_saved = RS(X64R_RBX) | RS(X64R_R12) | RS(X64R_R13) | RS(X64R_R14) | RS(X64R_R15),
    .pinned = RS(X64_VMCTX_REG) | RS(X64_MEMBASE_REG),
    .scratch = {[CG_CLASS_INT] = X64_SCRATCH_GPR, [CG_CLASS_FLOAT] = X64_SCRATCH_XMM},
    .func_align = 16,
    .pad_byte = 0xCC,
    .isel = x64_isel,
    .emit_inst = x64_emit_inst,
    .emit_move = x64_emit_move,
    .emit_swap = x64_emit_swap,
    .emit_moves = x64_emit_moves,
    .emit_prologue = x64_emit_prologue,
    .emit_jump = x64_emit_jump,
    .emit_trap = x64_emit_trap,
    .frame_layout = x64_frame_layout,
    .patch = x64_patch,
    .emit_entry_trampoline = x64_emit_entry_trampoline,
    .emit_host_trampoline = x64_emit_host_trampoline,
    .print_inst = x64_print_inst,
};

uint64_t
x64_host_features(void)
{
    uint64_t f = 0;
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        if (c & bit_SSE3)
            f |= RT_CPU_X64_SSE3;
        if (c & bit_SSSE3)
            f |= RT_CPU_X64_SSSE3;
        if (c & bit_SSE4_1)
            f |= RT_CPU_X64_SSE41;
        if (c & bit_SSE4_2)
            f |= RT_CPU_X64_SSE42;
        if (c & bit_POPCNT)
            f |= RT_CPU_X64_POPCNT;
        if (c & bit_AVX)
            f |= RT_CPU_X64_AVX;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (b & bit_BMI)
            f |= RT_CPU_X64_BMI1;
        if (b & bit_BMI2)
            f |= RT_CPU_X64_BMI2;
        if (b & bit_AVX2)
            f |= RT_CPU_X64_AVX2;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        if (c & bit_LZCNT)
            f |= RT_CPU_X64_LZCNT;
    }
#endif
    return f;
}
