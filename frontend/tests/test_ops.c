/*
 * The opcode table (wasm_ops.def) and the two instruction readers. Every op is encoded
 * with sample immediates; the checked reader must decode it back to the same op and
 * immediates, consuming exactly its bytes, and the unchecked reader must agree.
 *
 * With arguments (the path of wabt's wasm-objdump, a scratch folder), the table is instead
 * checked against that independent implementation: a body holding every instruction is
 * disassembled and each mnemonic must equal our text name, in order. Without wasm-objdump
 * that test exits 77 (skipped).
 */
#include <stdio.h>
#include <stdlib.h>

#include "wasm_builder.h"

/* Encodes `op` with sample immediates into b (the samples are chosen to be nonzero). */
static void
encode(Buf *b, FeOp op)
{
    const FeOpInfo *info = &fe_op_info[op];
    if (info->prefix) {
        buf_byte(b, info->prefix);
        buf_u32(b, info->code);
    } else {
        buf_byte(b, (uint8_t)info->code);
    }
    switch ((FeImm)info->imm) {
    case FE_IMM_NONE:
        break;
    case FE_IMM_BLOCK:
        buf_byte(b, 0x40);
        break;
    case FE_IMM_LABEL:
    case FE_IMM_LOCAL:
    case FE_IMM_GLOBAL:
    case FE_IMM_TABLE:
    case FE_IMM_DATA:
    case FE_IMM_ELEM:
    case FE_IMM_FUNC:
        buf_u32(b, 300);
        break;
    case FE_IMM_BR_TABLE:
        buf_seq(b, 2, 1, 2, 3, -1);
        break;
    case FE_IMM_CALL_INDIRECT:
    case FE_IMM_ELEM_TABLE:
    case FE_IMM_TABLE_TABLE:
        buf_u32(b, 300);
        buf_u32(b, 2);
        break;
    case FE_IMM_MEMARG:
    case FE_IMM_MEMARG_LANE:
        buf_u32(b, info->n);
        buf_u32(b, 1000);
        if (info->imm == FE_IMM_MEMARG_LANE)
            buf_byte(b, 1);
        break;
    case FE_IMM_I32:
        buf_s64(b, -100000);
        break;
    case FE_IMM_I64:
        buf_s64(b, INT64_C(-10000000000));
        break;
    case FE_IMM_F32:
        buf_seq(b, 0x00, 0x00, 0x80, 0x3F, -1);  // 1.0f
        break;
    case FE_IMM_F64:
        buf_seq(b, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, -1);  // 1.0
        break;
    case FE_IMM_V128:
    case FE_IMM_SHUFFLE:
        for (int i = 0; i < 16; i++)
            buf_byte(b, (uint8_t)i);
        break;
    case FE_IMM_LANE:
        buf_byte(b, 1);
        break;
    case FE_IMM_REF_TYPE:
        buf_byte(b, FE_VT_EXTERNREF);
        break;
    case FE_IMM_SELECT_T:
        buf_seq(b, 1, FE_VT_F64, -1);
        break;
    case FE_IMM_MEMORY:
        buf_byte(b, 0);
        break;
    case FE_IMM_MEMORY_MEMORY:
        buf_seq(b, 0, 0, -1);
        break;
    case FE_IMM_DATA_MEMORY:
        buf_u32(b, 300);
        buf_byte(b, 0);
        break;
    case FE_IMM_COUNT:
        break;
    }
}

/* The sample immediates encode() wrote, as the readers must report them. */
static void
check_imms(FeOp op, const FeInstr *ins)
{
    const FeOpInfo *info = &fe_op_info[op];
    switch ((FeImm)info->imm) {
    case FE_IMM_BLOCK:
        CHECK_EQ(ins->v.block_type, FE_BLOCKTYPE_EMPTY);
        break;
    case FE_IMM_LABEL:
    case FE_IMM_LOCAL:
    case FE_IMM_GLOBAL:
    case FE_IMM_TABLE:
    case FE_IMM_DATA:
    case FE_IMM_ELEM:
    case FE_IMM_FUNC:
        CHECK_EQ(ins->idx, 300);
        break;
    case FE_IMM_BR_TABLE: {
        CHECK_EQ(ins->v.count, 2);
        CHECK_EQ(ins->idx, 3);
        const uint8_t *p = ins->ptr;
        CHECK_EQ(fe_u32_trusted(&p), 1);
        CHECK_EQ(fe_u32_trusted(&p), 2);
        break;
    }
    case FE_IMM_CALL_INDIRECT:
    case FE_IMM_ELEM_TABLE:
    case FE_IMM_TABLE_TABLE:
        CHECK_EQ(ins->idx, 300);
        CHECK_EQ(ins->idx2, 2);
        break;
    case FE_IMM_MEMARG:
    case FE_IMM_MEMARG_LANE:
        CHECK_EQ(ins->align, info->n);
        CHECK_EQ(ins->v.offset, 1000);
        if (info->imm == FE_IMM_MEMARG_LANE)
            CHECK_EQ(ins->lane, 1);
        break;
    case FE_IMM_I32:
        CHECK_EQ(ins->v.i32, -100000);
        break;
    case FE_IMM_I64:
        CHECK_EQ(ins->v.i64, INT64_C(-10000000000));
        break;
    case FE_IMM_F32:
        CHECK_EQ(ins->v.f32_bits, 0x3F800000);
        break;
    case FE_IMM_F64:
        CHECK(ins->v.f64_bits == UINT64_C(0x3FF0000000000000));
        break;
    case FE_IMM_V128:
    case FE_IMM_SHUFFLE:
        CHECK(ins->ptr && ins->ptr[15] == 15);
        break;
    case FE_IMM_LANE:
        CHECK_EQ(ins->lane, 1);
        break;
    case FE_IMM_REF_TYPE:
        CHECK_EQ(ins->idx, FE_VT_EXTERNREF);
        break;
    case FE_IMM_SELECT_T:
        CHECK_EQ(ins->v.count, 1);
        CHECK(ins->ptr && ins->ptr[0] == FE_VT_F64);
        break;
    case FE_IMM_DATA_MEMORY:
        CHECK_EQ(ins->idx, 300);
        CHECK_EQ(ins->idx2, 0);
        break;
    default:
        break;
    }
}

static void
test_table(void)
{
    int per_prefix[3] = {0, 0, 0};
    for (int op = 1; op < FE_OP_COUNT; op++) {
        const FeOpInfo *info = &fe_op_info[op];
        /* The lookup finds every op under its own encoding. */
        CHECK_EQ(fe_op_lookup(info->prefix, info->code), op);
        CHECK(info->name && info->name[0]);
        per_prefix[info->prefix == 0 ? 0 : info->prefix == 0xFC ? 1 : 2]++;
        /* Signatures use the documented letters; memory ops have a natural alignment. */
        const char *s = info->sig;
        if (strcmp(s, "*") != 0) {
            CHECK(strchr(s, ':') != NULL);
            for (; *s; s++)
                CHECK(strchr("ilfdv:", *s) != NULL);
        }
        if (info->imm == FE_IMM_MEMARG || info->imm == FE_IMM_MEMARG_LANE)
            CHECK(info->n <= 4);
        if (info->imm == FE_IMM_LANE || info->imm == FE_IMM_MEMARG_LANE)
            CHECK(info->n <= 3);
    }
    /* The 0xFC space is dense in 2.0: sub-opcodes 0..17. */
    CHECK_EQ(per_prefix[1], 18);
    for (uint32_t code = 0; code < 18; code++)
        CHECK(fe_op_lookup(0xFC, code) != FE_OP_NONE);
    CHECK_EQ(fe_op_lookup(0xFC, 18), FE_OP_NONE);
    CHECK_EQ(fe_op_lookup(0xFD, 0x100), FE_OP_NONE);
    CHECK_EQ(fe_op_lookup(0, 0x06), FE_OP_NONE);
    CHECK_EQ(fe_op_lookup(0, 0xFC), FE_OP_NONE);
    CHECK_STR(fe_op_name(FE_OP_I8X16_SHUFFLE), "i8x16.shuffle");
    CHECK_STR(fe_op_name(FE_OP_I32_TRUNC_SAT_F64_U), "i32.trunc_sat_f64_u");
}

static void
test_round_trip(void)
{
    for (int op = 1; op < FE_OP_COUNT; op++) {
        Buf b = {0};
        encode(&b, (FeOp)op);
        buf_seq(&b, 0xEE, 0xEE, 0xEE, 0xEE, -1);  // the next bytes must stay unread
        size_t len = b.len - 4;
        SkDiag d;
        memset(&d, 0, sizeof(d));
        FeInstr ins, fast;
        memset(&ins, 0, sizeof(ins));
        memset(&fast, 0, sizeof(fast));
        const uint8_t *p = b.data;
        if (!fe_instr_read(b.data, &p, b.data + b.len, 0, &ins, &d)) {
            fprintf(stderr, "%s: %s\n", fe_op_info[op].name, d.message);
            check_failures++;
        } else {
            CHECK_EQ(ins.op, op);
            CHECK_EQ(p - b.data, len);
            check_imms((FeOp)op, &ins);
            const uint8_t *q = fe_instr_read_trusted(b.data, &fast);
            CHECK_EQ(fast.op, op);
            CHECK_EQ(q - b.data, len);
            check_imms((FeOp)op, &fast);
        }
        /* Every proper prefix of the encoding is truncated input. */
        for (size_t cut = 0; cut < len; cut++) {
            memset(&d, 0, sizeof(d));
            p = b.data;
            if (fe_instr_read(b.data, &p, b.data + cut, 0, &ins, &d)) {
                fprintf(stderr, "%s decoded from %zu of its %zu bytes\n", fe_op_info[op].name,
                        cut, len);
                check_failures++;
            }
        }
        buf_free(&b);
    }
}

/*
 * Writes a module whose one body holds every instruction (not a valid body: only the
 * encoding matters) and compares wasm-objdump's mnemonics with our names, in order.
 */
static int
test_against_wabt(const char *objdump, const char *workdir)
{
    Buf body = {0}, m = {0}, s = {0};
    buf_byte(&body, 0);
    for (int op = 1; op < FE_OP_COUNT; op++)
        encode(&body, (FeOp)op);
    mod_header(&m);
    buf_seq(&s, 1, 0x60, 0, 0, -1);
    mod_section(&m, 1, &s);
    buf_seq(&s, 1, 0, -1);
    mod_section(&m, 3, &s);
    buf_seq(&s, 1, 0, 1, -1);  // wabt's reader wants a memory for memory instructions
    mod_section(&m, 5, &s);
    buf_seq(&s, 0, -1);  // and a data count section for memory.init and data.drop
    mod_section(&m, 12, &s);
    buf_byte(&s, 1);
    buf_u32(&s, (uint32_t)body.len);
    buf_bytes(&s, body.data, body.len);
    mod_section(&m, 10, &s);

    char path[1024], cmd[3072];
    snprintf(path, sizeof(path), "%s/test_ops_all.wasm", workdir);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(m.data, 1, m.len, f) != m.len) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    fclose(f);
    snprintf(cmd, sizeof(cmd), "'%s' -d '%s'", objdump, path);
    FILE *out = popen(cmd, "r");
    if (!out) {
        fprintf(stderr, "cannot run %s\n", cmd);
        return 1;
    }
    char line[4096];
    int op = 1, compared = 0;
    while (fgets(line, sizeof(line), out)) {
        /* Instruction lines look like " 00001a: 41 00    | i32.const 0". */
        char *bar = strchr(line, '|');
        if (!bar || !strchr(line, ':'))
            continue;
        char *mn = bar + 1;
        while (*mn == ' ')
            mn++;
        size_t n = strcspn(mn, " \n");
        if (n == 0 || op >= FE_OP_COUNT)
            continue;
        /* The last `end` closes the function body and is ours too (FE_OP_END appears in the
         * table in order); wabt prints blocks' ends the same way. */
        if (strlen(fe_op_info[op].name) != n || strncmp(mn, fe_op_info[op].name, n) != 0) {
            fprintf(stderr, "op %d: we say %s (prefix 0x%02x code 0x%02x), wasm-objdump says "
                    "%.*s\n", op, fe_op_info[op].name, fe_op_info[op].prefix,
                    fe_op_info[op].code, (int)n, mn);
            check_failures++;
        }
        op++;
        compared++;
    }
    pclose(out);
    if (compared != FE_OP_COUNT - 1) {
        fprintf(stderr, "wasm-objdump showed %d instructions, the table has %d\n", compared,
                FE_OP_COUNT - 1);
        check_failures++;
    }
    printf("compared %d instruction names with %s\n", compared, objdump);
    buf_free(&m);
    buf_free(&body);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc >= 3) {
        if (!argv[1][0] || strstr(argv[1], "NOTFOUND")) {
            printf("skipped: wabt's wasm-objdump was not found when configuring\n");
            return SKIP;
        }
        if (test_against_wabt(argv[1], argv[2]))
            return 1;
        return check_exit();
    }
    test_table();
    test_round_trip();
    return check_exit();
}
