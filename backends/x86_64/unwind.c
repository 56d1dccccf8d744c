/*
 * x86_64 unwind information: turns the neutral prologue records (CgUnwind, backends/
 * target.h; written by abi.c as it emits the prologue) into DWARF call-frame instructions
 * for an FDE, the form debuggers and profilers read (STYLE.md section 8: one place per
 * platform). The runtime itself walks frame pointers and does not need this.
 *
 * State machine: at entry CFA = rsp + 8 with the return address at CFA - 8 (the CIE's initial
 * rules). After `push rbp`: CFA = rsp + 16, rbp saved at CFA - 16. After `mov rbp, rsp`:
 * CFA = rbp + 16, so later pushes and the allocation change nothing; each callee-saved
 * register is at rbp - k = CFA - 16 - k.
 */
#include "backends/x86_64/regs.h"

/* DWARF register numbers of the core's general-purpose registers (System V psABI, 3.6.2). */
static const uint8_t dwarf_reg[X64R_R15 + 1] = {
    [X64R_RAX] = 0, [X64R_RDX] = 1, [X64R_RCX] = 2, [X64R_RBX] = 3, [X64R_RSI] = 4,
    [X64R_RDI] = 5, [X64R_RBP] = 6, [X64R_RSP] = 7, [X64R_R8] = 8,  [X64R_R9] = 9,
    [X64R_R10] = 10, [X64R_R11] = 11, [X64R_R12] = 12, [X64R_R13] = 13, [X64R_R14] = 14,
    [X64R_R15] = 15,
};

enum {
    DW_CFA_advance_loc = 0x40,
    DW_CFA_offset = 0x80,
    DW_CFA_advance_loc1 = 0x02,
    DW_CFA_advance_loc2 = 0x03,
    DW_CFA_def_cfa_register = 0x0d,
    DW_CFA_def_cfa_offset = 0x0e,
    DATA_ALIGN = 8,  // the CIE's data alignment factor is -8
};

typedef struct Out {
    uint8_t *p;
    size_t len, cap;
} Out;

static void
put(Out *o, uint8_t b)
{
    if (o->len < o->cap)
        o->p[o->len] = b;
    o->len++;
}

static void
put_uleb(Out *o, uint32_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        put(o, b | (v ? 0x80 : 0));
    } while (v);
}

static void
advance(Out *o, uint32_t *at, uint32_t to)
{
    uint32_t d = to - *at;
    if (!d)
        return;
    if (d < 64) {
        put(o, DW_CFA_advance_loc | (uint8_t)d);
    } else if (d < 256) {
        put(o, DW_CFA_advance_loc1);
        put(o, (uint8_t)d);
    } else {
        put(o, DW_CFA_advance_loc2);
        put(o, (uint8_t)d);
        put(o, (uint8_t)(d >> 8));
    }
    *at = to;
}

/*
 * Writes the call-frame instructions for records u[0..n) (code alignment factor 1, data
 * alignment factor -8) to out; returns the length needed (which may exceed cap: then call
 * again with more room).
 */
size_t
x64_unwind_cfi(const CgUnwind *u, uint32_t n, uint8_t *out, size_t cap)
{
    Out o = {out, 0, cap};
    uint32_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        advance(&o, &at, u[i].code_offset);
        switch ((CgUnwindOp)u[i].op) {
        case CG_UNWIND_PUSH_FRAME:
            put(&o, DW_CFA_def_cfa_offset);
            put_uleb(&o, u[i].value);
            put(&o, DW_CFA_offset | dwarf_reg[X64R_RBP]);
            put_uleb(&o, u[i].value / DATA_ALIGN);
            break;
        case CG_UNWIND_SET_FP:
            put(&o, DW_CFA_def_cfa_register);
            put_uleb(&o, dwarf_reg[X64R_RBP]);
            break;
        case CG_UNWIND_SAVE_REG:
            SK_ASSERT(u[i].reg <= X64R_R15);
            put(&o, DW_CFA_offset | dwarf_reg[u[i].reg]);
            put_uleb(&o, (16 + u[i].value) / DATA_ALIGN);
            break;
        case CG_UNWIND_ALLOC:
            break;  // the CFA is rbp-based by then
        default:
            sk_unreachable();
        }
    }
    return o.len;
}
