/*
 * x86_64 encoder test, XMM forms (encode_sse.c): every row of X64_SSE_OPS in every operand
 * shape its kind allows, with all 16 XMM registers (xmm8-xmm15 need REX.R/REX.B) in every
 * operand position, all 16 GPRs where a GPR is an operand, the deliberate memory operands of
 * test_encode.c, and imm8 values at the edges. Checked through et_check against Capstone.
 */
#include <stdio.h>
#include <string.h>

#include "encode_test.h"

#ifdef SKUA_HAVE_CAPSTONE

/* Our mnemonic for op with imm8 `imm`: cmpps & co. print as their predicate pseudo-ops
 * (cmpltps, cmpunordsd, ...), as GNU objdump and the Intel SDM spell them. */
static const char *
mnemonic(X64SseOp op, unsigned imm)
{
    static const char *const preds[8] = { "eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord" };
    static char buf[32];
    const char *suffix = op == X64_SSE_CMPPS   ? "ps"
                         : op == X64_SSE_CMPPD ? "pd"
                         : op == X64_SSE_CMPSS ? "ss"
                         : op == X64_SSE_CMPSD ? "sd"
                                               : NULL;
    if (!suffix)
        return x64_sse_op_name(op);
    snprintf(buf, sizeof buf, "cmp%s%s", preds[imm & 7], suffix);
    return buf;
}

static bool
is_cmp(X64SseOp op)
{
    return op == X64_SSE_CMPPS || op == X64_SSE_CMPPD || op == X64_SSE_CMPSS ||
           op == X64_SSE_CMPSD;
}

/* Width of the gpr operand of the XG..STI kinds. */
static unsigned
gpr_size(X64SseOp op)
{
    return x64_sse_op_is_wide(op) ? 8 : 4;
}

/* ", xmm0" for the blendv kind, whose third operand is implicit. */
static const char *
implicit_xmm0(X64SseOp op)
{
    return x64_sse_op_kind(op) == X64_SK_RM0 ? ", xmm0" : "";
}

static bool
check_text(const char *form, const uint8_t *b, size_t n, const char *text)
{
    return et_check(form, b, n, X64_MAX_SSE, text);
}

/* The shapes: each encodes one case and checks it against our text. */

static bool
s_rr(X64SseOp op, unsigned d, unsigned s)
{
    uint8_t b[16];
    char t[128];
    size_t n = x64_encode_sse_rr(b, op, d, s);
    snprintf(t, sizeof t, "%s %s, %s%s", mnemonic(op, 0), et_xmm(d), et_xmm(s), implicit_xmm0(op));
    return check_text("sse_rr", b, n, t);
}

static bool
s_rm(X64SseOp op, unsigned d, X64Mem m)
{
    uint8_t b[16];
    char t[160];
    size_t n = x64_encode_sse_rm(b, op, d, m);
    if (m.base == X64_MEM_RIP)
        et_require(memcmp(b + n - 4, &m.disp, 4) == 0, "sse_rm: rip disp32 is not last");
    snprintf(t, sizeof t, "%s %s, %s%s", mnemonic(op, 0), et_xmm(d),
             et_mem(x64_sse_op_mem_size(op), m), implicit_xmm0(op));
    return check_text("sse_rm", b, n, t);
}

static bool
s_mr(X64SseOp op, X64Mem m, unsigned s)
{
    uint8_t b[16];
    char t[160];
    size_t n = x64_encode_sse_mr(b, op, m, s);
    snprintf(t, sizeof t, "%s %s, %s", mnemonic(op, 0), et_mem(x64_sse_op_mem_size(op), m),
             et_xmm(s));
    return check_text("sse_mr", b, n, t);
}

static bool
s_rri(X64SseOp op, unsigned d, unsigned s, unsigned imm)
{
    uint8_t b[16];
    char t[160];
    size_t n = x64_encode_sse_rri(b, op, d, s, (uint8_t)imm);
    if (is_cmp(op))
        snprintf(t, sizeof t, "%s %s, %s", mnemonic(op, imm), et_xmm(d), et_xmm(s));
    else
        snprintf(t, sizeof t, "%s %s, %s, %s", mnemonic(op, imm), et_xmm(d), et_xmm(s),
                 et_uimm(imm, 1));
    return check_text("sse_rri", b, n, t);
}

static bool
s_rmi(X64SseOp op, unsigned d, X64Mem m, unsigned imm)
{
    uint8_t b[16];
    char t[160];
    size_t n = x64_encode_sse_rmi(b, op, d, m, (uint8_t)imm);
    if (m.base == X64_MEM_RIP) // the disp32 ends before the imm8 (x64.h, Fixups)
        et_require(memcmp(b + n - 5, &m.disp, 4) == 0, "sse_rmi: rip disp32 not before imm8");
    const char *ms = et_mem(x64_sse_op_mem_size(op), m);
    if (is_cmp(op))
        snprintf(t, sizeof t, "%s %s, %s", mnemonic(op, imm), et_xmm(d), ms);
    else
        snprintf(t, sizeof t, "%s %s, %s, %s", mnemonic(op, imm), et_xmm(d), ms,
                 et_uimm(imm, 1));
    return check_text("sse_rmi", b, n, t);
}

static bool
s_mri(X64SseOp op, X64Mem m, unsigned s, unsigned imm)
{
    uint8_t b[16];
    char t[160];
    size_t n = x64_encode_sse_mri(b, op, m, s, (uint8_t)imm);
    if (m.base == X64_MEM_RIP)
        et_require(memcmp(b + n - 5, &m.disp, 4) == 0, "sse_mri: rip disp32 not before imm8");
    snprintf(t, sizeof t, "%s %s, %s, %s", mnemonic(op, imm), et_mem(x64_sse_op_mem_size(op), m),
             et_xmm(s), et_uimm(imm, 1));
    return check_text("sse_mri", b, n, t);
}

static bool
s_ri(X64SseOp op, unsigned d, unsigned imm)
{
    uint8_t b[16];
    char t[128];
    size_t n = x64_encode_sse_ri(b, op, d, (uint8_t)imm);
    snprintf(t, sizeof t, "%s %s, %s", mnemonic(op, imm), et_xmm(d), et_uimm(imm, 1));
    return check_text("sse_ri", b, n, t);
}

static bool
s_xg(X64SseOp op, unsigned d, unsigned g)
{
    uint8_t b[16];
    char t[128];
    size_t n = x64_encode_sse_xg(b, op, d, g);
    snprintf(t, sizeof t, "%s %s, %s", mnemonic(op, 0), et_xmm(d), et_gpr(g, gpr_size(op)));
    return check_text("sse_xg", b, n, t);
}

static bool
s_xgi(X64SseOp op, unsigned d, unsigned g, unsigned imm)
{
    uint8_t b[16];
    char t[128];
    size_t n = x64_encode_sse_xgi(b, op, d, g, (uint8_t)imm);
    snprintf(t, sizeof t, "%s %s, %s, %s", mnemonic(op, imm), et_xmm(d), et_gpr(g, gpr_size(op)),
             et_uimm(imm, 1));
    return check_text("sse_xgi", b, n, t);
}

static bool
s_gx(X64SseOp op, unsigned g, unsigned s)
{
    uint8_t b[16];
    char t[128];
    size_t n = x64_encode_sse_gx(b, op, g, s);
    snprintf(t, sizeof t, "%s %s, %s", mnemonic(op, 0), et_gpr(g, gpr_size(op)), et_xmm(s));
    return check_text("sse_gx", b, n, t);
}

static bool
s_gm(X64SseOp op, unsigned g, X64Mem m)
{
    uint8_t b[16];
    char t[160];
    size_t n = x64_encode_sse_gm(b, op, g, m);
    snprintf(t, sizeof t, "%s %s, %s", mnemonic(op, 0), et_gpr(g, gpr_size(op)),
             et_mem(x64_sse_op_mem_size(op), m));
    return check_text("sse_gm", b, n, t);
}

static bool
s_gxi(X64SseOp op, unsigned g, unsigned s, unsigned imm)
{
    uint8_t b[16];
    char t[128];
    size_t n = x64_encode_sse_gxi(b, op, g, s, (uint8_t)imm);
    snprintf(t, sizeof t, "%s %s, %s, %s", mnemonic(op, imm), et_gpr(g, gpr_size(op)), et_xmm(s),
             et_uimm(imm, 1));
    return check_text("sse_gxi", b, n, t);
}

/* imm8 values for the imm forms: the edges of the byte and a typical shuffle control. */
static const unsigned imm8s[] = { 0, 1, 2, 3, 7, 9, 10, 15, 0x1b, 0x7f, 0x80, 0xff };

/* A valid imm8 for op: cmp predicates 0-7, anything else any byte. */
static unsigned
imm_for(X64SseOp op, size_t i)
{
    return is_cmp(op) ? (unsigned)(i % 8) : imm8s[i % SK_ARRAY_LEN(imm8s)];
}

static size_t
nimm_for(X64SseOp op)
{
    return is_cmp(op) ? 8 : SK_ARRAY_LEN(imm8s);
}

/* Every register pair; the register-only shapes. */
static void
all_pairs(X64SseOp op, bool (*fn)(X64SseOp, unsigned, unsigned))
{
    for (unsigned a = 0; a < 16; a++)
        for (unsigned c = 0; c < 16; c++)
            fn(op, a, c);
}

/* Every register pair with the imm8s rotating, plus every imm8 on a REX and a non-REX pair. */
static void
all_pairs_imm(X64SseOp op, bool (*fn)(X64SseOp, unsigned, unsigned, unsigned))
{
    size_t k = 0;
    for (unsigned a = 0; a < 16; a++)
        for (unsigned c = 0; c < 16; c++)
            fn(op, a, c, imm_for(op, k++));
    for (size_t i = 0; i < nimm_for(op); i++) {
        fn(op, 1, 2, imm_for(op, i));
        fn(op, 15, 8, imm_for(op, i));
    }
}

/*
 * Each row's enum name must start with its mnemonic (X64_SSE_PSLLW_I is "psllw",
 * X64_SSE_CVTSI2SS64 is "cvtsi2ss"), so the backend gets the instruction the name promises:
 * Capstone checks the opcode against the mnemonic, this checks the mnemonic against the name.
 */
static void
check_row_names(void)
{
    static const char *const names[X64_SSE_COUNT] = {
#define X64_SSE_NAME(nm, ...) #nm,
        X64_SSE_OPS(X64_SSE_NAME)
#undef X64_SSE_NAME
    };
    for (unsigned i = 0; i < X64_SSE_COUNT; i++) {
        const char *mn = x64_sse_op_name((X64SseOp)i);
        size_t len = strlen(mn);
        bool ok = len > 0 && len < 12 && strlen(names[i]) >= len;
        for (size_t k = 0; ok && k < len; k++)
            ok = names[i][k] == (char)(mn[k] >= 'a' && mn[k] <= 'z' ? mn[k] - 'a' + 'A' : mn[k]);
        char what[96];
        snprintf(what, sizeof what, "X64_SSE_%s has mnemonic \"%s\"", names[i], mn);
        et_require(ok, what);
    }
}

void
et_sse_exhaustive(void)
{
    check_row_names();
    for (unsigned i = 0; i < X64_SSE_COUNT; i++) {
        X64SseOp op = (X64SseOp)i;
        switch (x64_sse_op_kind(op)) {
        case X64_SK_RM:
        case X64_SK_RM0:
        case X64_SK_MOV:
        case X64_SK_RR:
            all_pairs(op, s_rr);
            break;
        case X64_SK_RMI:
            all_pairs_imm(op, s_rri);
            break;
        case X64_SK_SHI:
            for (unsigned d = 0; d < 16; d++)
                for (size_t k = 0; k < SK_ARRAY_LEN(imm8s); k++)
                    s_ri(op, d, imm8s[k]);
            break;
        case X64_SK_XG:
            all_pairs(op, s_xg);
            break;
        case X64_SK_XGI:
            all_pairs_imm(op, s_xgi);
            break;
        case X64_SK_GX:
        case X64_SK_GXR:
        case X64_SK_ST:
            all_pairs(op, s_gx);
            break;
        case X64_SK_GXRI:
        case X64_SK_STI:
            all_pairs_imm(op, s_gxi);
            break;
        case X64_SK_MEM:
            break;
        default:
            SK_ASSERT(!"unknown SSE kind");
        }
        // The memory shapes, over every deliberate memory operand, registers rotating.
        for (size_t k = 0; k < et_nmems; k++) {
            X64Mem m = et_mems[k];
            unsigned r = (unsigned)(k + i) % 16;
            switch (x64_sse_op_kind(op)) {
            case X64_SK_RM:
            case X64_SK_RM0:
            case X64_SK_XG:
                s_rm(op, r, m);
                break;
            case X64_SK_MOV:
            case X64_SK_MEM:
                s_rm(op, r, m);
                s_mr(op, m, 15 - r);
                break;
            case X64_SK_RMI:
            case X64_SK_XGI:
                s_rmi(op, r, m, imm_for(op, k));
                break;
            case X64_SK_GX:
                s_gm(op, r, m);
                break;
            case X64_SK_ST:
                s_mr(op, m, r);
                break;
            case X64_SK_STI:
                s_mri(op, m, r, imm_for(op, k));
                break;
            default:
                break; // register-only kinds
            }
        }
    }
}

bool
et_sse_random_one(void)
{
    X64SseOp op = (X64SseOp)(et_rand() % X64_SSE_COUNT);
    unsigned a = (unsigned)(et_rand() % 16), c = (unsigned)(et_rand() % 16);
    unsigned imm = is_cmp(op) ? (unsigned)(et_rand() % 8) : (unsigned)(et_rand() % 256);
    X64Mem m = et_rand_mem();
    bool mem = et_rand() & 1;
    switch (x64_sse_op_kind(op)) {
    case X64_SK_RM:
    case X64_SK_RM0:
        return mem ? s_rm(op, a, m) : s_rr(op, a, c);
    case X64_SK_MOV:
        return mem ? ((et_rand() & 1) ? s_rm(op, a, m) : s_mr(op, m, a)) : s_rr(op, a, c);
    case X64_SK_MEM:
        return mem ? s_rm(op, a, m) : s_mr(op, m, a);
    case X64_SK_RR:
        return s_rr(op, a, c);
    case X64_SK_RMI:
        return mem ? s_rmi(op, a, m, imm) : s_rri(op, a, c, imm);
    case X64_SK_SHI:
        return s_ri(op, a, imm);
    case X64_SK_XG:
        return mem ? s_rm(op, a, m) : s_xg(op, a, c);
    case X64_SK_XGI:
        return mem ? s_rmi(op, a, m, imm) : s_xgi(op, a, c, imm);
    case X64_SK_GX:
        return mem ? s_gm(op, a, m) : s_gx(op, a, c);
    case X64_SK_GXR:
        return s_gx(op, a, c);
    case X64_SK_GXRI:
        return s_gxi(op, a, c, imm);
    case X64_SK_ST:
        return mem ? s_mr(op, m, a) : s_gx(op, a, c);
    case X64_SK_STI:
        return mem ? s_mri(op, m, a, imm) : s_gxi(op, a, c, imm);
    default:
        return false;
    }
}

/*
 * ---- second oracle: byte strings transcribed from GNU as 2.40 ----
 * Each line: our call, the bytes that `as` (binutils 2.40, -64, .intel_syntax noprefix)
 * assembled from the Intel text in the comment, as `objdump -d` printed them.
 */

#define G(call, hex) et_check_bytes(#call, b, (call), hex)

void
et_sse_golden(void)
{
    uint8_t b[16];
    G(x64_encode_sse_rr(b, X64_SSE_ADDSS, X64_XMM1, X64_XMM15),
      "f3 41 0f 58 cf"); // addss xmm1, xmm15
    G(x64_encode_sse_rm(b, X64_SSE_ADDSD, X64_XMM8, x64_mem(X64_RAX, 0)),
      "f2 44 0f 58 00"); // addsd xmm8, qword ptr [rax]
    G(x64_encode_sse_rr(b, X64_SSE_UCOMISD, X64_XMM0, X64_XMM9),
      "66 41 0f 2e c1"); // ucomisd xmm0, xmm9
    G(x64_encode_sse_rm(b, X64_SSE_UCOMISS, X64_XMM10, x64_mem(X64_R12, 4)),
      "45 0f 2e 54 24 04"); // ucomiss xmm10, dword ptr [r12+4]
    G(x64_encode_sse_rr(b, X64_SSE_PADDB, X64_XMM12, X64_XMM3),
      "66 44 0f fc e3"); // paddb xmm12, xmm3
    G(x64_encode_sse_rm(b, X64_SSE_PSHUFB, X64_XMM8, x64_mem_rip(0x10)),
      "66 44 0f 38 00 05 10 00 00 00"); // pshufb xmm8, xmmword ptr [rip+0x10]
    G(x64_encode_sse_rm(b, X64_SSE_PMOVZXBW, X64_XMM2, x64_mem(X64_R12, 0)),
      "66 41 0f 38 30 14 24"); // pmovzxbw xmm2, qword ptr [r12]
    G(x64_encode_sse_rr(b, X64_SSE_PTEST, X64_XMM1, X64_XMM2),
      "66 0f 38 17 ca"); // ptest xmm1, xmm2
    G(x64_encode_sse_rr(b, X64_SSE_PCMPGTQ, X64_XMM15, X64_XMM15),
      "66 45 0f 38 37 ff"); // pcmpgtq xmm15, xmm15
    G(x64_encode_sse_rr(b, X64_SSE_CVTDQ2PS, X64_XMM1, X64_XMM2),
      "0f 5b ca"); // cvtdq2ps xmm1, xmm2
    G(x64_encode_sse_rm(b, X64_SSE_CVTPS2PD, X64_XMM3, x64_mem(X64_RSP, 0)),
      "0f 5a 1c 24"); // cvtps2pd xmm3, qword ptr [rsp]
    G(x64_encode_sse_rr(b, X64_SSE_CVTTPS2DQ, X64_XMM9, X64_XMM4),
      "f3 44 0f 5b cc"); // cvttps2dq xmm9, xmm4
    G(x64_encode_sse_rr(b, X64_SSE_SQRTPD, X64_XMM10, X64_XMM11),
      "66 45 0f 51 d3"); // sqrtpd xmm10, xmm11
    G(x64_encode_sse_rr(b, X64_SSE_MOVDDUP, X64_XMM1, X64_XMM9),
      "f2 41 0f 12 c9"); // movddup xmm1, xmm9
    G(x64_encode_sse_rr(b, X64_SSE_PMADDUBSW, X64_XMM4, X64_XMM13),
      "66 41 0f 38 04 e5"); // pmaddubsw xmm4, xmm13
    G(x64_encode_sse_rr(b, X64_SSE_PACKUSDW, X64_XMM0, X64_XMM1),
      "66 0f 38 2b c1"); // packusdw xmm0, xmm1
    G(x64_encode_sse_rr(b, X64_SSE_PABSD, X64_XMM9, X64_XMM1),
      "66 44 0f 38 1e c9"); // pabsd xmm9, xmm1
    G(x64_encode_sse_rr(b, X64_SSE_XORPS, X64_XMM0, X64_XMM0), "0f 57 c0"); // xorps xmm0, xmm0
    G(x64_encode_sse_rr(b, X64_SSE_PXOR, X64_XMM8, X64_XMM8), "66 45 0f ef c0"); // pxor xmm8, xmm8
    G(x64_encode_sse_rr(b, X64_SSE_CVTSS2SD, X64_XMM1, X64_XMM14),
      "f3 41 0f 5a ce"); // cvtss2sd xmm1, xmm14
    G(x64_encode_sse_rr(b, X64_SSE_MINPS, X64_XMM5, X64_XMM6), "0f 5d ee"); // minps xmm5, xmm6
    G(x64_encode_sse_rm(b, X64_SSE_ANDPD, X64_XMM0, x64_mem_rip(-4)),
      "66 0f 54 05 fc ff ff ff"); // andpd xmm0, xmmword ptr [rip-4]
    G(x64_encode_sse_rr(b, X64_SSE_PMULLD, X64_XMM3, X64_XMM11),
      "66 41 0f 38 40 db"); // pmulld xmm3, xmm11
    G(x64_encode_sse_rr(b, X64_SSE_PUNPCKLQDQ, X64_XMM7, X64_XMM8),
      "66 41 0f 6c f8"); // punpcklqdq xmm7, xmm8
    G(x64_encode_sse_rri(b, X64_SSE_ROUNDSD, X64_XMM0, X64_XMM1, 9),
      "66 0f 3a 0b c1 09"); // roundsd xmm0, xmm1, 9
    G(x64_encode_sse_rmi(b, X64_SSE_ROUNDSS, X64_XMM8, x64_mem(X64_RBP, 0), 4),
      "66 44 0f 3a 0a 45 00 04"); // roundss xmm8, dword ptr [rbp], 4
    G(x64_encode_sse_rri(b, X64_SSE_CMPPS, X64_XMM1, X64_XMM2, X64_CMP_UNORD),
      "0f c2 ca 03"); // cmpps xmm1, xmm2, 3
    G(x64_encode_sse_rmi(b, X64_SSE_CMPSD, X64_XMM8, x64_mem_rip(0), X64_CMP_LT),
      "f2 44 0f c2 05 00 00 00 00 01"); // cmpsd xmm8, qword ptr [rip+0], 1
    G(x64_encode_sse_rri(b, X64_SSE_CMPPD, X64_XMM12, X64_XMM13, X64_CMP_NLE),
      "66 45 0f c2 e5 06"); // cmppd xmm12, xmm13, 6
    G(x64_encode_sse_rri(b, X64_SSE_SHUFPS, X64_XMM9, X64_XMM10, 0x1b),
      "45 0f c6 ca 1b"); // shufps xmm9, xmm10, 0x1b
    G(x64_encode_sse_rmi(b, X64_SSE_PSHUFD, X64_XMM0, x64_mem_index(X64_R13, X64_RAX, 4, 0), 0xff),
      "66 41 0f 70 44 85 00 ff"); // pshufd xmm0, xmmword ptr [r13+rax*4], 0xff
    G(x64_encode_sse_rri(b, X64_SSE_PALIGNR, X64_XMM15, X64_XMM0, 8),
      "66 44 0f 3a 0f f8 08"); // palignr xmm15, xmm0, 8
    G(x64_encode_sse_rmi(b, X64_SSE_INSERTPS, X64_XMM1, x64_mem(X64_RAX, 0), 0x30),
      "66 0f 3a 21 08 30"); // insertps xmm1, dword ptr [rax], 0x30
    G(x64_encode_sse_rri(b, X64_SSE_PBLENDW, X64_XMM2, X64_XMM3, 0xaa),
      "66 0f 3a 0e d3 aa"); // pblendw xmm2, xmm3, 0xaa
    G(x64_encode_sse_rri(b, X64_SSE_PSHUFLW, X64_XMM8, X64_XMM1, 0),
      "f2 44 0f 70 c1 00"); // pshuflw xmm8, xmm1, 0
    G(x64_encode_sse_rr(b, X64_SSE_BLENDVPS, X64_XMM1, X64_XMM2),
      "66 0f 38 14 ca"); // blendvps xmm1, xmm2, xmm0
    G(x64_encode_sse_rm(b, X64_SSE_PBLENDVB, X64_XMM8, x64_mem(X64_RAX, 0)),
      "66 44 0f 38 10 00"); // pblendvb xmm8, xmmword ptr [rax], xmm0
    G(x64_encode_sse_rr(b, X64_SSE_BLENDVPD, X64_XMM15, X64_XMM9),
      "66 45 0f 38 15 f9"); // blendvpd xmm15, xmm9, xmm0
    G(x64_encode_sse_rm(b, X64_SSE_MOVSS, X64_XMM0, x64_mem(X64_RSP, 4)),
      "f3 0f 10 44 24 04"); // movss xmm0, dword ptr [rsp+4]
    G(x64_encode_sse_mr(b, X64_SSE_MOVSS, x64_mem(X64_R12, 0), X64_XMM9),
      "f3 45 0f 11 0c 24"); // movss dword ptr [r12], xmm9
    G(x64_encode_sse_rr(b, X64_SSE_MOVSD, X64_XMM1, X64_XMM2), "f2 0f 10 ca"); // movsd xmm1, xmm2
    G(x64_encode_sse_rr(b, X64_SSE_MOVAPS, X64_XMM8, X64_XMM15),
      "45 0f 28 c7"); // movaps xmm8, xmm15
    G(x64_encode_sse_mr(b, X64_SSE_MOVUPS, x64_mem_index(X64_RAX, X64_RBX, 1, 0), X64_XMM0),
      "0f 11 04 18"); // movups xmmword ptr [rax+rbx*1], xmm0
    G(x64_encode_sse_rm(b, X64_SSE_MOVDQA, X64_XMM1, x64_mem_rip(0x100)),
      "66 0f 6f 0d 00 01 00 00"); // movdqa xmm1, xmmword ptr [rip+0x100]
    G(x64_encode_sse_mr(b, X64_SSE_MOVDQU, x64_mem(X64_R13, 0), X64_XMM14),
      "f3 45 0f 7f 75 00"); // movdqu xmmword ptr [r13], xmm14
    G(x64_encode_sse_rr(b, X64_SSE_MOVQ, X64_XMM0, X64_XMM1), "f3 0f 7e c1"); // movq xmm0, xmm1
    G(x64_encode_sse_rm(b, X64_SSE_MOVQ, X64_XMM9, x64_mem(X64_RAX, 0)),
      "f3 44 0f 7e 08"); // movq xmm9, qword ptr [rax]
    G(x64_encode_sse_mr(b, X64_SSE_MOVQ, x64_mem(X64_RAX, 0), X64_XMM9),
      "66 44 0f d6 08"); // movq qword ptr [rax], xmm9
    G(x64_encode_sse_mr(b, X64_SSE_MOVSD, x64_mem(X64_RBP, -8), X64_XMM3),
      "f2 0f 11 5d f8"); // movsd qword ptr [rbp-8], xmm3
    G(x64_encode_sse_rr(b, X64_SSE_MOVAPD, X64_XMM2, X64_XMM12),
      "66 41 0f 28 d4"); // movapd xmm2, xmm12
    G(x64_encode_sse_rm(b, X64_SSE_MOVLPS, X64_XMM0, x64_mem(X64_RAX, 0)),
      "0f 12 00"); // movlps xmm0, qword ptr [rax]
    G(x64_encode_sse_mr(b, X64_SSE_MOVHPS, x64_mem(X64_R8, 0), X64_XMM12),
      "45 0f 17 20"); // movhps qword ptr [r8], xmm12
    G(x64_encode_sse_rm(b, X64_SSE_MOVLPD, X64_XMM1, x64_mem(X64_RSP, 0)),
      "66 0f 12 0c 24"); // movlpd xmm1, qword ptr [rsp]
    G(x64_encode_sse_mr(b, X64_SSE_MOVHPD, x64_mem(X64_RBP, 0), X64_XMM2),
      "66 0f 17 55 00"); // movhpd qword ptr [rbp], xmm2
    G(x64_encode_sse_rr(b, X64_SSE_MOVHLPS, X64_XMM0, X64_XMM1), "0f 12 c1"); // movhlps xmm0, xmm1
    G(x64_encode_sse_rr(b, X64_SSE_MOVLHPS, X64_XMM8, X64_XMM15),
      "45 0f 16 c7"); // movlhps xmm8, xmm15
    G(x64_encode_sse_ri(b, X64_SSE_PSLLW_I, X64_XMM1, 3), "66 0f 71 f1 03"); // psllw xmm1, 3
    G(x64_encode_sse_ri(b, X64_SSE_PSRAD_I, X64_XMM9, 31), "66 41 0f 72 e1 1f"); // psrad xmm9, 31
    G(x64_encode_sse_ri(b, X64_SSE_PSRLQ_I, X64_XMM15, 63), "66 41 0f 73 d7 3f"); // psrlq xmm15, 63
    G(x64_encode_sse_ri(b, X64_SSE_PSLLDQ, X64_XMM0, 8), "66 0f 73 f8 08"); // pslldq xmm0, 8
    G(x64_encode_sse_ri(b, X64_SSE_PSRLDQ, X64_XMM12, 15), "66 41 0f 73 dc 0f"); // psrldq xmm12, 15
    G(x64_encode_sse_ri(b, X64_SSE_PSRAW_I, X64_XMM2, 15), "66 0f 71 e2 0f"); // psraw xmm2, 15
    G(x64_encode_sse_xg(b, X64_SSE_MOVD_XG, X64_XMM0, X64_RAX), "66 0f 6e c0"); // movd xmm0, eax
    G(x64_encode_sse_xg(b, X64_SSE_MOVQ_XG, X64_XMM8, X64_R15), "66 4d 0f 6e c7"); // movq xmm8, r15
    G(x64_encode_sse_xg(b, X64_SSE_CVTSI2SD64, X64_XMM1, X64_RAX),
      "f2 48 0f 2a c8"); // cvtsi2sd xmm1, rax
    G(x64_encode_sse_xg(b, X64_SSE_CVTSI2SS32, X64_XMM15, X64_R8),
      "f3 45 0f 2a f8"); // cvtsi2ss xmm15, r8d
    G(x64_encode_sse_rm(b, X64_SSE_CVTSI2SD32, X64_XMM0, x64_mem(X64_RAX, 0)),
      "f2 0f 2a 00"); // cvtsi2sd xmm0, dword ptr [rax]
    G(x64_encode_sse_rm(b, X64_SSE_CVTSI2SS64, X64_XMM2, x64_mem(X64_R13, 0)),
      "f3 49 0f 2a 55 00"); // cvtsi2ss xmm2, qword ptr [r13]
    G(x64_encode_sse_rm(b, X64_SSE_MOVD_XG, X64_XMM1, x64_mem(X64_R12, 0)),
      "66 41 0f 6e 0c 24"); // movd xmm1, dword ptr [r12]
    G(x64_encode_sse_xgi(b, X64_SSE_PINSRB, X64_XMM0, X64_RAX, 15),
      "66 0f 3a 20 c0 0f"); // pinsrb xmm0, eax, 15
    G(x64_encode_sse_xgi(b, X64_SSE_PINSRW, X64_XMM9, X64_R8, 7),
      "66 45 0f c4 c8 07"); // pinsrw xmm9, r8d, 7
    G(x64_encode_sse_rmi(b, X64_SSE_PINSRD, X64_XMM1, x64_mem(X64_RSP, 0), 3),
      "66 0f 3a 22 0c 24 03"); // pinsrd xmm1, dword ptr [rsp], 3
    G(x64_encode_sse_xgi(b, X64_SSE_PINSRQ, X64_XMM15, X64_RAX, 1),
      "66 4c 0f 3a 22 f8 01"); // pinsrq xmm15, rax, 1
    G(x64_encode_sse_rmi(b, X64_SSE_PINSRW, X64_XMM2, x64_mem(X64_RAX, 2), 1),
      "66 0f c4 50 02 01"); // pinsrw xmm2, word ptr [rax+2], 1
    G(x64_encode_sse_gx(b, X64_SSE_CVTTSD2SI64, X64_RAX, X64_XMM0),
      "f2 48 0f 2c c0"); // cvttsd2si rax, xmm0
    G(x64_encode_sse_gx(b, X64_SSE_CVTTSS2SI32, X64_R8, X64_XMM15),
      "f3 45 0f 2c c7"); // cvttss2si r8d, xmm15
    G(x64_encode_sse_gm(b, X64_SSE_CVTTSD2SI32, X64_RAX, x64_mem(X64_RSP, 0)),
      "f2 0f 2c 04 24"); // cvttsd2si eax, qword ptr [rsp]
    G(x64_encode_sse_gm(b, X64_SSE_CVTTSS2SI64, X64_R9, x64_mem(X64_RBP, 0)),
      "f3 4c 0f 2c 4d 00"); // cvttss2si r9, dword ptr [rbp]
    G(x64_encode_sse_gx(b, X64_SSE_CVTSD2SI64, X64_R12, X64_XMM1),
      "f2 4c 0f 2d e1"); // cvtsd2si r12, xmm1
    G(x64_encode_sse_gx(b, X64_SSE_MOVMSKPS, X64_RAX, X64_XMM9),
      "41 0f 50 c1"); // movmskps eax, xmm9
    G(x64_encode_sse_gx(b, X64_SSE_PMOVMSKB, X64_R10, X64_XMM1),
      "66 44 0f d7 d1"); // pmovmskb r10d, xmm1
    G(x64_encode_sse_gx(b, X64_SSE_MOVMSKPD, X64_R15, X64_XMM15),
      "66 45 0f 50 ff"); // movmskpd r15d, xmm15
    G(x64_encode_sse_gxi(b, X64_SSE_PEXTRW, X64_RAX, X64_XMM1, 7),
      "66 0f c5 c1 07"); // pextrw eax, xmm1, 7
    G(x64_encode_sse_gxi(b, X64_SSE_PEXTRW, X64_R9, X64_XMM10, 0),
      "66 45 0f c5 ca 00"); // pextrw r9d, xmm10, 0
    G(x64_encode_sse_gx(b, X64_SSE_MOVD_GX, X64_RAX, X64_XMM1), "66 0f 7e c8"); // movd eax, xmm1
    G(x64_encode_sse_gx(b, X64_SSE_MOVQ_GX, X64_R8, X64_XMM15), "66 4d 0f 7e f8"); // movq r8, xmm15
    G(x64_encode_sse_mr(b, X64_SSE_MOVD_GX, x64_mem(X64_RAX, 0), X64_XMM0),
      "66 0f 7e 00"); // movd dword ptr [rax], xmm0
    G(x64_encode_sse_gxi(b, X64_SSE_PEXTRB, X64_RAX, X64_XMM1, 15),
      "66 0f 3a 14 c8 0f"); // pextrb eax, xmm1, 15
    G(x64_encode_sse_gxi(b, X64_SSE_PEXTRD, X64_R9, X64_XMM12, 3),
      "66 45 0f 3a 16 e1 03"); // pextrd r9d, xmm12, 3
    G(x64_encode_sse_gxi(b, X64_SSE_PEXTRQ, X64_RAX, X64_XMM8, 1),
      "66 4c 0f 3a 16 c0 01"); // pextrq rax, xmm8, 1
    G(x64_encode_sse_mri(b, X64_SSE_PEXTRB, x64_mem(X64_RSP, 0), X64_XMM0, 1),
      "66 0f 3a 14 04 24 01"); // pextrb byte ptr [rsp], xmm0, 1
    G(x64_encode_sse_gxi(b, X64_SSE_EXTRACTPS, X64_RAX, X64_XMM1, 2),
      "66 0f 3a 17 c8 02"); // extractps eax, xmm1, 2
    G(x64_encode_sse_mri(b, X64_SSE_PEXTRW_MEM, x64_mem(X64_RAX, 0), X64_XMM1, 3),
      "66 0f 3a 15 08 03"); // pextrw word ptr [rax], xmm1, 3
    G(x64_encode_sse_mri(b, X64_SSE_PEXTRQ, x64_mem_rip(0), X64_XMM9, 1),
      "66 4c 0f 3a 16 0d 00 00 00 00 01"); // pextrq qword ptr [rip+0], xmm9, 1
}

#else

/*
 * Each row's enum name must start with its mnemonic (X64_SSE_PSLLW_I is "psllw",
 * X64_SSE_CVTSI2SS64 is "cvtsi2ss"), so the backend gets the instruction the name promises:
 * Capstone checks the opcode against the mnemonic, this checks the mnemonic against the name.
 */
static void
check_row_names(void)
{
    static const char *const names[X64_SSE_COUNT] = {
#define X64_SSE_NAME(nm, ...) #nm,
        X64_SSE_OPS(X64_SSE_NAME)
#undef X64_SSE_NAME
    };
    for (unsigned i = 0; i < X64_SSE_COUNT; i++) {
        const char *mn = x64_sse_op_name((X64SseOp)i);
        size_t len = strlen(mn);
        bool ok = len > 0 && len < 12 && strlen(names[i]) >= len;
        for (size_t k = 0; ok && k < len; k++)
            ok = names[i][k] == (char)(mn[k] >= 'a' && mn[k] <= 'z' ? mn[k] - 'a' + 'A' : mn[k]);
        char what[96];
        snprintf(what, sizeof what, "X64_SSE_%s has mnemonic \"%s\"", names[i], mn);
        et_require(ok, what);
    }
}

void
et_sse_exhaustive(void)
{
    check_row_names();
}

bool
et_sse_random_one(void)
{
    return true;
}

void
et_sse_golden(void)
{
}

#endif
