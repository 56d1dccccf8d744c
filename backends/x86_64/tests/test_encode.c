/*
 * x86_64 encoder test (STYLE.md section 11). Every form of encode.c and encode_sse.c is
 * encoded over deliberately chosen operands (every register, rsp/r12/rbp/r13 as base and
 * index, spl..dil, immediates and displacements at 0, +-1 and the int8/int32 limits, every
 * condition code), decoded back with Capstone one instruction at a time, and compared with
 * the text our own printer expects. A second oracle checks exact byte strings transcribed
 * from GNU as, and a seeded random pass covers the combinations in between. Built without
 * Capstone, the test exits 77 (skipped).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "encode_test.h"

#ifndef SKUA_HAVE_CAPSTONE

int
main(void)
{
    printf("skipped: built without Capstone (pkg-config capstone not found)\n");
    return SKIP;
}

#else

#define CAPSTONE_AARCH64_COMPAT_HEADER
#include <capstone/capstone.h>

/* Instructions are decoded as if at this address, so branch targets print as 0x1xxxxxxxx. */
#define ET_ADDR 0x100000000ull

static csh et_cs;

/* ---- per-form counts, printed at the end (the report's test counts) ---- */

typedef struct FormCount {
    const char *form;
    unsigned long n;
} FormCount;

static FormCount form_counts[256];
static size_t nform_counts;

static void
count_form(const char *form)
{
    for (size_t i = 0; i < nform_counts; i++) {
        if (form_counts[i].form == form || strcmp(form_counts[i].form, form) == 0) {
            form_counts[i].n++;
            return;
        }
    }
    SK_ASSERT(nform_counts < SK_ARRAY_LEN(form_counts));
    form_counts[nform_counts++] = (FormCount){ form, 1 };
}

/* ---- Capstone's text, normalised ---- */

/*
 * Turns Capstone 4's text into the spelling our printer uses. Each rule is one quirk of
 * Capstone's printer (the instruction it decoded is the same; only the text differs).
 */
static void
et_normalise(const cs_insn *insn, char *out, size_t cap)
{
    snprintf(out, cap, "%s %s", insn->mnemonic, insn->op_str);
    size_t len = strlen(out);
    /* 1. Operand-less instructions (ret, cqo, ud2) come with an empty op_str, which leaves
     *    a trailing space after "mnemonic + ' '". */
    while (len > 0 && out[len - 1] == ' ')
        out[--len] = '\0';
    /* 2. blendvps/blendvpd/pblendvb: Capstone omits the implicit third operand xmm0, which
     *    the Intel SDM and GNU objdump print. */
    if (strcmp(insn->mnemonic, "blendvps") == 0 || strcmp(insn->mnemonic, "blendvpd") == 0 ||
        strcmp(insn->mnemonic, "pblendvb") == 0) {
        snprintf(out + len, cap - len, ", xmm0");
        len = strlen(out);
    }
    /* 3. comiss/comisd read 4/8 bytes, but Capstone 4 sizes their memory operand
     *    "xmmword ptr" (ucomiss/ucomisd it gets right). */
    char *x = strstr(out, "xmmword ptr");
    if (x && strncmp(out, "comis", 5) == 0) {
        const char *word = insn->mnemonic[5] == 's' ? "dword ptr" : "qword ptr";
        memmove(x + 9, x + 11, strlen(x + 11) + 1);
        memcpy(x, word, 9);
        len = strlen(out);
    }
    /* 4. An absolute address (no base, no index) is the disp32 sign-extended to 64 bits, but
     *    when the first operand is a register narrower than 64 bits, Capstone 4 masks the
     *    address to that register's width ("mov al, byte ptr [0xff]" for [-1]). Re-render
     *    the bracket from the displacement Capstone decoded. */
    char *open = strchr(out, '[');
    if (open && open[1] >= '0' && open[1] <= '9' && insn->detail) {
        const cs_x86 *d = &insn->detail->x86;
        for (unsigned i = 0; i < d->op_count; i++) {
            const cs_x86_op *op = &d->operands[i];
            if (op->type != X86_OP_MEM || op->mem.base != X86_REG_INVALID ||
                op->mem.index != X86_REG_INVALID)
                continue;
            char *close = strchr(open, ']');
            char rest[192];
            snprintf(rest, sizeof rest, "%s", close);
            uint64_t addr = (uint64_t)op->mem.disp;
            snprintf(open + 1, cap - (size_t)(open + 1 - out),
                     addr <= 9 ? "%llu%s" : "0x%llx%s", (unsigned long long)addr, rest);
            break;
        }
    }
}

/* True if text names one of the byte registers that only exist with a REX prefix. */
static bool
needs_empty_rex(const char *text)
{
    return strstr(text, "spl") || strstr(text, "bpl") || strstr(text, "sil") ||
           strstr(text, "dil");
}

static void
hex_text(const uint8_t *bytes, size_t len, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < len && k + 4 < cap; i++)
        k += (size_t)snprintf(out + k, cap - k, i ? " %02x" : "%02x", bytes[i]);
}

bool
et_check(const char *form, const uint8_t *bytes, size_t len, size_t max, const char *expect)
{
    count_form(form);
    char hex[64], got[192];
    hex_text(bytes, len, hex, sizeof hex);
    bool ok = true;
    if (len == 0 || len > max || max > X64_MAX_INSN) {
        fprintf(stderr, "%s: length %zu outside 1..%zu [%s] expected \"%s\"\n", form, len, max,
                hex, expect);
        ok = false;
    }
    cs_insn *insn = NULL;
    size_t count = cs_disasm(et_cs, bytes, len, ET_ADDR, 1, &insn);
    if (count != 1) {
        fprintf(stderr, "%s: Capstone decoded %zu instructions from [%s], expected \"%s\"\n",
                form, count, hex, expect);
        ok = false;
    } else {
        et_normalise(&insn[0], got, sizeof got);
        if (insn[0].size != len) {
            fprintf(stderr, "%s: Capstone used %u of %zu bytes [%s]: \"%s\", expected \"%s\"\n",
                    form, insn[0].size, len, hex, got, expect);
            ok = false;
        } else if (strcmp(got, expect) != 0) {
            fprintf(stderr, "%s: [%s]\n  got:      \"%s\"\n  expected: \"%s\"\n", form, hex, got,
                    expect);
            ok = false;
        } else if (insn[0].detail && insn[0].detail->x86.rex == 0x40 && !needs_empty_rex(got)) {
            // A REX with no bits set only selects spl/bpl/sil/dil; anywhere else it is a
            // wasted byte (Capstone decodes it silently, so the text alone cannot tell).
            fprintf(stderr, "%s: [%s] \"%s\": useless empty REX prefix\n", form, hex, got);
            ok = false;
        }
    }
    if (count)
        cs_free(insn, count);
    CHECK(ok);
    return ok;
}

bool
et_require(bool cond, const char *what)
{
    if (!cond)
        fprintf(stderr, "check failed: %s\n", what);
    CHECK(cond);
    return cond;
}

static unsigned long ngolden;

bool
et_check_bytes(const char *what, const uint8_t *bytes, size_t len, const char *hex)
{
    ngolden++;
    char got[64];
    hex_text(bytes, len, got, sizeof got);
    bool ok = strcmp(got, hex) == 0;
    if (!ok)
        fprintf(stderr, "GNU as oracle: %s\n  got:      %s\n  expected: %s\n", what, got, hex);
    CHECK(ok);
    return ok;
}

/* ---- printer ---- */

static const char *const gpr_names[4][16] = {
    { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b",
      "r13b", "r14b", "r15b" },
    { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w",
      "r13w", "r14w", "r15w" },
    { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d",
      "r12d", "r13d", "r14d", "r15d" },
    { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
      "r13", "r14", "r15" },
};

const char *
et_gpr(unsigned r, unsigned size)
{
    SK_ASSERT(r < 16);
    switch (size) {
    case 1:
        return gpr_names[0][r];
    case 2:
        return gpr_names[1][r];
    case 4:
        return gpr_names[2][r];
    case 8:
        return gpr_names[3][r];
    default:
        sk_unreachable();
    }
}

const char *
et_xmm(unsigned r)
{
    static const char *const names[16] = { "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
                                           "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
                                           "xmm12", "xmm13", "xmm14", "xmm15" };
    SK_ASSERT(r < 16);
    return names[r];
}

/* Rotating result buffers of the printer helpers. */
static char *
scratch(void)
{
    static char bufs[8][128];
    static unsigned next;
    return bufs[next++ % 8];
}

/* An unsigned number: decimal up to 9, hex above. */
static int
put_num(char *p, size_t cap, uint64_t v)
{
    return v <= 9 ? snprintf(p, cap, "%llu", (unsigned long long)v)
                  : snprintf(p, cap, "0x%llx", (unsigned long long)v);
}

const char *
et_simm(int64_t v)
{
    char *s = scratch();
    if (v < 0) {
        s[0] = '-';
        put_num(s + 1, 127, (uint64_t)0 - (uint64_t)v);
    } else {
        put_num(s, 128, (uint64_t)v);
    }
    return s;
}

const char *
et_uimm(uint64_t v, unsigned width)
{
    char *s = scratch();
    if (width < 8)
        v &= (1ull << (width * 8)) - 1;
    put_num(s, 128, v);
    return s;
}

const char *
et_mem(unsigned ptr_size, X64Mem m)
{
    char *s = scratch();
    size_t k = 0;
    switch (ptr_size) {
    case 0:
        break;
    case 1:
        k += (size_t)snprintf(s, 128, "byte ptr ");
        break;
    case 2:
        k += (size_t)snprintf(s, 128, "word ptr ");
        break;
    case 4:
        k += (size_t)snprintf(s, 128, "dword ptr ");
        break;
    case 8:
        k += (size_t)snprintf(s, 128, "qword ptr ");
        break;
    case 16:
        k += (size_t)snprintf(s, 128, "xmmword ptr ");
        break;
    default:
        sk_unreachable();
    }
    s[k++] = '[';
    bool any = false;
    if (m.base == X64_MEM_RIP) {
        k += (size_t)snprintf(s + k, 128 - k, "rip");
        any = true;
    } else if (m.base < 16) {
        k += (size_t)snprintf(s + k, 128 - k, "%s", et_gpr(m.base, 8));
        any = true;
    }
    if (m.index != X64_MEM_NONE) {
        k += (size_t)snprintf(s + k, 128 - k, "%s%s", any ? " + " : "", et_gpr(m.index, 8));
        if (m.scale != 1)
            k += (size_t)snprintf(s + k, 128 - k, "*%u", m.scale);
        any = true;
    }
    if (!any) {
        // An absolute address: the disp32 sign-extended to 64 bits.
        k += (size_t)put_num(s + k, 128 - k, (uint64_t)(int64_t)m.disp);
    } else if (m.disp > 0) {
        k += (size_t)snprintf(s + k, 128 - k, " + ");
        k += (size_t)put_num(s + k, 128 - k, (uint64_t)m.disp);
    } else if (m.disp < 0) {
        k += (size_t)snprintf(s + k, 128 - k, " - ");
        k += (size_t)put_num(s + k, 128 - k, (uint64_t)0 - (uint64_t)(int64_t)m.disp);
    }
    snprintf(s + k, 128 - k, "]");
    return s;
}

static const char *
ptr_mem(unsigned size, X64Mem m)
{
    return et_mem(size, m);
}

/* ---- operand sets ---- */

static const int32_t disps[] = { 0, 1, -1, 127, -128, 128, -129, INT32_MAX, INT32_MIN };
static const unsigned scales[] = { 1, 2, 4, 8 };

static X64Mem mem_list[1024];
const X64Mem *et_mems = mem_list;
size_t et_nmems;

static void
add_mem(X64Mem m)
{
    SK_ASSERT(et_nmems < SK_ARRAY_LEN(mem_list));
    mem_list[et_nmems++] = m;
}

/* Builds et_mems: the deliberate memory operands. */
static void
build_mems(void)
{
    // Every base with every displacement class: rsp/r12 need a SIB, rbp/r13 a disp8 0.
    for (unsigned b = 0; b < 16; b++)
        for (size_t d = 0; d < SK_ARRAY_LEN(disps); d++)
            add_mem(x64_mem((X64Gpr)b, disps[d]));
    // Every base with every index (r12 and r13 included; rsp cannot be an index).
    for (unsigned b = 0; b < 16; b++)
        for (unsigned i = 0; i < 16; i++)
            if (i != X64_RSP)
                add_mem(x64_mem_index(b, (X64Gpr)i, scales[(b + i) % 4],
                                      disps[(b * 3 + i) % SK_ARRAY_LEN(disps)]));
    // Every scale with the awkward bases and indexes.
    static const X64Gpr awkward_base[] = { X64_RSP, X64_RBP, X64_R12, X64_R13 };
    static const X64Gpr awkward_index[] = { X64_RAX, X64_RBP, X64_R12, X64_R13, X64_R15 };
    static const int32_t some_disps[] = { 0, -128, 0x12345678 };
    for (size_t s = 0; s < 4; s++)
        for (size_t b = 0; b < SK_ARRAY_LEN(awkward_base); b++)
            for (size_t i = 0; i < SK_ARRAY_LEN(awkward_index); i++)
                for (size_t d = 0; d < SK_ARRAY_LEN(some_disps); d++)
                    add_mem(x64_mem_index(awkward_base[b], awkward_index[i], scales[s],
                                          some_disps[d]));
    // No base: index*scale + disp32, and a plain absolute disp32.
    for (unsigned i = 0; i < 16; i++)
        for (size_t s = 0; s < 4; s++)
            if (i != X64_RSP)
                add_mem(x64_mem_index(X64_MEM_NONE, (X64Gpr)i, scales[s],
                                      disps[(i + s) % SK_ARRAY_LEN(disps)]));
    for (size_t d = 0; d < SK_ARRAY_LEN(disps); d++)
        add_mem(x64_mem_index(X64_MEM_NONE, X64_RAX, 1, disps[d]));
    for (size_t d = 0; d < SK_ARRAY_LEN(disps); d++)
        add_mem((X64Mem){ X64_MEM_NONE, X64_MEM_NONE, 1, disps[d] });
    // RIP-relative.
    for (size_t d = 0; d < SK_ARRAY_LEN(disps); d++)
        add_mem(x64_mem_rip(disps[d]));
}

static uint64_t rng_state;

uint64_t
et_rand(void)
{
    // splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators").
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A displacement: one of the limits half the time, else any int32. */
static int32_t
rand_disp(void)
{
    if (et_rand() & 1)
        return disps[et_rand() % SK_ARRAY_LEN(disps)];
    return (int32_t)(uint32_t)et_rand();
}

X64Mem
et_rand_mem(void)
{
    X64Mem m;
    unsigned b = (unsigned)(et_rand() % 18); // 16 = none, 17 = rip
    m.base = (uint8_t)b;
    m.index = X64_MEM_NONE;
    m.scale = (uint8_t)scales[et_rand() % 4];
    if (b != X64_MEM_RIP && (et_rand() & 1)) {
        unsigned i = (unsigned)(et_rand() % 15);
        m.index = (uint8_t)(i >= X64_RSP ? i + 1 : i);
    }
    m.disp = rand_disp();
    return m;
}

/* ---- the general-purpose forms ---- */

/* Immediate classes: which values a form's immediate may take. */
enum {
    IMM_NONE,
    IMM_SIZED, // the signed or unsigned range of the operand size; int32 for size 8
    IMM_MOV,   // IMM_SIZED, but any int64 at size 8
    IMM_U8,    // a count or selector 0..255
    IMM_I8,    // rel8
    IMM_I32,   // rel32, push imm
    IMM_ANY,   // any 64-bit value
};

static const int64_t imm_values[] = {
    0, 1, -1, 2, 9, 10, 31, 63, 127, -128, 128, -129, 255, 256, 32767, -32768, 32768, 65535,
    65536, INT32_MAX, INT32_MIN, (int64_t)UINT32_MAX, 0x12345678, -0x12345678,
    0x100000000ll, -0x80000001ll, INT64_MAX, INT64_MIN, 0x123456789abcdef0ll,
};

static bool
imm_ok(int cls, unsigned size, int64_t v)
{
    switch (cls) {
    case IMM_NONE:
        return v == 0;
    case IMM_MOV:
        if (size == 8)
            return true;
        // fall through
    case IMM_SIZED:
        switch (size) {
        case 1:
            return v >= INT8_MIN && v <= UINT8_MAX;
        case 2:
            return v >= INT16_MIN && v <= UINT16_MAX;
        case 4:
            return v >= INT32_MIN && v <= UINT32_MAX;
        default:
            return x64_fits_i32(v);
        }
    case IMM_U8:
        return v >= 0 && v <= 255;
    case IMM_I8:
        return x64_fits_i8(v);
    case IMM_I32:
        return x64_fits_i32(v);
    default:
        return true;
    }
}

/* A random immediate of class cls at size: a listed value half the time, else random. */
static int64_t
rand_imm(int cls, unsigned size)
{
    for (;;) {
        int64_t v = (et_rand() & 1) ? imm_values[et_rand() % SK_ARRAY_LEN(imm_values)]
                                    : (int64_t)et_rand() >> (et_rand() % 64);
        if (imm_ok(cls, size, v))
            return v;
    }
}

/* The operands of one case; each form reads the fields it uses. */
typedef struct Ops {
    unsigned op;   // index of the operation within the form (0 .. nops-1)
    unsigned size; // operand size in bytes
    unsigned cc;   // condition code
    unsigned r1, r2;
    X64Mem m;
    int64_t imm;
} Ops;

/* Operand shapes of a form: which Ops fields it uses. */
enum { U_R1 = 1, U_R2 = 2, U_MEM = 4, U_CC = 8 };

typedef struct Form {
    const char *name;
    bool (*run)(const Ops *o); // encode, print, check; false if the check failed
    unsigned uses;             // U_* bits
    unsigned nops;             // number of operations (Ops.op range), 1 if none
    unsigned sizes;            // mask of sizes (1, 2, 4, 8 as bits 1, 2, 4, 8)
    int imm;                   // IMM_* class
} Form;

static const char *const alu_names[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
static const char *const unary_names[8] = { "inc", "dec", "not", "neg",
                                            "mul", "imul", "div", "idiv" };
static const X64ShiftOp shift_ops[5] = { X64_SHIFT_ROL, X64_SHIFT_ROR, X64_SHIFT_SHL,
                                         X64_SHIFT_SHR, X64_SHIFT_SAR };
static const char *const shift_names[5] = { "rol", "ror", "shl", "shr", "sar" };
static const char *const bit_names[5] = { "lzcnt", "tzcnt", "popcnt", "bsr", "bsf" };
static const char *const cc_names[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
                                          "s", "ns", "p", "np", "l", "ge", "le", "g" };

/* Formats the expected text and runs et_check on the bytes in b. */
static bool
expect(const char *form, const uint8_t *b, size_t n, size_t max, const char *fmt, ...)
    SK_PRINTF(5, 6);

static bool
expect(const char *form, const uint8_t *b, size_t n, size_t max, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return et_check(form, b, n, max, text);
}

#define R(r, size) et_gpr((r), (size))

/*
 * Text of an ALU-style immediate (imm8 sign-extended when it fits, else full width; size 8
 * takes a sign-extended imm32), following the encoder's documented choice. The immediate of
 * and/or/xor is a bit mask and is shown as the unsigned value of the operand width, after
 * sign extension (and rax, -1 is "and rax, 0xffffffffffffffff"), as LLVM's printer does.
 */
static const char *
alu_imm_text(unsigned size, int64_t imm, bool logical)
{
    int64_t v = size == 1 ? (int8_t)imm : size == 2 ? (int16_t)imm : size == 4 ? (int32_t)imm
                                                                               : imm;
    if (size == 1 || logical)
        return et_uimm((uint64_t)v, size);
    if (x64_fits_i8(v) || size == 8)
        return et_simm(v);
    return et_uimm((uint64_t)imm, size);
}

static bool
is_logical(unsigned op)
{
    return op == X64_ALU_AND || op == X64_ALU_OR || op == X64_ALU_XOR;
}

/* Text of a full-width immediate (mov, test): sign-extended only at size 8. */
static const char *
full_imm_text(unsigned size, int64_t imm)
{
    return size == 8 ? et_simm(imm) : et_uimm((uint64_t)imm, size);
}

static bool
c_mov_rr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_mov_rr(b, o->size, o->r1, o->r2);
    return expect("mov_rr", b, n, X64_MAX_RR, "mov %s, %s", R(o->r1, o->size), R(o->r2, o->size));
}

static bool
c_mov_rm(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_mov_rm(b, o->size, o->r1, o->m);
    return expect("mov_rm", b, n, X64_MAX_RM, "mov %s, %s", R(o->r1, o->size),
                  ptr_mem(o->size, o->m));
}

static bool
c_mov_mr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_mov_mr(b, o->size, o->m, o->r1);
    return expect("mov_mr", b, n, X64_MAX_RM, "mov %s, %s", ptr_mem(o->size, o->m),
                  R(o->r1, o->size));
}

static bool
c_mov_ri(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_mov_ri(b, o->size, o->r1, o->imm);
    if (o->size == 8 && o->imm >= 0 && o->imm <= (int64_t)UINT32_MAX) // short form, zero-ext
        return expect("mov_ri", b, n, X64_MAX_MOV_RI, "mov %s, %s", R(o->r1, 4),
                      et_uimm((uint64_t)o->imm, 4));
    if (o->size == 8 && !x64_fits_i32(o->imm))
        return expect("mov_ri", b, n, X64_MAX_MOV_RI, "movabs %s, %s", R(o->r1, 8),
                      et_uimm((uint64_t)o->imm, 8));
    return expect("mov_ri", b, n, X64_MAX_MOV_RI, "mov %s, %s", R(o->r1, o->size),
                  full_imm_text(o->size, o->imm));
}

static bool
c_movabs(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_movabs(b, o->r1, (uint64_t)o->imm);
    if (n != 10 || memcmp(b + 2, &(uint64_t){ (uint64_t)o->imm }, 8) != 0) // imm64 last 8
        CHECK(!"movabs: imm64 is not the last 8 bytes");
    return expect("movabs", b, n, X64_MAX_MOV_RI, "movabs %s, %s", R(o->r1, 8),
                  et_uimm((uint64_t)o->imm, 8));
}

static bool
c_mov_mi(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_mov_mi(b, o->size, o->m, o->imm);
    if (o->m.base == X64_MEM_RIP) // the disp32 sits before the min(size, 4) immediate bytes
        CHECK_EQ(memcmp(b + n - 4 - (o->size < 4 ? o->size : 4), &o->m.disp, 4), 0);
    return expect("mov_mi", b, n, X64_MAX_MI, "mov %s, %s", ptr_mem(o->size, o->m),
                  full_imm_text(o->size, o->imm));
}

/* movzx/movsx: op selects the source size (1, 2, 4); dst size must be larger. */
static const unsigned ext_src[3] = { 1, 2, 4 };

static bool
c_movzx_rr(const Ops *o)
{
    unsigned src = ext_src[o->op];
    if (src >= o->size)
        return true;
    uint8_t b[16];
    size_t n = x64_encode_movzx_rr(b, o->size, src, o->r1, o->r2);
    return expect("movzx_rr", b, n, X64_MAX_RR0F, "movzx %s, %s", R(o->r1, o->size),
                  R(o->r2, src));
}

static bool
c_movzx_rm(const Ops *o)
{
    unsigned src = ext_src[o->op];
    if (src >= o->size)
        return true;
    uint8_t b[16];
    size_t n = x64_encode_movzx_rm(b, o->size, src, o->r1, o->m);
    return expect("movzx_rm", b, n, X64_MAX_RM0F, "movzx %s, %s", R(o->r1, o->size),
                  ptr_mem(src, o->m));
}

static bool
c_movsx_rr(const Ops *o)
{
    unsigned src = ext_src[o->op];
    if (src >= o->size || (src == 4 && o->size != 8))
        return true;
    uint8_t b[16];
    size_t n = x64_encode_movsx_rr(b, o->size, src, o->r1, o->r2);
    return expect("movsx_rr", b, n, X64_MAX_RR0F, "%s %s, %s", src == 4 ? "movsxd" : "movsx",
                  R(o->r1, o->size), R(o->r2, src));
}

static bool
c_movsx_rm(const Ops *o)
{
    unsigned src = ext_src[o->op];
    if (src >= o->size || (src == 4 && o->size != 8))
        return true;
    uint8_t b[16];
    size_t n = x64_encode_movsx_rm(b, o->size, src, o->r1, o->m);
    return expect("movsx_rm", b, n, X64_MAX_RM0F, "%s %s, %s", src == 4 ? "movsxd" : "movsx",
                  R(o->r1, o->size), ptr_mem(src, o->m));
}

static bool
c_lea(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_lea(b, o->size, o->r1, o->m);
    return expect("lea", b, n, X64_MAX_RM, "lea %s, %s", R(o->r1, o->size), et_mem(0, o->m));
}

static bool
c_xchg_rr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_xchg_rr(b, o->size, o->r1, o->r2);
    return expect("xchg_rr", b, n, X64_MAX_RR, "xchg %s, %s", R(o->r1, o->size),
                  R(o->r2, o->size));
}

static bool
c_alu_rr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_alu_rr(b, o->op, o->size, o->r1, o->r2);
    return expect("alu_rr", b, n, X64_MAX_RR, "%s %s, %s", alu_names[o->op], R(o->r1, o->size),
                  R(o->r2, o->size));
}

static bool
c_alu_rm(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_alu_rm(b, o->op, o->size, o->r1, o->m);
    return expect("alu_rm", b, n, X64_MAX_RM, "%s %s, %s", alu_names[o->op], R(o->r1, o->size),
                  ptr_mem(o->size, o->m));
}

static bool
c_alu_mr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_alu_mr(b, o->op, o->size, o->m, o->r1);
    return expect("alu_mr", b, n, X64_MAX_RM, "%s %s, %s", alu_names[o->op],
                  ptr_mem(o->size, o->m), R(o->r1, o->size));
}

static bool
c_alu_ri(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_alu_ri(b, o->op, o->size, o->r1, o->imm);
    return expect("alu_ri", b, n, X64_MAX_RI, "%s %s, %s", alu_names[o->op], R(o->r1, o->size),
                  alu_imm_text(o->size, o->imm, is_logical(o->op)));
}

static bool
c_alu_mi(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_alu_mi(b, o->op, o->size, o->m, o->imm);
    if (o->m.base == X64_MEM_RIP) // the disp32 sits before the immediate (x64.h, Fixups)
        CHECK_EQ(memcmp(b + n - 4 - x64_alu_imm_bytes(o->size, o->imm), &o->m.disp, 4), 0);
    return expect("alu_mi", b, n, X64_MAX_MI, "%s %s, %s", alu_names[o->op],
                  ptr_mem(o->size, o->m), alu_imm_text(o->size, o->imm, is_logical(o->op)));
}

static bool
c_test_rr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_test_rr(b, o->size, o->r1, o->r2);
    return expect("test_rr", b, n, X64_MAX_RR, "test %s, %s", R(o->r1, o->size),
                  R(o->r2, o->size));
}

static bool
c_test_mr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_test_mr(b, o->size, o->m, o->r1);
    return expect("test_mr", b, n, X64_MAX_RM, "test %s, %s", ptr_mem(o->size, o->m),
                  R(o->r1, o->size));
}

static bool
c_test_ri(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_test_ri(b, o->size, o->r1, o->imm);
    return expect("test_ri", b, n, X64_MAX_RI, "test %s, %s", R(o->r1, o->size),
                  full_imm_text(o->size, o->imm));
}

static bool
c_test_mi(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_test_mi(b, o->size, o->m, o->imm);
    if (o->m.base == X64_MEM_RIP)
        CHECK_EQ(memcmp(b + n - 4 - (o->size < 4 ? o->size : 4), &o->m.disp, 4), 0);
    return expect("test_mi", b, n, X64_MAX_MI, "test %s, %s", ptr_mem(o->size, o->m),
                  full_imm_text(o->size, o->imm));
}

static bool
c_unary_r(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_unary_r(b, o->op, o->size, o->r1);
    return expect("unary_r", b, n, X64_MAX_RR, "%s %s", unary_names[o->op], R(o->r1, o->size));
}

static bool
c_unary_m(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_unary_m(b, o->op, o->size, o->m);
    return expect("unary_m", b, n, X64_MAX_RM, "%s %s", unary_names[o->op],
                  ptr_mem(o->size, o->m));
}

static bool
c_imul_rr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_imul_rr(b, o->size, o->r1, o->r2);
    return expect("imul_rr", b, n, X64_MAX_RR0F, "imul %s, %s", R(o->r1, o->size),
                  R(o->r2, o->size));
}

static bool
c_imul_rm(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_imul_rm(b, o->size, o->r1, o->m);
    return expect("imul_rm", b, n, X64_MAX_RM0F, "imul %s, %s", R(o->r1, o->size),
                  ptr_mem(o->size, o->m));
}

static bool
c_imul_rri(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_imul_rri(b, o->size, o->r1, o->r2, o->imm);
    return expect("imul_rri", b, n, X64_MAX_IMUL_RRI, "imul %s, %s, %s", R(o->r1, o->size),
                  R(o->r2, o->size), alu_imm_text(o->size, o->imm, false));
}

static bool
c_imul_rmi(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_imul_rmi(b, o->size, o->r1, o->m, o->imm);
    if (o->m.base == X64_MEM_RIP)
        CHECK_EQ(memcmp(b + n - 4 - x64_alu_imm_bytes(o->size, o->imm), &o->m.disp, 4), 0);
    return expect("imul_rmi", b, n, X64_MAX_IMUL_RMI, "imul %s, %s, %s", R(o->r1, o->size),
                  ptr_mem(o->size, o->m), alu_imm_text(o->size, o->imm, false));
}

static bool
c_cdq(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_cdq(b, o->size);
    return expect("cdq", b, n, 2, "%s", o->size == 2 ? "cwd" : o->size == 4 ? "cdq" : "cqo");
}

static bool
c_shift_rcl(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_shift_rcl(b, shift_ops[o->op], o->size, o->r1);
    return expect("shift_rcl", b, n, X64_MAX_RR, "%s %s, cl", shift_names[o->op],
                  R(o->r1, o->size));
}

static bool
c_shift_ri(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_shift_ri(b, shift_ops[o->op], o->size, o->r1, (uint8_t)o->imm);
    return expect("shift_ri", b, n, X64_MAX_RR + 1, "%s %s, %s", shift_names[o->op],
                  R(o->r1, o->size), et_uimm((uint64_t)o->imm, 1));
}

static bool
c_bit_rr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_bit_rr(b, o->op, o->size, o->r1, o->r2);
    return expect("bit_rr", b, n, X64_MAX_POPCNT_RR, "%s %s, %s", bit_names[o->op],
                  R(o->r1, o->size), R(o->r2, o->size));
}

static bool
c_bit_rm(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_bit_rm(b, o->op, o->size, o->r1, o->m);
    return expect("bit_rm", b, n, X64_MAX_POPCNT_RM, "%s %s, %s", bit_names[o->op],
                  R(o->r1, o->size), ptr_mem(o->size, o->m));
}

static bool
c_bt_rr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_bt_rr(b, o->size, o->r1, o->r2);
    return expect("bt_rr", b, n, X64_MAX_RR0F, "bt %s, %s", R(o->r1, o->size),
                  R(o->r2, o->size));
}

static bool
c_bt_ri(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_bt_ri(b, o->size, o->r1, (uint8_t)o->imm);
    return expect("bt_ri", b, n, X64_MAX_RR0F + 1, "bt %s, %s", R(o->r1, o->size),
                  et_uimm((uint64_t)o->imm, 1));
}

static bool
c_setcc(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_setcc(b, o->cc, o->r1);
    return expect("setcc", b, n, 4, "set%s %s", cc_names[o->cc], R(o->r1, 1));
}

static bool
c_cmov_rr(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_cmov_rr(b, o->cc, o->size, o->r1, o->r2);
    return expect("cmov_rr", b, n, X64_MAX_RR0F, "cmov%s %s, %s", cc_names[o->cc],
                  R(o->r1, o->size), R(o->r2, o->size));
}

static bool
c_cmov_rm(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_cmov_rm(b, o->cc, o->size, o->r1, o->m);
    return expect("cmov_rm", b, n, X64_MAX_RM0F, "cmov%s %s, %s", cc_names[o->cc],
                  R(o->r1, o->size), ptr_mem(o->size, o->m));
}

/* Text of a branch target: the decode address + length + rel. */
static const char *
target_text(size_t n, int64_t rel)
{
    return et_uimm(ET_ADDR + n + (uint64_t)rel, 8);
}

/* Checks that a rel32 branch carries rel in its last 4 bytes (x64.h, Fixups). */
static void
check_rel32_last(const uint8_t *b, size_t n, int64_t rel)
{
    int32_t v = (int32_t)rel;
    CHECK_EQ(memcmp(b + n - 4, &v, 4), 0);
}

static bool
c_jcc_rel8(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_jcc_rel8(b, o->cc, (int8_t)o->imm);
    return expect("jcc_rel8", b, n, X64_MAX_JCC8, "j%s %s", cc_names[o->cc],
                  target_text(n, o->imm));
}

static bool
c_jcc_rel32(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_jcc_rel32(b, o->cc, (int32_t)o->imm);
    check_rel32_last(b, n, o->imm);
    return expect("jcc_rel32", b, n, X64_MAX_JCC32, "j%s %s", cc_names[o->cc],
                  target_text(n, o->imm));
}

static bool
c_jmp_rel8(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_jmp_rel8(b, (int8_t)o->imm);
    return expect("jmp_rel8", b, n, X64_MAX_JMP8, "jmp %s", target_text(n, o->imm));
}

static bool
c_jmp_rel32(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_jmp_rel32(b, (int32_t)o->imm);
    check_rel32_last(b, n, o->imm);
    return expect("jmp_rel32", b, n, X64_MAX_JMP32, "jmp %s", target_text(n, o->imm));
}

static bool
c_call_rel32(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_call_rel32(b, (int32_t)o->imm);
    check_rel32_last(b, n, o->imm);
    return expect("call_rel32", b, n, X64_MAX_CALL32, "call %s", target_text(n, o->imm));
}

static bool
c_jmp_r(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_jmp_r(b, o->r1);
    return expect("jmp_r", b, n, 3, "jmp %s", R(o->r1, 8));
}

static bool
c_jmp_m(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_jmp_m(b, o->m);
    if (o->m.base == X64_MEM_RIP)
        CHECK_EQ(memcmp(b + n - 4, &o->m.disp, 4), 0);
    return expect("jmp_m", b, n, X64_MAX_RM, "jmp %s", ptr_mem(8, o->m));
}

static bool
c_call_r(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_call_r(b, o->r1);
    return expect("call_r", b, n, 3, "call %s", R(o->r1, 8));
}

static bool
c_call_m(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_call_m(b, o->m);
    if (o->m.base == X64_MEM_RIP)
        CHECK_EQ(memcmp(b + n - 4, &o->m.disp, 4), 0);
    return expect("call_m", b, n, X64_MAX_RM, "call %s", ptr_mem(8, o->m));
}

static bool
c_push_r(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_push_r(b, o->r1);
    return expect("push_r", b, n, 2, "push %s", R(o->r1, 8));
}

static bool
c_pop_r(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_pop_r(b, o->r1);
    return expect("pop_r", b, n, 2, "pop %s", R(o->r1, 8));
}

static bool
c_push_i(const Ops *o)
{
    uint8_t b[16];
    size_t n = x64_encode_push_i(b, (int32_t)o->imm);
    return expect("push_i", b, n, 5, "push %s", et_simm(o->imm)); // sign-extended to 64
}

static bool
c_misc(const Ops *o)
{
    uint8_t b[16];
    switch (o->op) {
    case 0:
        return expect("ret", b, x64_encode_ret(b), 1, "ret");
    case 1:
        return expect("ud2", b, x64_encode_ud2(b), 2, "ud2");
    default:
        return expect("int3", b, x64_encode_int3(b), 1, "int3");
    }
}

/* nop of length op + 1: the Intel-recommended forms, 0F 1F /0 with a padding operand. */
static bool
c_nop(const Ops *o)
{
    static const char *const text[X64_MAX_NOP] = {
        "nop", "nop", "nop dword ptr [rax]", "nop dword ptr [rax]",
        "nop dword ptr [rax + rax]", "nop word ptr [rax + rax]", "nop dword ptr [rax]",
        "nop dword ptr [rax + rax]", "nop word ptr [rax + rax]",
    };
    uint8_t b[16];
    size_t n = x64_encode_nop(b, o->op + 1);
    CHECK_EQ(n, o->op + 1);
    return expect("nop", b, n, X64_MAX_NOP, "%s", text[o->op]);
}

/* The forms and their operand shapes. */
static const Form forms[] = {
    { "mov_rr", c_mov_rr, U_R1 | U_R2, 1, 1 | 2 | 4 | 8, IMM_NONE },
    { "mov_rm", c_mov_rm, U_R1 | U_MEM, 1, 1 | 2 | 4 | 8, IMM_NONE },
    { "mov_mr", c_mov_mr, U_R1 | U_MEM, 1, 1 | 2 | 4 | 8, IMM_NONE },
    { "mov_ri", c_mov_ri, U_R1, 1, 1 | 2 | 4 | 8, IMM_MOV },
    { "movabs", c_movabs, U_R1, 1, 8, IMM_ANY },
    { "mov_mi", c_mov_mi, U_MEM, 1, 1 | 2 | 4 | 8, IMM_SIZED },
    { "movzx_rr", c_movzx_rr, U_R1 | U_R2, 2, 2 | 4 | 8, IMM_NONE },
    { "movzx_rm", c_movzx_rm, U_R1 | U_MEM, 2, 2 | 4 | 8, IMM_NONE },
    { "movsx_rr", c_movsx_rr, U_R1 | U_R2, 3, 2 | 4 | 8, IMM_NONE },
    { "movsx_rm", c_movsx_rm, U_R1 | U_MEM, 3, 2 | 4 | 8, IMM_NONE },
    { "lea", c_lea, U_R1 | U_MEM, 1, 4 | 8, IMM_NONE },
    { "xchg_rr", c_xchg_rr, U_R1 | U_R2, 1, 1 | 2 | 4 | 8, IMM_NONE },
    { "alu_rr", c_alu_rr, U_R1 | U_R2, 8, 1 | 2 | 4 | 8, IMM_NONE },
    { "alu_rm", c_alu_rm, U_R1 | U_MEM, 8, 1 | 2 | 4 | 8, IMM_NONE },
    { "alu_mr", c_alu_mr, U_R1 | U_MEM, 8, 1 | 2 | 4 | 8, IMM_NONE },
    { "alu_ri", c_alu_ri, U_R1, 8, 1 | 2 | 4 | 8, IMM_SIZED },
    { "alu_mi", c_alu_mi, U_MEM, 8, 1 | 2 | 4 | 8, IMM_SIZED },
    { "test_rr", c_test_rr, U_R1 | U_R2, 1, 1 | 2 | 4 | 8, IMM_NONE },
    { "test_mr", c_test_mr, U_R1 | U_MEM, 1, 1 | 2 | 4 | 8, IMM_NONE },
    { "test_ri", c_test_ri, U_R1, 1, 1 | 2 | 4 | 8, IMM_SIZED },
    { "test_mi", c_test_mi, U_MEM, 1, 1 | 2 | 4 | 8, IMM_SIZED },
    { "unary_r", c_unary_r, U_R1, 8, 1 | 2 | 4 | 8, IMM_NONE },
    { "unary_m", c_unary_m, U_MEM, 8, 1 | 2 | 4 | 8, IMM_NONE },
    { "imul_rr", c_imul_rr, U_R1 | U_R2, 1, 2 | 4 | 8, IMM_NONE },
    { "imul_rm", c_imul_rm, U_R1 | U_MEM, 1, 2 | 4 | 8, IMM_NONE },
    { "imul_rri", c_imul_rri, U_R1 | U_R2, 1, 2 | 4 | 8, IMM_SIZED },
    { "imul_rmi", c_imul_rmi, U_R1 | U_MEM, 1, 2 | 4 | 8, IMM_SIZED },
    { "cdq", c_cdq, 0, 1, 2 | 4 | 8, IMM_NONE },
    { "shift_rcl", c_shift_rcl, U_R1, 5, 1 | 2 | 4 | 8, IMM_NONE },
    { "shift_ri", c_shift_ri, U_R1, 5, 1 | 2 | 4 | 8, IMM_U8 },
    { "bit_rr", c_bit_rr, U_R1 | U_R2, 5, 2 | 4 | 8, IMM_NONE },
    { "bit_rm", c_bit_rm, U_R1 | U_MEM, 5, 2 | 4 | 8, IMM_NONE },
    { "bt_rr", c_bt_rr, U_R1 | U_R2, 1, 2 | 4 | 8, IMM_NONE },
    { "bt_ri", c_bt_ri, U_R1, 1, 2 | 4 | 8, IMM_U8 },
    { "setcc", c_setcc, U_R1 | U_CC, 1, 1, IMM_NONE },
    { "cmov_rr", c_cmov_rr, U_R1 | U_R2 | U_CC, 1, 2 | 4 | 8, IMM_NONE },
    { "cmov_rm", c_cmov_rm, U_R1 | U_MEM | U_CC, 1, 2 | 4 | 8, IMM_NONE },
    { "jcc_rel8", c_jcc_rel8, U_CC, 1, 8, IMM_I8 },
    { "jcc_rel32", c_jcc_rel32, U_CC, 1, 8, IMM_I32 },
    { "jmp_rel8", c_jmp_rel8, 0, 1, 8, IMM_I8 },
    { "jmp_rel32", c_jmp_rel32, 0, 1, 8, IMM_I32 },
    { "call_rel32", c_call_rel32, 0, 1, 8, IMM_I32 },
    { "jmp_r", c_jmp_r, U_R1, 1, 8, IMM_NONE },
    { "jmp_m", c_jmp_m, U_MEM, 1, 8, IMM_NONE },
    { "call_r", c_call_r, U_R1, 1, 8, IMM_NONE },
    { "call_m", c_call_m, U_MEM, 1, 8, IMM_NONE },
    { "push_r", c_push_r, U_R1, 1, 8, IMM_NONE },
    { "pop_r", c_pop_r, U_R1, 1, 8, IMM_NONE },
    { "push_i", c_push_i, 0, 1, 8, IMM_I32 },
    { "ret/ud2/int3", c_misc, 0, 3, 8, IMM_NONE },
    { "nop", c_nop, 0, X64_MAX_NOP, 8, IMM_NONE },
};

/*
 * The deliberate pass over one form: every operation x size x condition, then every register
 * pair (register forms) or every memory operand of et_mems with the register and immediate
 * rotating (memory forms), and every immediate of imm_values valid for the class.
 */
static void
exhaustive(const Form *f)
{
    for (unsigned op = 0; op < f->nops; op++) {
        for (unsigned size = 1; size <= 8; size <<= 1) {
            if (!(f->sizes & size))
                continue;
            for (unsigned cc = 0; cc < ((f->uses & U_CC) ? 16u : 1u); cc++) {
                Ops o = { op, size, cc, 0, 0, x64_mem(X64_RAX, 0), 0 };
                size_t nimm = SK_ARRAY_LEN(imm_values);
                if (f->uses & U_MEM) {
                    size_t k = 0;
                    for (size_t i = 0; i < et_nmems; i++) {
                        o.m = et_mems[i];
                        o.r1 = (unsigned)(i + cc) % 16;
                        if (f->imm != IMM_NONE) {
                            do
                                o.imm = imm_values[k++ % nimm];
                            while (!imm_ok(f->imm, size, o.imm));
                        }
                        f->run(&o);
                    }
                    continue;
                }
                for (unsigned r1 = 0; r1 < ((f->uses & U_R1) ? 16u : 1u); r1++) {
                    for (unsigned r2 = 0; r2 < ((f->uses & U_R2) ? 16u : 1u); r2++) {
                        o.r1 = r1;
                        o.r2 = r2;
                        if (f->imm == IMM_NONE) {
                            f->run(&o);
                            continue;
                        }
                        for (size_t i = 0; i < nimm; i++) {
                            o.imm = imm_values[i];
                            if (imm_ok(f->imm, size, o.imm))
                                f->run(&o);
                        }
                    }
                }
            }
        }
    }
}

/* One random case of form f. */
static bool
random_one(const Form *f)
{
    Ops o;
    o.op = (unsigned)(et_rand() % f->nops);
    do
        o.size = 1u << (et_rand() % 4);
    while (!(f->sizes & o.size));
    o.cc = (unsigned)(et_rand() % 16);
    o.r1 = (unsigned)(et_rand() % 16);
    o.r2 = (unsigned)(et_rand() % 16);
    o.m = et_rand_mem();
    o.imm = f->imm == IMM_NONE ? 0 : rand_imm(f->imm, o.size);
    return f->run(&o);
}

/* nop_fill pads exactly len bytes with whole nops that Capstone decodes one by one. */
static void
test_nop_fill(void)
{
    for (size_t len = 0; len <= 40; len++) {
        uint8_t b[48];
        memset(b, 0xCC, sizeof b);
        CHECK_EQ(x64_encode_nop_fill(b, len), len);
        CHECK_EQ(b[len], 0xCC);
        size_t at = 0;
        while (at < len) {
            cs_insn *insn = NULL;
            size_t count = cs_disasm(et_cs, b + at, len - at, ET_ADDR + at, 1, &insn);
            CHECK_EQ(count, 1);
            if (count != 1)
                break;
            CHECK_STR(insn[0].mnemonic, "nop");
            at += insn[0].size;
            cs_free(insn, count);
        }
        CHECK_EQ(at, len);
        count_form("nop_fill");
    }
}

/*
 * ---- second oracle: byte strings transcribed from GNU as 2.40 ----
 * Each line: our call, the bytes that `as` (binutils 2.40, -64, .intel_syntax noprefix)
 * assembled from the Intel text in the comment, as `objdump -d` printed them.
 */

#define G(call, hex) et_check_bytes(#call, b, (call), hex)

static void
golden_gpr(void)
{
    uint8_t b[16];
    G(x64_encode_mov_rr(b, 8, X64_R12, X64_RSP), "49 89 e4"); // mov r12, rsp
    G(x64_encode_mov_rr(b, 1, X64_RSI, X64_R8), "44 88 c6"); // mov sil, r8b
    G(x64_encode_mov_rr(b, 2, X64_RAX, X64_R15), "66 44 89 f8"); // mov ax, r15w
    G(x64_encode_mov_rr(b, 4, X64_RBP, X64_RBX), "89 dd"); // mov ebp, ebx
    G(x64_encode_mov_rm(b, 8, X64_RAX, x64_mem(X64_R13, 0)),
      "49 8b 45 00"); // mov rax, qword ptr [r13]
    G(x64_encode_mov_rm(b, 4, X64_R9, x64_mem(X64_RSP, 8)),
      "44 8b 4c 24 08"); // mov r9d, dword ptr [rsp+8]
    G(x64_encode_mov_rm(b, 1, X64_RDI, x64_mem_index(X64_RBP, X64_R12, 4, -128)),
      "42 8a 7c a5 80"); // mov dil, byte ptr [rbp+r12*4-128]
    G(x64_encode_mov_rm(b, 2, X64_RCX, x64_mem_rip(0x100)),
      "66 8b 0d 00 01 00 00"); // mov cx, word ptr [rip+0x100]
    G(x64_encode_mov_rm(b, 8, X64_RAX, x64_mem_index(X64_MEM_NONE, X64_RAX, 8, 0x1000)),
      "48 8b 04 c5 00 10 00 00"); // mov rax, qword ptr [rax*8+0x1000]
    G(x64_encode_mov_rm(b, 8, X64_R15, x64_mem(X64_R12, -129)),
      "4d 8b bc 24 7f ff ff ff"); // mov r15, qword ptr [r12-129]
    G(x64_encode_mov_mr(b, 8, x64_mem(X64_R12, INT32_MAX), X64_R15),
      "4d 89 bc 24 ff ff ff 7f"); // mov qword ptr [r12+0x7fffffff], r15
    G(x64_encode_mov_mr(b, 1, x64_mem(X64_RAX, 0), X64_RSP), "40 88 20"); // mov byte ptr [rax], spl
    G(x64_encode_mov_mr(b, 2, x64_mem_index(X64_RBX, X64_RCX, 2, 0), X64_RAX),
      "66 89 04 4b"); // mov word ptr [rbx+rcx*2], ax
    G(x64_encode_mov_mr(b, 4, x64_mem_index(X64_R13, X64_R13, 1, INT32_MIN), X64_RBP),
      "43 89 ac 2d 00 00 00 80"); // mov dword ptr [r13+r13*1-0x80000000], ebp
    G(x64_encode_mov_ri(b, 8, X64_RAX, 0), "b8 00 00 00 00"); // mov eax, 0
    G(x64_encode_mov_ri(b, 8, X64_R8, -1), "49 c7 c0 ff ff ff ff"); // mov r8, -1
    G(x64_encode_mov_ri(b, 8, X64_RCX, 0x123456789),
      "48 b9 89 67 45 23 01 00 00 00"); // movabs rcx, 0x123456789
    G(x64_encode_mov_ri(b, 8, X64_RDX, 0xffffffff), "ba ff ff ff ff"); // mov edx, 0xffffffff
    G(x64_encode_mov_ri(b, 4, X64_R15, 0xffffffff), "41 bf ff ff ff ff"); // mov r15d, 0xffffffff
    G(x64_encode_mov_ri(b, 1, X64_RDI, 0x7f), "40 b7 7f"); // mov dil, 0x7f
    G(x64_encode_mov_ri(b, 2, X64_R9, 0x1234), "66 41 b9 34 12"); // mov r9w, 0x1234
    G(x64_encode_movabs(b, X64_R11, 0x1122334455667788),
      "49 bb 88 77 66 55 44 33 22 11"); // movabs r11, 0x1122334455667788
    G(x64_encode_movabs(b, X64_RAX, 0), "48 b8 00 00 00 00 00 00 00 00"); // movabs rax, 0
    G(x64_encode_mov_mi(b, 8, x64_mem(X64_RSP, 0), -1),
      "48 c7 04 24 ff ff ff ff"); // mov qword ptr [rsp], -1
    G(x64_encode_mov_mi(b, 1, x64_mem(X64_R13, 0), 0xff),
      "41 c6 45 00 ff"); // mov byte ptr [r13], 0xff
    G(x64_encode_mov_mi(b, 2, x64_mem(X64_RAX, 0), 0x1234),
      "66 c7 00 34 12"); // mov word ptr [rax], 0x1234
    G(x64_encode_mov_mi(b, 4, x64_mem_rip(0), 1),
      "c7 05 00 00 00 00 01 00 00 00"); // mov dword ptr [rip+0], 1
    G(x64_encode_movzx_rr(b, 4, 1, X64_RAX, X64_RSI), "40 0f b6 c6"); // movzx eax, sil
    G(x64_encode_movzx_rr(b, 8, 2, X64_R8, X64_R9), "4d 0f b7 c1"); // movzx r8, r9w
    G(x64_encode_movzx_rm(b, 4, 1, X64_R10, x64_mem(X64_R11, 0)),
      "45 0f b6 13"); // movzx r10d, byte ptr [r11]
    G(x64_encode_movzx_rm(b, 4, 2, X64_RCX, x64_mem(X64_RSP, 2)),
      "0f b7 4c 24 02"); // movzx ecx, word ptr [rsp+2]
    G(x64_encode_movsx_rr(b, 8, 4, X64_RAX, X64_RCX), "48 63 c1"); // movsxd rax, ecx
    G(x64_encode_movsx_rr(b, 4, 1, X64_RDX, X64_RDI), "40 0f be d7"); // movsx edx, dil
    G(x64_encode_movsx_rm(b, 8, 2, X64_R12, x64_mem(X64_RBP, 0)),
      "4c 0f bf 65 00"); // movsx r12, word ptr [rbp]
    G(x64_encode_movsx_rm(b, 8, 4, X64_R8, x64_mem_index(X64_R12, X64_R13, 8, 0)),
      "4f 63 04 ec"); // movsxd r8, dword ptr [r12+r13*8]
    G(x64_encode_lea(b, 8, X64_RAX, x64_mem_index(X64_RBX, X64_RCX, 4, 8)),
      "48 8d 44 8b 08"); // lea rax, [rbx+rcx*4+8]
    G(x64_encode_lea(b, 4, X64_R8, x64_mem_index(X64_R13, X64_R12, 1, 0)),
      "47 8d 44 25 00"); // lea r8d, [r13+r12*1]
    G(x64_encode_lea(b, 8, X64_RSP, x64_mem_rip(0x10)),
      "48 8d 25 10 00 00 00"); // lea rsp, [rip+0x10]
    G(x64_encode_lea(b, 8, X64_RDI, x64_mem_index(X64_MEM_NONE, X64_RDI, 2, 0)),
      "48 8d 3c 7d 00 00 00 00"); // lea rdi, [rdi*2]
    G(x64_encode_xchg_rr(b, 8, X64_RCX, X64_RDX), "48 87 d1"); // xchg rcx, rdx
    G(x64_encode_xchg_rr(b, 1, X64_RSI, X64_RAX), "40 86 c6"); // xchg sil, al
    G(x64_encode_xchg_rr(b, 4, X64_R8, X64_R9), "45 87 c8"); // xchg r8d, r9d
    G(x64_encode_alu_rr(b, X64_ALU_ADD, 8, X64_RAX, X64_R12), "4c 01 e0"); // add rax, r12
    G(x64_encode_alu_rr(b, X64_ALU_SUB, 4, X64_RSP, X64_RBP), "29 ec"); // sub esp, ebp
    G(x64_encode_alu_rr(b, X64_ALU_XOR, 1, X64_R8, X64_RDI), "41 30 f8"); // xor r8b, dil
    G(x64_encode_alu_rr(b, X64_ALU_CMP, 2, X64_RAX, X64_RCX), "66 39 c8"); // cmp ax, cx
    G(x64_encode_alu_rr(b, X64_ALU_SBB, 8, X64_R15, X64_R14), "4d 19 f7"); // sbb r15, r14
    G(x64_encode_alu_rr(b, X64_ALU_ADC, 4, X64_RDX, X64_RDX), "11 d2"); // adc edx, edx
    G(x64_encode_alu_rr(b, X64_ALU_OR, 8, X64_RBX, X64_R13), "4c 09 eb"); // or rbx, r13
    G(x64_encode_alu_rr(b, X64_ALU_AND, 1, X64_RSP, X64_RBP), "40 20 ec"); // and spl, bpl
    G(x64_encode_alu_rm(b, X64_ALU_ADD, 8, X64_RAX, x64_mem(X64_R12, 0)),
      "49 03 04 24"); // add rax, qword ptr [r12]
    G(x64_encode_alu_rm(b, X64_ALU_CMP, 4, X64_R9, x64_mem(X64_RBP, -4)),
      "44 3b 4d fc"); // cmp r9d, dword ptr [rbp-4]
    G(x64_encode_alu_rm(b, X64_ALU_AND, 1, X64_RBP, x64_mem_index(X64_RSP, X64_RAX, 2, 0)),
      "40 22 2c 44"); // and bpl, byte ptr [rsp+rax*2]
    G(x64_encode_alu_mr(b, X64_ALU_OR, 8, x64_mem(X64_R13, 8), X64_RSI),
      "49 09 75 08"); // or qword ptr [r13+8], rsi
    G(x64_encode_alu_mr(b, X64_ALU_XOR, 2, x64_mem_rip(0x20), X64_R10),
      "66 44 31 15 20 00 00 00"); // xor word ptr [rip+0x20], r10w
    G(x64_encode_alu_ri(b, X64_ALU_ADD, 8, X64_RAX, 0x1000),
      "48 05 00 10 00 00"); // add rax, 0x1000
    G(x64_encode_alu_ri(b, X64_ALU_SUB, 8, X64_RSP, 8), "48 83 ec 08"); // sub rsp, 8
    G(x64_encode_alu_ri(b, X64_ALU_CMP, 4, X64_R12, -129),
      "41 81 fc 7f ff ff ff"); // cmp r12d, -129
    G(x64_encode_alu_ri(b, X64_ALU_AND, 1, X64_RAX, 0xf), "24 0f"); // and al, 0xf
    G(x64_encode_alu_ri(b, X64_ALU_XOR, 1, X64_RSI, 1), "40 80 f6 01"); // xor sil, 1
    G(x64_encode_alu_ri(b, X64_ALU_OR, 2, X64_RAX, 0x1234), "66 0d 34 12"); // or ax, 0x1234
    G(x64_encode_alu_ri(b, X64_ALU_ADC, 2, X64_RCX, -1), "66 83 d1 ff"); // adc cx, -1
    G(x64_encode_alu_ri(b, X64_ALU_CMP, 8, X64_RCX, INT32_MIN),
      "48 81 f9 00 00 00 80"); // cmp rcx, -0x80000000
    G(x64_encode_alu_ri(b, X64_ALU_SBB, 4, X64_RAX, 127), "83 d8 7f"); // sbb eax, 127
    G(x64_encode_alu_mi(b, X64_ALU_ADD, 8, x64_mem(X64_RSP, 8), 1),
      "48 83 44 24 08 01"); // add qword ptr [rsp+8], 1
    G(x64_encode_alu_mi(b, X64_ALU_CMP, 1, x64_mem(X64_RAX, 0), 0x80),
      "80 38 80"); // cmp byte ptr [rax], 0x80
    G(x64_encode_alu_mi(b, X64_ALU_SUB, 4, x64_mem(X64_RBP, -8), 1000),
      "81 6d f8 e8 03 00 00"); // sub dword ptr [rbp-8], 1000
    G(x64_encode_alu_mi(b, X64_ALU_AND, 2, x64_mem(X64_R13, 0), 0xff00),
      "66 41 81 65 00 00 ff"); // and word ptr [r13], 0xff00
    G(x64_encode_alu_mi(b, X64_ALU_OR, 8, x64_mem_rip(0), 0x10000),
      "48 81 0d 00 00 00 00 00 00 01 00"); // or qword ptr [rip+0], 0x10000
    G(x64_encode_test_rr(b, 8, X64_RAX, X64_RAX), "48 85 c0"); // test rax, rax
    G(x64_encode_test_rr(b, 1, X64_RDI, X64_RSI), "40 84 f7"); // test dil, sil
    G(x64_encode_test_rr(b, 4, X64_R11, X64_RBX), "41 85 db"); // test r11d, ebx
    G(x64_encode_test_mr(b, 4, x64_mem(X64_RBX, 0), X64_RCX), "85 0b"); // test dword ptr [rbx], ecx
    G(x64_encode_test_ri(b, 8, X64_RAX, 1), "48 a9 01 00 00 00"); // test rax, 1
    G(x64_encode_test_ri(b, 1, X64_R8, 0x80), "41 f6 c0 80"); // test r8b, 0x80
    G(x64_encode_test_ri(b, 4, X64_RDI, 0x10000), "f7 c7 00 00 01 00"); // test edi, 0x10000
    G(x64_encode_test_ri(b, 2, X64_RAX, 0x8000), "66 a9 00 80"); // test ax, 0x8000
    G(x64_encode_test_mi(b, 1, x64_mem(X64_RSP, 0), 1), "f6 04 24 01"); // test byte ptr [rsp], 1
    G(x64_encode_test_mi(b, 8, x64_mem(X64_RAX, 0), -16),
      "48 f7 00 f0 ff ff ff"); // test qword ptr [rax], -16
    G(x64_encode_unary_r(b, X64_UN_NEG, 8, X64_RAX), "48 f7 d8"); // neg rax
    G(x64_encode_unary_r(b, X64_UN_NOT, 4, X64_R9), "41 f7 d1"); // not r9d
    G(x64_encode_unary_r(b, X64_UN_INC, 1, X64_RSP), "40 fe c4"); // inc spl
    G(x64_encode_unary_r(b, X64_UN_IDIV, 8, X64_R11), "49 f7 fb"); // idiv r11
    G(x64_encode_unary_r(b, X64_UN_DIV, 4, X64_RCX), "f7 f1"); // div ecx
    G(x64_encode_unary_r(b, X64_UN_MUL, 1, X64_R8), "41 f6 e0"); // mul r8b
    G(x64_encode_unary_r(b, X64_UN_IMUL, 8, X64_RCX), "48 f7 e9"); // imul rcx
    G(x64_encode_unary_r(b, X64_UN_DEC, 2, X64_RDX), "66 ff ca"); // dec dx
    G(x64_encode_unary_m(b, X64_UN_INC, 8, x64_mem_rip(0)),
      "48 ff 05 00 00 00 00"); // inc qword ptr [rip+0]
    G(x64_encode_unary_m(b, X64_UN_NEG, 4, x64_mem(X64_R12, 0)),
      "41 f7 1c 24"); // neg dword ptr [r12]
    G(x64_encode_unary_m(b, X64_UN_DEC, 1, x64_mem(X64_RBP, 0)), "fe 4d 00"); // dec byte ptr [rbp]
    G(x64_encode_imul_rr(b, 8, X64_RAX, X64_R15), "49 0f af c7"); // imul rax, r15
    G(x64_encode_imul_rr(b, 4, X64_R9, X64_RSP), "44 0f af cc"); // imul r9d, esp
    G(x64_encode_imul_rr(b, 2, X64_RAX, X64_RBX), "66 0f af c3"); // imul ax, bx
    G(x64_encode_imul_rm(b, 8, X64_RDX, x64_mem(X64_RBP, 0x10)),
      "48 0f af 55 10"); // imul rdx, qword ptr [rbp+0x10]
    G(x64_encode_imul_rri(b, 8, X64_RAX, X64_RCX, 10), "48 6b c1 0a"); // imul rax, rcx, 10
    G(x64_encode_imul_rri(b, 4, X64_R8, X64_R9, 1000),
      "45 69 c1 e8 03 00 00"); // imul r8d, r9d, 1000
    G(x64_encode_imul_rri(b, 2, X64_RAX, X64_RCX, -129), "66 69 c1 7f ff"); // imul ax, cx, -129
    G(x64_encode_imul_rmi(b, 8, X64_RAX, x64_mem(X64_RSP, 0), 100000),
      "48 69 04 24 a0 86 01 00"); // imul rax, qword ptr [rsp], 100000
    G(x64_encode_cdq(b, 2), "66 99"); // cwd
    G(x64_encode_cdq(b, 4), "99"); // cdq
    G(x64_encode_cdq(b, 8), "48 99"); // cqo
    G(x64_encode_shift_rcl(b, X64_SHIFT_SHL, 8, X64_RAX), "48 d3 e0"); // shl rax, cl
    G(x64_encode_shift_rcl(b, X64_SHIFT_SAR, 4, X64_R9), "41 d3 f9"); // sar r9d, cl
    G(x64_encode_shift_rcl(b, X64_SHIFT_ROL, 1, X64_RSI), "40 d2 c6"); // rol sil, cl
    G(x64_encode_shift_rcl(b, X64_SHIFT_ROR, 2, X64_RAX), "66 d3 c8"); // ror ax, cl
    G(x64_encode_shift_rcl(b, X64_SHIFT_SHR, 8, X64_R15), "49 d3 ef"); // shr r15, cl
    G(x64_encode_shift_ri(b, X64_SHIFT_SHL, 8, X64_RAX, 1), "48 d1 e0"); // shl rax, 1
    G(x64_encode_shift_ri(b, X64_SHIFT_SAR, 4, X64_R12, 31), "41 c1 fc 1f"); // sar r12d, 31
    G(x64_encode_shift_ri(b, X64_SHIFT_SHR, 1, X64_RSI, 7), "40 c0 ee 07"); // shr sil, 7
    G(x64_encode_shift_ri(b, X64_SHIFT_ROL, 2, X64_RAX, 8), "66 c1 c0 08"); // rol ax, 8
    G(x64_encode_shift_ri(b, X64_SHIFT_ROR, 8, X64_R8, 63), "49 c1 c8 3f"); // ror r8, 63
    G(x64_encode_bit_rr(b, X64_BIT_LZCNT, 8, X64_RAX, X64_RCX), "f3 48 0f bd c1"); // lzcnt rax, rcx
    G(x64_encode_bit_rm(b, X64_BIT_TZCNT, 4, X64_R8, x64_mem(X64_R9, 0)),
      "f3 45 0f bc 01"); // tzcnt r8d, dword ptr [r9]
    G(x64_encode_bit_rr(b, X64_BIT_POPCNT, 2, X64_RAX, X64_R12),
      "66 f3 41 0f b8 c4"); // popcnt ax, r12w
    G(x64_encode_bit_rr(b, X64_BIT_BSR, 8, X64_R15, X64_RSP), "4c 0f bd fc"); // bsr r15, rsp
    G(x64_encode_bit_rm(b, X64_BIT_BSF, 4, X64_RAX, x64_mem_rip(0)),
      "0f bc 05 00 00 00 00"); // bsf eax, dword ptr [rip+0]
    G(x64_encode_bt_rr(b, 8, X64_RAX, X64_RCX), "48 0f a3 c8"); // bt rax, rcx
    G(x64_encode_bt_ri(b, 4, X64_R12, 31), "41 0f ba e4 1f"); // bt r12d, 31
    G(x64_encode_bt_ri(b, 2, X64_RAX, 15), "66 0f ba e0 0f"); // bt ax, 15
    G(x64_encode_setcc(b, X64_CC_E, X64_RAX), "0f 94 c0"); // sete al
    G(x64_encode_setcc(b, X64_CC_B, X64_RSI), "40 0f 92 c6"); // setb sil
    G(x64_encode_setcc(b, X64_CC_G, X64_R15), "41 0f 9f c7"); // setg r15b
    G(x64_encode_setcc(b, X64_CC_NP, X64_RDI), "40 0f 9b c7"); // setnp dil
    G(x64_encode_setcc(b, X64_CC_O, X64_RBP), "40 0f 90 c5"); // seto bpl
    G(x64_encode_cmov_rr(b, X64_CC_E, 8, X64_RAX, X64_RCX), "48 0f 44 c1"); // cmove rax, rcx
    G(x64_encode_cmov_rm(b, X64_CC_L, 4, X64_R8, x64_mem(X64_RSP, 0)),
      "44 0f 4c 04 24"); // cmovl r8d, dword ptr [rsp]
    G(x64_encode_cmov_rr(b, X64_CC_P, 2, X64_RAX, X64_R15), "66 41 0f 4a c7"); // cmovp ax, r15w
    G(x64_encode_cmov_rm(b, X64_CC_AE, 8, X64_R12, x64_mem_rip(0)),
      "4c 0f 43 25 00 00 00 00"); // cmovae r12, qword ptr [rip+0]
    G(x64_encode_cmov_rr(b, X64_CC_LE, 4, X64_RBP, X64_R13), "41 0f 4e ed"); // cmovle ebp, r13d
    G(x64_encode_jcc_rel8(b, X64_CC_NE, 5), "75 05"); // jne .+7
    G(x64_encode_jcc_rel8(b, X64_CC_A, -128), "77 80"); // ja .-126
    G(x64_encode_jcc_rel32(b, X64_CC_L, 0x1000), "0f 8c 00 10 00 00"); // {disp32} jl .+0x1006
    G(x64_encode_jcc_rel32(b, X64_CC_NS, -6), "0f 89 fa ff ff ff"); // {disp32} jns .+0
    G(x64_encode_jmp_rel8(b, 127), "eb 7f"); // jmp .+129
    G(x64_encode_jmp_rel32(b, 0x12345), "e9 45 23 01 00"); // {disp32} jmp .+0x1234a
    G(x64_encode_call_rel32(b, 0x100), "e8 00 01 00 00"); // call .+0x105
    G(x64_encode_call_rel32(b, -5), "e8 fb ff ff ff"); // call .+0
    G(x64_encode_jmp_r(b, X64_RAX), "ff e0"); // jmp rax
    G(x64_encode_jmp_r(b, X64_R12), "41 ff e4"); // jmp r12
    G(x64_encode_jmp_m(b, x64_mem_index(X64_R13, X64_RAX, 8, 0)),
      "41 ff 64 c5 00"); // jmp qword ptr [r13+rax*8]
    G(x64_encode_jmp_m(b, x64_mem_rip(0)), "ff 25 00 00 00 00"); // jmp qword ptr [rip+0]
    G(x64_encode_call_r(b, X64_R11), "41 ff d3"); // call r11
    G(x64_encode_call_r(b, X64_RDX), "ff d2"); // call rdx
    G(x64_encode_call_m(b, x64_mem(X64_RDI, 0x28)), "ff 57 28"); // call qword ptr [rdi+0x28]
    G(x64_encode_push_r(b, X64_RBP), "55"); // push rbp
    G(x64_encode_push_r(b, X64_R15), "41 57"); // push r15
    G(x64_encode_pop_r(b, X64_R12), "41 5c"); // pop r12
    G(x64_encode_pop_r(b, X64_RBX), "5b"); // pop rbx
    G(x64_encode_push_i(b, 1), "6a 01"); // push 1
    G(x64_encode_push_i(b, 0x1000), "68 00 10 00 00"); // push 0x1000
    G(x64_encode_push_i(b, -1), "6a ff"); // push -1
    G(x64_encode_ret(b), "c3"); // ret
    G(x64_encode_ud2(b), "0f 0b"); // ud2
    G(x64_encode_int3(b), "cc"); // int3
    G(x64_encode_nop(b, 1), "90"); // .nops 1
    G(x64_encode_nop(b, 2), "66 90"); // .nops 2
    G(x64_encode_nop(b, 3), "0f 1f 00"); // .nops 3
    G(x64_encode_nop(b, 4), "0f 1f 40 00"); // .nops 4
    G(x64_encode_nop(b, 5), "0f 1f 44 00 00"); // .nops 5
    G(x64_encode_nop(b, 6), "66 0f 1f 44 00 00"); // .nops 6
    G(x64_encode_nop(b, 7), "0f 1f 80 00 00 00 00"); // .nops 7
    G(x64_encode_nop(b, 8), "0f 1f 84 00 00 00 00 00"); // .nops 8
    G(x64_encode_nop(b, 9), "66 0f 1f 84 00 00 00 00 00"); // .nops 9
}

/* ---- main ---- */

int
main(int argc, char **argv)
{
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &et_cs) != CS_ERR_OK) {
        printf("skipped: Capstone cannot open x86-64\n");
        return SKIP;
    }
    cs_option(et_cs, CS_OPT_DETAIL, CS_OPT_ON); // normalisation rule 4 reads the operands
    uint64_t seed = (uint64_t)time(NULL);
    const char *env = getenv("SKUA_SEED");
    if (argc > 1)
        env = argv[1];
    if (env)
        seed = strtoull(env, NULL, 0);
    unsigned long nrandom = 200000;

    build_mems();
    for (size_t i = 0; i < SK_ARRAY_LEN(forms); i++)
        exhaustive(&forms[i]);
    test_nop_fill();
    et_sse_exhaustive();
    golden_gpr();
    et_sse_golden();

    unsigned long total = 0;
    printf("deliberate cases per form (Capstone-checked):\n");
    for (size_t i = 0; i < nform_counts; i++) {
        printf("  %-14s %7lu\n", form_counts[i].form, form_counts[i].n);
        total += form_counts[i].n;
    }
    printf("  %-14s %7lu in %zu forms; %lu GNU as byte strings\n", "total", total,
           nform_counts, ngolden);

    printf("random pass: seed 0x%llx (rerun: SKUA_SEED=0x%llx test_encode), %lu cases\n",
           (unsigned long long)seed, (unsigned long long)seed, nrandom);
    rng_state = seed;
    unsigned random_failures = 0;
    for (unsigned long i = 0; i < nrandom && random_failures < 20; i++) {
        bool ok = (et_rand() % 2) ? random_one(&forms[et_rand() % SK_ARRAY_LEN(forms)])
                                  : et_sse_random_one();
        if (!ok) {
            fprintf(stderr, "  ^ random case %lu, seed 0x%llx\n", i, (unsigned long long)seed);
            random_failures++;
        }
    }
    cs_close(&et_cs);
    return check_exit();
}

#endif
