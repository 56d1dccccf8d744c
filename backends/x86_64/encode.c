/*
 * x86_64 machine-code encoder: the general-purpose forms (moves, ALU, multiply/divide,
 * shifts, bit counts, conditions, control flow, nops) and the instruction layout that
 * encode_sse.c shares:
 *
 *     [66] [F2|F3] [REX] [0F [38|3A]] opcode [ModRM [SIB] [disp8|disp32]] [imm]
 *
 * The backend's emission pass calls these; each is pure (operands in, bytes appended, length
 * returned; x64.h states the contract). Encodings follow the Intel SDM vol. 2, chapter 2
 * (instruction format, tables 2-2 and 2-3 for ModRM/SIB) and the per-instruction pages.
 */
#include "backends/x86_64/x64.h"

/* Debug builds check every form's length against the maximum it declares in x64.h. */
#ifndef NDEBUG
#define DONE(p, out, max) done_checked((size_t)((p) - (out)), (max))
static size_t
done_checked(size_t n, size_t max)
{
    SK_ASSERT(n <= max && max <= X64_MAX_INSN);
    return n;
}
#else
#define DONE(p, out, max) ((size_t)((p) - (out)))
#endif

/* Little-endian immediate and displacement writers; each returns the advanced pointer. */
static inline uint8_t *
put8(uint8_t *p, uint64_t v)
{
    *p = (uint8_t)v;
    return p + 1;
}

static inline uint8_t *
put16(uint8_t *p, uint64_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static inline uint8_t *
put32(uint8_t *p, uint64_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

static inline uint8_t *
put64(uint8_t *p, uint64_t v)
{
    p = put32(p, v);
    return put32(p, v >> 32);
}

/* SIB scale field for a scale factor of 1, 2, 4 or 8. */
static inline unsigned
scale_bits(unsigned scale)
{
    SK_ASSERT(scale == 1 || scale == 2 || scale == 4 || scale == 8);
    return (scale >> 1) - (scale >> 3); // 1->0, 2->1, 4->2, 8->3
}

/* Asserts that m is a valid memory operand (x64.h: X64Mem). */
static void
check_mem(X64Mem m)
{
    SK_ASSERT(m.base < X64_GPR_COUNT || m.base == X64_MEM_NONE || m.base == X64_MEM_RIP);
    if (m.index == X64_MEM_NONE)
        return;
    SK_ASSERT(m.index < X64_GPR_COUNT && m.index != X64_RSP); // SIB index 100 means "none"
    SK_ASSERT(m.base != X64_MEM_RIP);                          // rip has no SIB form
}

/*
 * The memory forms x64_put_rm leaves out of line: no base, rip-relative (and, for
 * completeness, every other form, which x64_put_rm handles inline). The special cases of SDM table 2-2/2-3:
 *   - rm = 100 means "SIB follows", so rsp/r12 as base always take a SIB byte;
 *   - mod = 00 with rm (or SIB base) = 101 means "no base, disp32" (rip-relative without a
 *     SIB), so rbp/r13 as base with disp 0 are encoded with mod = 01 and disp8 = 0;
 *   - SIB index = 100 means "no index", so rsp cannot be an index (r12 can: REX.X = 1).
 */
uint8_t *
x64_put_rm_general(uint8_t *p, unsigned flags, unsigned opcode, unsigned reg, X64Mem m)
{
    SK_ASSERT(reg < 16);
    check_mem(m);
    unsigned rex = (reg >> 3) << 2;
    if (m.index < X64_GPR_COUNT)
        rex |= (m.index >> 3u) << 1;
    if (m.base < X64_GPR_COUNT)
        rex |= m.base >> 3u;
    rex |= x64_byte_rex(flags & X64_EF_BYTE_REG, reg, 0);
    p = x64_put_head(p, flags, rex, opcode);

    unsigned r = (reg & 7) << 3;
    if (m.base == X64_MEM_RIP) {
        *p++ = (uint8_t)(r | 5);
        return x64_put32(p, (uint32_t)m.disp);
    }
    bool has_index = m.index != X64_MEM_NONE;
    unsigned sib_index = has_index ? (m.index & 7u) << 3 : 4u << 3;
    unsigned sib_scale = has_index ? scale_bits(m.scale) << 6 : 0;
    if (m.base == X64_MEM_NONE) {
        *p++ = (uint8_t)(r | 4);
        *p++ = (uint8_t)(sib_scale | sib_index | 5);
        return x64_put32(p, (uint32_t)m.disp);
    }
    unsigned base = m.base & 7u;
    unsigned mod = (m.disp == 0 && base != 5) ? 0 : x64_fits_i8(m.disp) ? 1 : 2;
    if (has_index || base == 4) {
        *p++ = (uint8_t)(mod << 6 | r | 4);
        *p++ = (uint8_t)(sib_scale | sib_index | base);
    } else {
        *p++ = (uint8_t)(mod << 6 | r | base);
    }
    if (mod == 1)
        p = put8(p, (uint32_t)m.disp);
    else if (mod == 2)
        p = put32(p, (uint32_t)m.disp);
    return p;
}

SK_INLINE uint8_t *
put_rr(uint8_t *p, unsigned flags, unsigned opcode, unsigned reg, unsigned rm)
{
    return x64_put_rr(p, flags, opcode, reg, rm);
}

SK_INLINE uint8_t *
put_rm(uint8_t *p, unsigned flags, unsigned opcode, unsigned reg, X64Mem m)
{
    return x64_put_rm(p, flags, opcode, reg, m);
}

/* Legacy prefixes, REX and opcode with no ModRM (REX bits in `rex`). */
SK_INLINE uint8_t *
emit_head(uint8_t *p, unsigned flags, unsigned rex, unsigned opcode)
{
    return x64_put_head(p, flags, rex, opcode);
}

size_t
x64_emit_rr(uint8_t *out, unsigned flags, unsigned opcode, unsigned reg, unsigned rm)
{
    return (size_t)(put_rr(out, flags, opcode, reg, rm) - out);
}

size_t
x64_emit_rm(uint8_t *out, unsigned flags, unsigned opcode, unsigned reg, X64Mem m)
{
    return (size_t)(put_rm(out, flags, opcode, reg, m) - out);
}

/* Opcode with the register in its low 3 bits (B8+r, 50+r, ...), REX.B for r8-r15. */
static uint8_t *
put_oreg(uint8_t *p, unsigned flags, unsigned opcode, unsigned r)
{
    SK_ASSERT(r < 16);
    unsigned rex = r >> 3 | x64_byte_rex(flags & X64_EF_BYTE_RM, 0, r);
    return emit_head(p, flags, rex, opcode + (r & 7));
}

/* Prefix/REX flags of an operand size; size 1 marks both operands as byte registers. */
SK_INLINE unsigned
size_flags(unsigned size)
{
    return x64_size_flags(size);
}

/*
 * Flags for a /digit form (ModRM.reg holds an opcode extension, not a register): like
 * size_flags, but the digit must not count as a byte register, or digits 4-7 would get a
 * useless REX.
 */
static unsigned
digit_flags(unsigned size)
{
    return size_flags(size) & ~(unsigned)X64_EF_BYTE_REG;
}

/* Writes an immediate of `nbytes` (1, 2 or 4) bytes. */
static uint8_t *
put_imm(uint8_t *p, unsigned nbytes, int64_t imm)
{
    switch (nbytes) {
    case 1:
        return put8(p, (uint64_t)imm);
    case 2:
        return put16(p, (uint64_t)imm);
    default:
        return put32(p, (uint64_t)imm);
    }
}

/*
 * Asserts that imm is representable at operand `size` (signed or unsigned range of the size;
 * int32 for size 8, whose immediates are sign-extended) and returns it sign-extended from
 * that size, which is what decides between an imm8 and a full immediate.
 */
static int64_t
imm_value(unsigned size, int64_t imm)
{
    switch (size) {
    case 1:
        SK_ASSERT(imm >= INT8_MIN && imm <= UINT8_MAX);
        return (int8_t)imm;
    case 2:
        SK_ASSERT(imm >= INT16_MIN && imm <= UINT16_MAX);
        return (int16_t)imm;
    case 4:
        SK_ASSERT(imm >= INT32_MIN && imm <= UINT32_MAX);
        return (int32_t)imm;
    case 8:
        SK_ASSERT(x64_fits_i32(imm));
        return imm;
    default:
        sk_unreachable();
    }
}

/* Bytes of a full-size immediate: 1, 2, or 4 (size 8 uses a sign-extended imm32). */
static inline unsigned
full_imm_bytes(unsigned size)
{
    return size < 4 ? size : 4;
}

size_t
x64_alu_imm_bytes(unsigned size, int64_t imm)
{
    int64_t v = imm_value(size, imm);
    return (size == 1 || x64_fits_i8(v)) ? 1 : full_imm_bytes(size);
}

/* ---- moves ------------------------------------------------------------------------------ */

size_t
x64_encode_movabs(uint8_t *out, X64Gpr dst, uint64_t imm)
{
    uint8_t *p = put_oreg(out, X64_EF_W, 0xB8, dst);
    p = put64(p, imm);
    return DONE(p, out, X64_MAX_MOV_RI);
}

size_t
x64_encode_mov_ri(uint8_t *out, unsigned size, X64Gpr dst, int64_t imm)
{
    uint8_t *p = out;
    if (size == 8) {
        if (imm >= 0 && imm <= (int64_t)UINT32_MAX) {
            size = 4; // mov r32, imm32 zero-extends: one byte shorter, no REX.W
        } else if (x64_fits_i32(imm)) {
            p = put_rr(p, X64_EF_W, 0xC7, 0, dst);
            p = put32(p, (uint64_t)imm);
            return DONE(p, out, X64_MAX_MOV_RI);
        } else {
            return x64_encode_movabs(out, dst, (uint64_t)imm);
        }
    }
    (void)imm_value(size, imm); // range check
    p = put_oreg(p, size_flags(size), size == 1 ? 0xB0 : 0xB8, dst);
    p = put_imm(p, size, imm);
    return DONE(p, out, X64_MAX_MOV_RI);
}

size_t
x64_encode_mov_mi(uint8_t *out, unsigned size, X64Mem m, int64_t imm)
{
    (void)imm_value(size, imm);
    uint8_t *p = put_rm(out, digit_flags(size), size == 1 ? 0xC6 : 0xC7, 0, m);
    p = put_imm(p, full_imm_bytes(size), imm);
    return DONE(p, out, X64_MAX_MI);
}

/* Opcode and flags of movzx/movsx/movsxd for the given sizes (x64.h). */
static unsigned
extend_opcode(bool sign, unsigned dst_size, unsigned src_size, unsigned *flags)
{
    SK_ASSERT(dst_size == 2 || dst_size == 4 || dst_size == 8);
    SK_ASSERT(src_size < dst_size);
    *flags = size_flags(dst_size);
    switch (src_size) {
    case 1:
        *flags |= X64_EF_BYTE_RM;
        return X64_OP0F(sign ? 0xBE : 0xB6);
    case 2:
        return X64_OP0F(sign ? 0xBF : 0xB7);
    case 4:
        SK_ASSERT(sign); // a 32-bit mov already zero-extends
        return X64_OP(0x63);
    default:
        sk_unreachable();
    }
}

size_t
x64_encode_movzx_rr(uint8_t *out, unsigned dst_size, unsigned src_size, X64Gpr dst,
                    X64Gpr src)
{
    unsigned flags;
    unsigned opcode = extend_opcode(false, dst_size, src_size, &flags);
    uint8_t *p = put_rr(out, flags, opcode, dst, src);
    return DONE(p, out, X64_MAX_RR0F);
}

size_t
x64_encode_movzx_rm(uint8_t *out, unsigned dst_size, unsigned src_size, X64Gpr dst, X64Mem m)
{
    unsigned flags;
    unsigned opcode = extend_opcode(false, dst_size, src_size, &flags);
    uint8_t *p = put_rm(out, flags, opcode, dst, m);
    return DONE(p, out, X64_MAX_RM0F);
}

size_t
x64_encode_movsx_rr(uint8_t *out, unsigned dst_size, unsigned src_size, X64Gpr dst,
                    X64Gpr src)
{
    unsigned flags;
    unsigned opcode = extend_opcode(true, dst_size, src_size, &flags);
    uint8_t *p = put_rr(out, flags, opcode, dst, src);
    return DONE(p, out, X64_MAX_RR0F);
}

size_t
x64_encode_movsx_rm(uint8_t *out, unsigned dst_size, unsigned src_size, X64Gpr dst, X64Mem m)
{
    unsigned flags;
    unsigned opcode = extend_opcode(true, dst_size, src_size, &flags);
    uint8_t *p = put_rm(out, flags, opcode, dst, m);
    return DONE(p, out, X64_MAX_RM0F);
}

size_t
x64_encode_xchg_rr(uint8_t *out, unsigned size, X64Gpr a, X64Gpr b)
{
    uint8_t *p = put_rr(out, size_flags(size), size == 1 ? 0x86 : 0x87, b, a);
    return DONE(p, out, X64_MAX_RR);
}

/* ---- integer arithmetic ----------------------------------------------------------------- */

size_t
x64_encode_alu_rm(uint8_t *out, X64AluOp op, unsigned size, X64Gpr dst, X64Mem m)
{
    SK_ASSERT(op < X64_ALU_COUNT);
    uint8_t *p = put_rm(out, size_flags(size), op * 8u + (size == 1 ? 2 : 3), dst, m);
    return DONE(p, out, X64_MAX_RM);
}

size_t
x64_encode_alu_mr(uint8_t *out, X64AluOp op, unsigned size, X64Mem m, X64Gpr src)
{
    SK_ASSERT(op < X64_ALU_COUNT);
    uint8_t *p = put_rm(out, size_flags(size), op * 8u + (size == 1 ? 0 : 1), src, m);
    return DONE(p, out, X64_MAX_RM);
}

size_t
x64_encode_alu_ri(uint8_t *out, X64AluOp op, unsigned size, X64Gpr dst, int64_t imm)
{
    SK_ASSERT(op < X64_ALU_COUNT);
    unsigned flags = digit_flags(size);
    int64_t v = imm_value(size, imm);
    uint8_t *p;
    if (size == 1) {
        p = dst == X64_RAX ? put_oreg(out, flags, op * 8u + 4, X64_RAX)
                           : put_rr(out, flags, 0x80, op, dst);
        p = put8(p, (uint64_t)v);
    } else if (x64_fits_i8(v)) {
        p = put_rr(out, flags, 0x83, op, dst);
        p = put8(p, (uint64_t)v);
    } else {
        // The accumulator form (op*8 + 5) has no ModRM: one byte shorter.
        p = dst == X64_RAX ? put_oreg(out, flags, op * 8u + 5, X64_RAX)
                           : put_rr(out, flags, 0x81, op, dst);
        p = put_imm(p, full_imm_bytes(size), v);
    }
    return DONE(p, out, X64_MAX_RI);
}

size_t
x64_encode_alu_mi(uint8_t *out, X64AluOp op, unsigned size, X64Mem m, int64_t imm)
{
    SK_ASSERT(op < X64_ALU_COUNT);
    unsigned flags = digit_flags(size);
    int64_t v = imm_value(size, imm);
    uint8_t *p;
    if (size == 1) {
        p = put_rm(out, flags, 0x80, op, m);
        p = put8(p, (uint64_t)v);
    } else if (x64_fits_i8(v)) {
        p = put_rm(out, flags, 0x83, op, m);
        p = put8(p, (uint64_t)v);
    } else {
        p = put_rm(out, flags, 0x81, op, m);
        p = put_imm(p, full_imm_bytes(size), v);
    }
    return DONE(p, out, X64_MAX_MI);
}

size_t
x64_encode_test_mr(uint8_t *out, unsigned size, X64Mem m, X64Gpr b)
{
    uint8_t *p = put_rm(out, size_flags(size), size == 1 ? 0x84 : 0x85, b, m);
    return DONE(p, out, X64_MAX_RM);
}

size_t
x64_encode_test_ri(uint8_t *out, unsigned size, X64Gpr a, int64_t imm)
{
    unsigned flags = digit_flags(size);
    (void)imm_value(size, imm);
    uint8_t *p = a == X64_RAX ? put_oreg(out, flags, size == 1 ? 0xA8 : 0xA9, X64_RAX)
                              : put_rr(out, flags, size == 1 ? 0xF6 : 0xF7, 0, a);
    p = put_imm(p, full_imm_bytes(size), imm);
    return DONE(p, out, X64_MAX_RI);
}

size_t
x64_encode_test_mi(uint8_t *out, unsigned size, X64Mem m, int64_t imm)
{
    (void)imm_value(size, imm);
    uint8_t *p = put_rm(out, digit_flags(size), size == 1 ? 0xF6 : 0xF7, 0, m);
    p = put_imm(p, full_imm_bytes(size), imm);
    return DONE(p, out, X64_MAX_MI);
}

/*
 * Opcode of each X64UnaryOp for sizes > 1 (size 1 is one less: FE, F6). The ModRM digit is
 * the enum value itself: inc /0, dec /1 in FE/FF; not /2 ... idiv /7 in F6/F7.
 */
static const uint8_t unary_opcode[X64_UN_COUNT] = { 0xFF, 0xFF, 0xF7, 0xF7,
                                                    0xF7, 0xF7, 0xF7, 0xF7 };

size_t
x64_encode_unary_r(uint8_t *out, X64UnaryOp op, unsigned size, X64Gpr r)
{
    SK_ASSERT(op < X64_UN_COUNT);
    unsigned opcode = unary_opcode[op] - (size == 1 ? 1u : 0u);
    uint8_t *p = put_rr(out, digit_flags(size), opcode, (unsigned)op, r);
    return DONE(p, out, X64_MAX_RR);
}

size_t
x64_encode_unary_m(uint8_t *out, X64UnaryOp op, unsigned size, X64Mem m)
{
    SK_ASSERT(op < X64_UN_COUNT);
    unsigned opcode = unary_opcode[op] - (size == 1 ? 1u : 0u);
    uint8_t *p = put_rm(out, digit_flags(size), opcode, (unsigned)op, m);
    return DONE(p, out, X64_MAX_RM);
}

size_t
x64_encode_imul_rr(uint8_t *out, unsigned size, X64Gpr dst, X64Gpr src)
{
    SK_ASSERT(size >= 2);
    uint8_t *p = put_rr(out, size_flags(size), X64_OP0F(0xAF), dst, src);
    return DONE(p, out, X64_MAX_RR0F);
}

size_t
x64_encode_imul_rm(uint8_t *out, unsigned size, X64Gpr dst, X64Mem m)
{
    SK_ASSERT(size >= 2);
    uint8_t *p = put_rm(out, size_flags(size), X64_OP0F(0xAF), dst, m);
    return DONE(p, out, X64_MAX_RM0F);
}

size_t
x64_encode_imul_rri(uint8_t *out, unsigned size, X64Gpr dst, X64Gpr src, int64_t imm)
{
    SK_ASSERT(size >= 2);
    int64_t v = imm_value(size, imm);
    bool short_imm = x64_fits_i8(v);
    uint8_t *p = put_rr(out, size_flags(size), short_imm ? 0x6B : 0x69, dst, src);
    p = put_imm(p, short_imm ? 1 : full_imm_bytes(size), v);
    return DONE(p, out, X64_MAX_IMUL_RRI);
}

size_t
x64_encode_imul_rmi(uint8_t *out, unsigned size, X64Gpr dst, X64Mem m, int64_t imm)
{
    SK_ASSERT(size >= 2);
    int64_t v = imm_value(size, imm);
    bool short_imm = x64_fits_i8(v);
    uint8_t *p = put_rm(out, size_flags(size), short_imm ? 0x6B : 0x69, dst, m);
    p = put_imm(p, short_imm ? 1 : full_imm_bytes(size), v);
    return DONE(p, out, X64_MAX_IMUL_RMI);
}

size_t
x64_encode_cdq(uint8_t *out, unsigned size)
{
    SK_ASSERT(size >= 2);
    uint8_t *p = emit_head(out, size_flags(size), 0, 0x99);
    return DONE(p, out, 2);
}

/* Asserts that op is one of the five shift/rotate digits of X64ShiftOp. */
static void
check_shift(X64ShiftOp op)
{
    SK_ASSERT(op == X64_SHIFT_ROL || op == X64_SHIFT_ROR || op == X64_SHIFT_SHL ||
              op == X64_SHIFT_SHR || op == X64_SHIFT_SAR);
}

size_t
x64_encode_shift_rcl(uint8_t *out, X64ShiftOp op, unsigned size, X64Gpr r)
{
    check_shift(op);
    uint8_t *p = put_rr(out, digit_flags(size), size == 1 ? 0xD2 : 0xD3, op, r);
    return DONE(p, out, X64_MAX_RR);
}

size_t
x64_encode_shift_ri(uint8_t *out, X64ShiftOp op, unsigned size, X64Gpr r, uint8_t imm)
{
    check_shift(op);
    uint8_t *p;
    if (imm == 1) {
        p = put_rr(out, digit_flags(size), size == 1 ? 0xD0 : 0xD1, op, r);
    } else {
        p = put_rr(out, digit_flags(size), size == 1 ? 0xC0 : 0xC1, op, r);
        p = put8(p, imm);
    }
    return DONE(p, out, X64_MAX_RR + 1);
}

/* Prefix flags and opcode of each X64BitOp (lzcnt/tzcnt/popcnt carry a mandatory F3). */
static const uint8_t bit_f3[X64_BIT_COUNT] = { 1, 1, 1, 0, 0 };
static const uint8_t bit_opcode[X64_BIT_COUNT] = { 0xBD, 0xBC, 0xB8, 0xBD, 0xBC };

size_t
x64_encode_bit_rr(uint8_t *out, X64BitOp op, unsigned size, X64Gpr dst, X64Gpr src)
{
    SK_ASSERT(op < X64_BIT_COUNT && size >= 2);
    unsigned flags = size_flags(size) | (bit_f3[op] ? X64_EF_F3 : 0);
    uint8_t *p = put_rr(out, flags, X64_OP0F(bit_opcode[op]), dst, src);
    return DONE(p, out, X64_MAX_POPCNT_RR);
}

size_t
x64_encode_bit_rm(uint8_t *out, X64BitOp op, unsigned size, X64Gpr dst, X64Mem m)
{
    SK_ASSERT(op < X64_BIT_COUNT && size >= 2);
    unsigned flags = size_flags(size) | (bit_f3[op] ? X64_EF_F3 : 0);
    uint8_t *p = put_rm(out, flags, X64_OP0F(bit_opcode[op]), dst, m);
    return DONE(p, out, X64_MAX_POPCNT_RM);
}

size_t
x64_encode_bt_rr(uint8_t *out, unsigned size, X64Gpr r, X64Gpr bit)
{
    SK_ASSERT(size >= 2);
    uint8_t *p = put_rr(out, size_flags(size), X64_OP0F(0xA3), bit, r);
    return DONE(p, out, X64_MAX_RR0F);
}

size_t
x64_encode_bt_ri(uint8_t *out, unsigned size, X64Gpr r, uint8_t imm)
{
    SK_ASSERT(size >= 2);
    uint8_t *p = put_rr(out, size_flags(size), X64_OP0F(0xBA), 4, r);
    p = put8(p, imm);
    return DONE(p, out, X64_MAX_RR0F + 1);
}

/* ---- conditions ------------------------------------------------------------------------- */

size_t
x64_encode_setcc(uint8_t *out, X64Cond cc, X64Gpr dst)
{
    SK_ASSERT(cc < X64_CC_COUNT);
    uint8_t *p = put_rr(out, X64_EF_BYTE_RM, X64_OP0F(0x90 + cc), 0, dst);
    return DONE(p, out, 4);
}

size_t
x64_encode_cmov_rr(uint8_t *out, X64Cond cc, unsigned size, X64Gpr dst, X64Gpr src)
{
    SK_ASSERT(cc < X64_CC_COUNT && size >= 2);
    uint8_t *p = put_rr(out, size_flags(size), X64_OP0F(0x40 + cc), dst, src);
    return DONE(p, out, X64_MAX_RR0F);
}

size_t
x64_encode_cmov_rm(uint8_t *out, X64Cond cc, unsigned size, X64Gpr dst, X64Mem m)
{
    SK_ASSERT(cc < X64_CC_COUNT && size >= 2);
    uint8_t *p = put_rm(out, size_flags(size), X64_OP0F(0x40 + cc), dst, m);
    return DONE(p, out, X64_MAX_RM0F);
}

/* ---- control flow ----------------------------------------------------------------------- */

size_t
x64_encode_jcc_rel8(uint8_t *out, X64Cond cc, int8_t rel)
{
    SK_ASSERT(cc < X64_CC_COUNT);
    out[0] = (uint8_t)(0x70 + cc);
    out[1] = (uint8_t)rel;
    return 2;
}

size_t
x64_encode_jcc_rel32(uint8_t *out, X64Cond cc, int32_t rel)
{
    SK_ASSERT(cc < X64_CC_COUNT);
    out[0] = 0x0F;
    out[1] = (uint8_t)(0x80 + cc);
    put32(out + 2, (uint32_t)rel);
    return 6;
}

size_t
x64_encode_jmp_rel8(uint8_t *out, int8_t rel)
{
    out[0] = 0xEB;
    out[1] = (uint8_t)rel;
    return 2;
}

size_t
x64_encode_jmp_rel32(uint8_t *out, int32_t rel)
{
    out[0] = 0xE9;
    put32(out + 1, (uint32_t)rel);
    return 5;
}

size_t
x64_encode_call_rel32(uint8_t *out, int32_t rel)
{
    out[0] = 0xE8;
    put32(out + 1, (uint32_t)rel);
    return 5;
}

/* jmp and call through a register or memory: FF /4 and FF /2 (64-bit operand by default). */
size_t
x64_encode_jmp_r(uint8_t *out, X64Gpr r)
{
    uint8_t *p = put_rr(out, 0, 0xFF, 4, r);
    return DONE(p, out, 3);
}

size_t
x64_encode_jmp_m(uint8_t *out, X64Mem m)
{
    uint8_t *p = put_rm(out, 0, 0xFF, 4, m);
    return DONE(p, out, X64_MAX_RM);
}

size_t
x64_encode_call_r(uint8_t *out, X64Gpr r)
{
    uint8_t *p = put_rr(out, 0, 0xFF, 2, r);
    return DONE(p, out, 3);
}

size_t
x64_encode_call_m(uint8_t *out, X64Mem m)
{
    uint8_t *p = put_rm(out, 0, 0xFF, 2, m);
    return DONE(p, out, X64_MAX_RM);
}

size_t
x64_encode_ret(uint8_t *out)
{
    out[0] = 0xC3;
    return 1;
}

size_t
x64_encode_ud2(uint8_t *out)
{
    out[0] = 0x0F;
    out[1] = 0x0B;
    return 2;
}

size_t
x64_encode_int3(uint8_t *out)
{
    out[0] = 0xCC;
    return 1;
}

size_t
x64_encode_push_r(uint8_t *out, X64Gpr r)
{
    uint8_t *p = put_oreg(out, 0, 0x50, r);
    return DONE(p, out, 2);
}

size_t
x64_encode_pop_r(uint8_t *out, X64Gpr r)
{
    uint8_t *p = put_oreg(out, 0, 0x58, r);
    return DONE(p, out, 2);
}

size_t
x64_encode_push_i(uint8_t *out, int32_t imm)
{
    if (x64_fits_i8(imm)) {
        out[0] = 0x6A;
        out[1] = (uint8_t)imm;
        return 2;
    }
    out[0] = 0x68;
    put32(out + 1, (uint32_t)imm);
    return 5;
}

/*
 * The recommended multi-byte nops, lengths 1-9 (Intel SDM vol. 2, NOP, table 4-12):
 * 0F 1F /0 with a memory operand sized to pad, and a 66 prefix for the 2, 6 and 9 forms.
 */
static const uint8_t nop_bytes[X64_MAX_NOP][X64_MAX_NOP] = {
    { 0x90 },
    { 0x66, 0x90 },
    { 0x0F, 0x1F, 0x00 },
    { 0x0F, 0x1F, 0x40, 0x00 },
    { 0x0F, 0x1F, 0x44, 0x00, 0x00 },
    { 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00 },
    { 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00 },
    { 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    { 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

size_t
x64_encode_nop(uint8_t *out, size_t len)
{
    SK_ASSERT(len >= 1 && len <= X64_MAX_NOP);
    for (size_t i = 0; i < len; i++)
        out[i] = nop_bytes[len - 1][i];
    return len;
}

size_t
x64_encode_nop_fill(uint8_t *out, size_t len)
{
    size_t done = 0;
    while (done < len) {
        size_t n = len - done < X64_MAX_NOP ? len - done : X64_MAX_NOP;
        done += x64_encode_nop(out + done, n);
    }
    return len;
}
