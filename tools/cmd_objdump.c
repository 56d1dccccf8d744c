/*
 * skua objdump FILE.(wasm|skua) [--func NAME]: the machine code of a compiled module, per
 * wasm function, disassembled with Capstone. A wasm module is compiled in memory for this
 * host first; a .skua file is read as it is (any target: a cross-compiled file disassembles
 * too). Each function is headed by its index and its name (name section, else export name);
 * instructions are listed at their offsets in the module's code blob, with the trap sites of
 * the trap table marked ("; trap: out of bounds memory access") and the targets of calls,
 * jumps to other functions and builtin slots named. Without --func, the trampolines and the
 * builtin address slots at the end of the blob follow the functions.
 *
 * `skua compile --emit=asm` prints the same listing (cli_disasm_module). Capstone is used by
 * tools/ only, never by the libraries; a skua built without it says so and exits 2.
 *
 * Exit status: 0 success, 1 invalid module or file, 2 usage or I/O error, or no Capstone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "runtime/skua.h"
#include "tools/cli.h"
#include "tools/compile_driver.h"

#ifdef SKUA_HAVE_CAPSTONE
#define CAPSTONE_AARCH64_COMPAT_HEADER
#include <capstone/capstone.h>
#endif

static const char *const trap_messages[] = {
#define TRAP_MESSAGE(name, msg) msg,
    RT_TRAP_KINDS(TRAP_MESSAGE)
#undef TRAP_MESSAGE
};

static const char *const builtin_names[] = {
    "none",
#define BUILTIN_NAME(name, sig) #name,
    RT_BUILTINS(BUILTIN_NAME)
#undef BUILTIN_NAME
};

/* ---- what lives where in the code blob ------------------------------------------------------ */

typedef enum RegionKind { REGION_FUNC, REGION_ENTRY_TRAMP, REGION_HOST_TRAMP } RegionKind;

/* A function or trampoline: code[start .. end). */
typedef struct Region {
    uint32_t start, end;
    RegionKind kind;
    uint32_t index;  // function index or type index
} Region;

typedef struct Listing {
    const RtCompiledModule *cm;
    Region *regions;  // sorted by start
    uint32_t nregions;
    uint32_t code_end;  // end of the last region (builtin slots follow)
    FILE *out;
} Listing;

/* The name of function `fi`: from the name section, else its first export name, else NULL. */
static const char *
func_name(const RtCompiledModule *cm, uint32_t fi)
{
    const char *n = rt_cmodule_str(cm, cm->funcs[fi].name);
    if (n[0])
        return n;
    for (uint32_t i = 0; i < cm->nexports; i++)
        if (cm->exports[i].kind == RT_EXTERN_FUNC && cm->exports[i].index == fi &&
            cm->exports[i].name.len)
            return rt_cmodule_str(cm, cm->exports[i].name);
    return NULL;
}

static int
region_cmp(const void *a, const void *b)
{
    const Region *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* Collects functions and trampolines, sorted by start; ends are the next start. */
static bool
listing_init(Listing *l, const RtCompiledModule *cm, FILE *out)
{
    memset(l, 0, sizeof *l);
    l->cm = cm;
    l->out = out;
    size_t cap = (size_t)cm->nfuncs + 2 * (size_t)cm->ntypes + 1;
    l->regions = calloc(cap, sizeof(Region));
    if (!l->regions)
        return false;
    for (uint32_t i = cm->nimported_funcs; i < cm->nfuncs; i++)
        l->regions[l->nregions++] = (Region){cm->funcs[i].code_offset,
                                             cm->funcs[i].code_offset + cm->funcs[i].code_size,
                                             REGION_FUNC, i};
    for (uint32_t i = 0; i < cm->ntypes; i++) {
        uint32_t e = cm->types[i].entry_tramp, h = cm->types[i].host_tramp;
        bool shared_e = false, shared_h = false;  // types with equal signatures share them
        for (uint32_t j = 0; j < i; j++) {
            shared_e |= cm->types[j].entry_tramp == e;
            shared_h |= cm->types[j].host_tramp == h;
        }
        if (e != RT_CM_NONE && !shared_e)
            l->regions[l->nregions++] = (Region){e, 0, REGION_ENTRY_TRAMP, i};
        if (h != RT_CM_NONE && !shared_h)
            l->regions[l->nregions++] = (Region){h, 0, REGION_HOST_TRAMP, i};
    }
    qsort(l->regions, l->nregions, sizeof(Region), region_cmp);
    /* A trampoline ends where the next region starts; the last one where the builtin slots
     * start (8-byte data words at the end of the blob, each with a relocation), else at the
     * end of the blob. */
    uint32_t last_start = l->nregions ? l->regions[l->nregions - 1].start : 0;
    uint32_t slots = cm->code_size;
    for (uint32_t i = 0; i < cm->nrelocs; i++) {
        uint32_t at = cm->relocs[i].offset;
        if (at <= last_start || at >= slots)
            continue;
        bool in_func = false;
        for (uint32_t k = 0; k < l->nregions && !in_func; k++)
            in_func = l->regions[k].kind == REGION_FUNC && at >= l->regions[k].start &&
                      at < l->regions[k].end;
        if (!in_func)
            slots = at;
    }
    for (uint32_t i = 0; i < l->nregions; i++) {
        Region *r = &l->regions[i];
        uint32_t next = i + 1 < l->nregions ? l->regions[i + 1].start : slots;
        if (r->kind != REGION_FUNC)
            r->end = next > r->start ? next : r->start;
        if (r->end > l->code_end)
            l->code_end = r->end;
    }
    return true;
}

/* Names a code offset that an instruction refers to; returns false for a plain address. */
static bool
describe_target(const Listing *l, uint64_t addr, char *buf, size_t size)
{
    const RtCompiledModule *cm = l->cm;
    for (uint32_t i = 0; i < l->nregions; i++) {
        const Region *r = &l->regions[i];
        if (r->start != addr)
            continue;
        if (r->kind == REGION_FUNC) {
            const char *n = func_name(cm, r->index);
            snprintf(buf, size, "func %u%s%s%s", r->index, n ? " <" : "", n ? n : "",
                     n ? ">" : "");
        } else {
            snprintf(buf, size, "%s trampoline (type %u)",
                     r->kind == REGION_ENTRY_TRAMP ? "entry" : "host-call", r->index);
        }
        return true;
    }
    for (uint32_t i = 0; i < cm->nrelocs; i++) {
        const RtCmReloc *r = &cm->relocs[i];
        if (r->offset != addr)
            continue;
        if (r->sym_kind == RT_SYM_BUILTIN && r->sym < RT_BUILTIN_COUNT)
            snprintf(buf, size, "builtin %s", builtin_names[r->sym]);
        else
            snprintf(buf, size, "address of code 0x%x", r->sym);
        return true;
    }
    return false;
}

static void
print_header(const Listing *l, const char *path)
{
    const RtCompiledModule *cm = l->cm;
    char feats[200];
    rt_cpu_features_format(cm->target, cm->cpu_features, feats, sizeof feats);
    fprintf(l->out, "%s: %s, %u bytes of code, %u functions (%u imported), %u trap sites\n",
            path, rt_target_name(cm->target), cm->code_size, cm->nfuncs, cm->nimported_funcs,
            cm->ntraps);
    fprintf(l->out, "CPU features: %s; memory bounds: %s\n", feats,
            (cm->flags & RT_CM_EXPLICIT_BOUNDS) ? "explicit checks" : "guard regions");
}

#ifdef SKUA_HAVE_CAPSTONE

/* The first trap record inside [start, end), from index *cursor on (records are sorted). */
static const RtCmTrap *
trap_in(const RtCompiledModule *cm, uint32_t *cursor, uint64_t start, uint64_t end)
{
    while (*cursor < cm->ntraps && cm->traps[*cursor].offset < start)
        (*cursor)++;
    if (*cursor < cm->ntraps && cm->traps[*cursor].offset < end)
        return &cm->traps[*cursor];
    return NULL;
}

/* The code offset an instruction refers to (branch/call target, literal or rip-relative
 * slot), if any. */
static bool
insn_target(csh cs, const cs_insn *insn, uint32_t target, uint64_t *out)
{
    if (!insn->detail)
        return false;
    (void)cs;
    if (target == RT_TARGET_X86_64) {
        const cs_x86 *x = &insn->detail->x86;
        for (uint8_t i = 0; i < x->op_count; i++) {
            const cs_x86_op *op = &x->operands[i];
            if (op->type == X86_OP_MEM && op->mem.base == X86_REG_RIP) {
                *out = insn->address + insn->size + (uint64_t)op->mem.disp;
                return true;
            }
            if (op->type == X86_OP_IMM && (insn->id == X86_INS_CALL || insn->id == X86_INS_JMP)) {
                *out = (uint64_t)op->imm;
                return true;
            }
        }
    } else {
        const cs_arm64 *a = &insn->detail->arm64;
        for (uint8_t i = 0; i < a->op_count; i++)
            if (a->operands[i].type == ARM64_OP_IMM &&
                (insn->id == ARM64_INS_BL || insn->id == ARM64_INS_B ||
                 insn->id == ARM64_INS_LDR || insn->id == ARM64_INS_ADR)) {
                *out = (uint64_t)a->operands[i].imm;
                return true;
            }
    }
    return false;
}

/* Disassembles code[start .. end) with trap sites and targets marked. */
static void
disasm_range(const Listing *l, csh cs, uint32_t start, uint32_t end)
{
    const RtCompiledModule *cm = l->cm;
    cs_insn *insn = cs_malloc(cs);
    const uint8_t *code = cm->code + start;
    size_t left = end - start;
    uint64_t addr = start;
    uint32_t trap_cursor = 0;
    uint32_t step = cm->target == RT_TARGET_X86_64 ? 1 : 4;
    while (left > 0) {
        char bytes[64];
        char note[200];
        note[0] = '\0';
        if (!cs_disasm_iter(cs, &code, &left, &addr, insn)) {
            uint32_t n = (uint32_t)(left < step ? left : step);
            int len = 0;
            for (uint32_t i = 0; i < n; i++)
                len += snprintf(bytes + len, sizeof bytes - (size_t)len, "%02x ", code[i]);
            fprintf(l->out, "  %6llx:  %-24s (bad)\n", (unsigned long long)addr, bytes);
            code += n;
            left -= n;
            addr += n;
            continue;
        }
        int len = 0;
        for (uint16_t i = 0; i < insn->size && len < 40; i++)
            len += snprintf(bytes + len, sizeof bytes - (size_t)len, "%02x ", insn->bytes[i]);
        const RtCmTrap *t = trap_in(cm, &trap_cursor, insn->address, insn->address + insn->size);
        uint64_t target;
        char what[120];
        if (t) {
            const char *msg = t->kind < RT_TRAP_COUNT ? trap_messages[t->kind] : "?";
            snprintf(note, sizeof note, "  ; trap: %s", msg);
        } else if (insn_target(cs, insn, cm->target, &target) &&
                   describe_target(l, target, what, sizeof what)) {
            snprintf(note, sizeof note, "  ; %s", what);
        }
        fprintf(l->out, "  %6llx:  %-24s %s%s%s%s\n", (unsigned long long)insn->address,
                bytes, insn->mnemonic, insn->op_str[0] ? " " : "", insn->op_str, note);
    }
    cs_free(insn, 1);
}

static void
print_region(const Listing *l, csh cs, const Region *r)
{
    const RtCompiledModule *cm = l->cm;
    fputc('\n', l->out);
    if (r->kind == REGION_FUNC) {
        const char *n = func_name(cm, r->index);
        fprintf(l->out, "func %u%s%s%s:  ; code 0x%x, %u bytes\n", r->index, n ? " <" : "",
                n ? n : "", n ? ">" : "", r->start, r->end - r->start);
    } else {
        fprintf(l->out, "%s trampoline for type %u:  ; code 0x%x, %u bytes\n",
                r->kind == REGION_ENTRY_TRAMP ? "entry" : "host-call", r->index, r->start,
                r->end - r->start);
    }
    /* A trampoline's extent is up to the next region, so it includes the alignment padding
     * (x86_64 pads with int3): summarized. A function's size excludes its padding. */
    uint32_t end = r->end;
    if (cm->target == RT_TARGET_X86_64 && r->kind != REGION_FUNC)
        while (end > r->start && cm->code[end - 1] == 0xCC)
            end--;
    disasm_range(l, cs, r->start, end);
    if (end < r->end)
        fprintf(l->out, "  %6x:  (%u bytes of int3 padding)\n", end, r->end - end);
}

/* The builtin address slots: 8-byte data words the loader fills in. */
static void
print_slots(const Listing *l)
{
    const RtCompiledModule *cm = l->cm;
    bool any = false;
    for (uint32_t i = 0; i < cm->nrelocs; i++) {
        const RtCmReloc *r = &cm->relocs[i];
        if (r->offset < l->code_end)
            continue;
        if (!any)
            fputs("\nbuiltin address slots (filled in by the loader):\n", l->out);
        any = true;
        char what[120];
        describe_target(l, r->offset, what, sizeof what);
        fprintf(l->out, "  %6x:  .quad %s\n", r->offset, what);
    }
}

int
cli_disasm_module(const RtCompiledModule *cm, const char *path, const char *func, FILE *out)
{
    uint32_t only = RT_CM_NONE;
    if (func) {
        char *end;
        unsigned long v = strtoul(func, &end, 10);
        if (*func && !*end && v < cm->nfuncs) {
            only = (uint32_t)v;
        } else {
            for (uint32_t i = 0; i < cm->nfuncs && only == RT_CM_NONE; i++) {
                const char *n = rt_cmodule_str(cm, cm->funcs[i].name);
                if (!strcmp(n, func))
                    only = i;
            }
            for (uint32_t i = 0; i < cm->nexports && only == RT_CM_NONE; i++)
                if (cm->exports[i].kind == RT_EXTERN_FUNC &&
                    !strcmp(rt_cmodule_str(cm, cm->exports[i].name), func))
                    only = cm->exports[i].index;
        }
        if (only == RT_CM_NONE) {
            cli_error("%s: no function named '%s'", path, func);
            return CLI_EXIT_USAGE;
        }
        if (only < cm->nimported_funcs) {
            cli_error("%s: function %s is imported: it has no code", path, func);
            return CLI_EXIT_USAGE;
        }
    }
    csh cs;
    cs_err e = cm->target == RT_TARGET_X86_64 ? cs_open(CS_ARCH_X86, CS_MODE_64, &cs)
                                              : cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs);
    if (e != CS_ERR_OK) {
        cli_error("capstone: %s", cs_strerror(e));
        return CLI_EXIT_USAGE;
    }
    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
    Listing l;
    if (!listing_init(&l, cm, out)) {
        cs_close(&cs);
        cli_error("out of memory");
        return CLI_EXIT_USAGE;
    }
    print_header(&l, path);
    for (uint32_t i = 0; i < l.nregions; i++) {
        const Region *r = &l.regions[i];
        if (only != RT_CM_NONE && (r->kind != REGION_FUNC || r->index != only))
            continue;
        print_region(&l, cs, r);
    }
    if (only == RT_CM_NONE)
        print_slots(&l);
    free(l.regions);
    cs_close(&cs);
    return CLI_EXIT_OK;
}

#else

int
cli_disasm_module(const RtCompiledModule *cm, const char *path, const char *func, FILE *out)
{
    (void)cm;
    (void)func;
    (void)out;
    cli_error("%s: disassembly is unavailable: this skua was built without Capstone "
              "(install libcapstone-dev and build again)", path);
    return CLI_EXIT_USAGE;
}

#endif

static void
usage(FILE *to)
{
    fputs("usage: skua objdump [--func NAME|INDEX] FILE\n"
          "Disassembles the machine code of FILE (a .wasm module, compiled for this machine\n"
          "first, or a .skua file of any target) per function, with trap sites marked.\n"
          "  --func NAME|INDEX  only this function (name section or export name, or index)\n"
          "Exit status: 0 success, 1 invalid module or file, 2 usage or I/O error, or no\n"
          "Capstone.\n",
          to);
}

int
cli_cmd_objdump(int argc, char **argv)
{
    const char *path = NULL, *func = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--func") && i + 1 < argc) {
            func = argv[++i];
        } else if (!strncmp(a, "--func=", 7)) {
            func = a + 7;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            cli_error("objdump: unknown option '%s'", a);
            usage(stderr);
            return CLI_EXIT_USAGE;
        } else if (path) {
            cli_error("objdump: one input file only ('%s' and '%s')", path, a);
            return CLI_EXIT_USAGE;
        } else {
            path = a;
        }
    }
    if (!path) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    uint8_t *bytes;
    size_t size;
    if (!cli_read_file(path, &bytes, &size))
        return CLI_EXIT_USAGE;
    RtCompiledModule *cm = NULL;
    int status = CLI_EXIT_BAD_INPUT;
    if (skua_compiled_is_file(bytes, size)) {
        SkuaError err;
        memset(&err, 0, sizeof err);
        cm = skua_compiled_deserialize(bytes, size, false, &err);
        if (!cm)
            fprintf(stderr, "%s: error: %s\n", path, err.message);
    } else if (size >= 4 && !memcmp(bytes, "\0asm", 4)) {
        CliCompileOptions o;
        cli_compile_options_host(&o);
        SkDiag d;
        memset(&d, 0, sizeof d);
        if (!cli_compile_wasm(bytes, size, &o, &cm, NULL, &d)) {
            fprintf(stderr, "%s:0x%llx: error: %s\n", path, (unsigned long long)d.offset,
                    d.message);
            if (d.kind == SK_DIAG_OUT_OF_MEMORY)
                status = CLI_EXIT_USAGE;
        }
    } else {
        fprintf(stderr, "%s: error: not a WebAssembly module or .skua file (bad magic)\n", path);
    }
    free(bytes);
    if (cm) {
        status = cli_disasm_module(cm, path, func, stdout);
        skua_compiled_free(cm);
    }
    return status;
}
