/*
 * frontend: decode and validate WebAssembly 2.0 binary modules (the first layer of the
 * pipeline in DESIGN.md), and translate validated function bodies into SSA IR.
 *
 * Lifetime: an FeModule points into the input bytes (function bodies, data segment
 * contents), so the caller keeps the bytes alive until fe_module_free(). Everything else the
 * module holds lives in its own arena. Errors are reported through SkDiag (ir/diag.h) with the
 * spec testsuite's wording first and the byte offset of the offending byte.
 */
#ifndef SKUA_FRONTEND_H
#define SKUA_FRONTEND_H

#include "frontend/wasm_ops.h"
#include "ir/arena.h"
#include "ir/diag.h"

/* Value types, numbered by their binary encoding. */
typedef enum FeValType {
    FE_VT_NONE = 0,
    FE_VT_I32 = 0x7F,
    FE_VT_I64 = 0x7E,
    FE_VT_F32 = 0x7D,
    FE_VT_F64 = 0x7C,
    FE_VT_V128 = 0x7B,
    FE_VT_FUNCREF = 0x70,
    FE_VT_EXTERNREF = 0x6F,
} FeValType;

/* External kinds, numbered by their binary encoding. */
typedef enum FeExternKind {
    FE_EXTERN_FUNC = 0,
    FE_EXTERN_TABLE = 1,
    FE_EXTERN_MEMORY = 2,
    FE_EXTERN_GLOBAL = 3,
    FE_EXTERN_COUNT
} FeExternKind;

/*
 * Feature flags; FE_FEATURES_WASM2 is the default (everything in WebAssembly 2.0). A
 * disabled feature makes its instructions illegal opcodes (the feature column of
 * wasm_ops.def); types and section forms are not gated yet.
 */
enum {
    FE_FEATURE_SIGN_EXT = 1u << 0,
    FE_FEATURE_SAT_TRUNC = 1u << 1,
    FE_FEATURE_MULTI_VALUE = 1u << 2,
    FE_FEATURE_BULK_MEMORY = 1u << 3,
    FE_FEATURE_REFERENCE_TYPES = 1u << 4,
    FE_FEATURE_SIMD = 1u << 5,
    FE_FEATURES_WASM2 = (1u << 6) - 1,
};

/* A name: UTF-8 (validated), NUL-terminated copy in the module arena. */
typedef struct FeName {
    const char *str;
    uint32_t len;
} FeName;

typedef struct FeFuncType {
    uint32_t nparams;
    uint32_t nresults;
    const uint8_t *params;   // FeValType each
    const uint8_t *results;  // FeValType each
} FeFuncType;

typedef struct FeLimits {
    uint64_t min;
    uint64_t max;  // meaningful when has_max
    bool has_max;
} FeLimits;

/*
 * A constant expression. In WebAssembly 2.0 it is one instruction followed by `end`; `op`
 * says which. `offset`/`size` give the expression's bytes in the input (for diagnostics and
 * for later proposals such as extended-const).
 */
typedef enum FeConstOp {
    FE_CONST_NONE = 0,
    FE_CONST_I32,         // value.i32
    FE_CONST_I64,         // value.i64
    FE_CONST_F32,         // value.f32_bits
    FE_CONST_F64,         // value.f64_bits
    FE_CONST_V128,        // value.v128
    FE_CONST_REF_NULL,    // type = reference type
    FE_CONST_REF_FUNC,    // index = function index
    FE_CONST_GLOBAL_GET,  // index = global index (an imported, immutable global)
    FE_CONST_COUNT
} FeConstOp;

typedef struct FeConstExpr {
    uint8_t op;    // FeConstOp
    uint8_t type;  // FeValType of the result
    uint32_t index;
    union {
        uint32_t i32;
        uint64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        uint8_t v128[16];
    } value;
    uint32_t offset;
    uint32_t size;
} FeConstExpr;

typedef struct FeImport {
    FeName module;
    FeName name;
    uint8_t kind;    // FeExternKind
    uint32_t index;  // index in the function/table/memory/global index space
} FeImport;

typedef struct FeExport {
    FeName name;
    uint8_t kind;  // FeExternKind
    uint32_t index;
} FeExport;

typedef struct FeFunc {
    uint32_t type_index;
    bool imported;
    uint32_t body_offset;  // offset of the body (its locals vector) in the input; 0 if imported
    uint32_t body_size;    // bytes of the body, locals included, up to and including the final end
} FeFunc;

typedef struct FeTable {
    uint8_t elem_type;  // FE_VT_FUNCREF or FE_VT_EXTERNREF
    bool imported;
    FeLimits limits;    // in elements
} FeTable;

typedef struct FeMemory {
    bool imported;
    FeLimits limits;    // in 64 KiB pages
} FeMemory;

typedef struct FeGlobal {
    uint8_t type;  // FeValType
    bool mutable_;
    bool imported;
    FeConstExpr init;  // meaningful for defined globals
} FeGlobal;

typedef enum FeSegmentMode {
    FE_SEGMENT_ACTIVE = 0,
    FE_SEGMENT_PASSIVE = 1,
    FE_SEGMENT_DECLARATIVE = 2,  // element segments only
} FeSegmentMode;

typedef struct FeElemSegment {
    uint8_t mode;       // FeSegmentMode
    uint8_t elem_type;  // FE_VT_FUNCREF or FE_VT_EXTERNREF
    uint32_t table;     // active segments
    FeConstExpr offset; // active segments
    uint32_t nitems;
    FeConstExpr *items; // each REF_FUNC, REF_NULL or GLOBAL_GET (function-index vectors too)
} FeElemSegment;

typedef struct FeDataSegment {
    uint8_t mode;        // FE_SEGMENT_ACTIVE or FE_SEGMENT_PASSIVE
    uint32_t memory;
    FeConstExpr offset;  // active segments
    uint32_t size;
    const uint8_t *bytes;  // points into the input
} FeDataSegment;

/* Names from the `name` custom section (a malformed name section is ignored, never fatal). */
typedef struct FeNameEntry {
    uint32_t index;
    FeName name;
} FeNameEntry;

typedef struct FeLocalNames {
    uint32_t func_index;
    uint32_t nnames;
    FeNameEntry *names;  // sorted by local index
} FeLocalNames;

/*
 * What the validator, which decodes every instruction anyway, records about one function
 * body for the translator, so that the translator needs no pre-scan of its own and creates
 * no block parameters for dead values. All NULL/0 when absent (a body declaring far more
 * locals than it has bytes).
 *
 * live_until[x] (per local): an offset in FeModule.bytes after which local x is never read;
 * at any position past it the local's value is dead. It is the last local.get's offset or,
 * if that read lies inside a loop, the offset of the `end` of the outermost loop around it
 * (a read in a loop may see a value set later in the loop). 0 if never read.
 *
 * loop_sets[loop_ranges[2k] .. loop_ranges[2k + 1]) (k: the loop's ordinal in the body,
 * dead loops included): the locals that loop k sets (local.set, local.tee), in order of
 * first set. A nested loop's range lies inside its parents' ranges, so a local may appear
 * more than once in a range (once per nested loop), never twice in a loop's own records.
 */
typedef struct FeFuncHints {
    const uint32_t *live_until;
    const uint32_t *loop_ranges;  // 2 * nloops entries
    const uint32_t *loop_sets;
    uint32_t nlocals, nloops;
} FeFuncHints;

typedef struct FeModule {
    SkArena arena;
    const uint8_t *bytes;  // the input; not owned
    size_t size;
    uint32_t features;     // FE_FEATURE_* bits the module was decoded with

    FeFuncType *types;
    uint32_t ntypes;
    FeImport *imports;
    uint32_t nimports;
    FeFunc *funcs;  // imported functions first
    uint32_t nfuncs, nimported_funcs;
    FeTable *tables;
    uint32_t ntables, nimported_tables;
    FeMemory *memories;
    uint32_t nmemories, nimported_memories;
    FeGlobal *globals;
    uint32_t nglobals, nimported_globals;
    FeExport *exports;
    uint32_t nexports;
    uint32_t start_func;  // UINT32_MAX if none
    FeElemSegment *elems;
    uint32_t nelems;
    FeDataSegment *datas;
    uint32_t ndatas;
    bool has_data_count;
    uint32_t data_count;
    /* Functions that may be referenced by ref.func in bodies (C.refs in the spec). */
    uint8_t *func_declared;  // one byte per function, nonzero if declared

    uint32_t code_section_offset;  // byte offset of the code section's contents
    uint32_t code_section_size;

    /* Name section. */
    FeName module_name;            // .str NULL if absent
    FeNameEntry *func_names;       // sorted by function index
    uint32_t nfunc_names;
    FeLocalNames *local_names;     // sorted by function index
    uint32_t nlocal_names;
    /* Hints for the translator, per function (imported ones zeroed), filled by
     * fe_module_validate_code() (NULL before, with no_hints, and for a module of 4 GiB or
     * more). */
    const struct FeFuncHints *hints;
    /* Set by a caller that only validates (skua validate) before fe_module_validate_code:
     * it then records no hints, and validating costs nothing for them. */
    bool no_hints;
} FeModule;

typedef struct FeOptions {
    uint32_t features;     // FE_FEATURE_* bits; 0 means FE_FEATURES_WASM2
    const SkAlloc *alloc;  // NULL for the default allocator
} FeOptions;

/* module.c */

/*
 * Decodes a binary module and validates everything outside function bodies (section order,
 * counts, limits, types, imports, exports, constant expressions, segments, start function).
 * Function bodies are checked only for framing here; fe_module_validate_code() validates
 * them. Returns false with `diag` filled on malformed or invalid input; *out is then NULL.
 * As in the spec, which decodes a whole module before validating it, a malformed module
 * (bodies included) is reported as malformed even if it is also invalid.
 */
bool fe_module_decode(const uint8_t *bytes, size_t size, const FeOptions *opts,
                      FeModule **out, SkDiag *diag);
void fe_module_free(FeModule *m);

/* Name of function `func_index` from the name section, or NULL. */
const char *fe_module_func_name(const FeModule *m, uint32_t func_index);

/* Name of a value type ("i32", "funcref", ...), or "unknown". */
const char *fe_valtype_name(uint8_t t);

/* validate.c */

/*
 * Validates every function body. Returns false with `diag` filled (func_index set). If a
 * body is invalid, the remaining bodies are still decoded: a malformed one is reported
 * instead, since the spec decodes the whole module before it validates any of it. On
 * success it also records the translator's hints (m->hints, in the module's arena).
 */
bool fe_module_validate_code(FeModule *m, SkDiag *diag);

/* Decodes and fully validates a module: fe_module_decode + fe_module_validate_code. */
bool fe_module_load(const uint8_t *bytes, size_t size, const FeOptions *opts,
                    FeModule **out, SkDiag *diag);

/*
 * A reusable validator for one module: it keeps its operand and control stacks between
 * functions, so validating allocates nothing in the steady state. One per thread.
 */
typedef struct FeValidator FeValidator;

/* Returns NULL when out of memory. `m` must outlive the validator. */
FeValidator *fe_validator_new(const FeModule *m);
void fe_validator_free(FeValidator *v);
/*
 * Validates the body of defined function `func_index` (not imported); `diag` must be empty
 * (zeroed). Unlike fe_module_validate_code(), it reports the first error in this body only,
 * without looking for malformed bodies further on.
 */
bool fe_validator_check_func(FeValidator *v, uint32_t func_index, SkDiag *diag);

/*
 * For translating validated bodies. Expands the parameter and local types of defined
 * function `func_index` into `arena` (*out_types, *out_nlocals, parameters first) and
 * returns the address of its first instruction. The body must have been validated.
 */
const uint8_t *fe_func_locals(const FeModule *m, uint32_t func_index, SkArena *arena,
                              const uint8_t **out_types, uint32_t *out_nlocals);

/*
 * Resolves a block type (FeInstr.v.block_type of a validated block/loop/if) to its
 * parameter and result types.
 */
void fe_block_type_resolve(const FeModule *m, int64_t block_type, FeFuncType *out);

/* ops.c */

/*
 * Checked single-instruction decoder (what the validator uses, out of line): decodes the
 * instruction at *pp (bounded by `end`; `base` is the input's start, for offsets) into *out
 * and advances *pp. Returns false with `diag` filled if the bytes are malformed.
 */
bool fe_instr_read(const uint8_t *base, const uint8_t **pp, const uint8_t *end,
                   uint32_t features, FeInstr *out, SkDiag *diag);

/* translate.c */

typedef struct IrModule IrModule;
typedef struct IrFunc IrFunc;

/*
 * Fills `out` with the module facts the IR and the backends need (signatures, function
 * signatures, globals, tables, memories, segment counts), allocated from `arena` (the
 * module's lifetime). Returns false on OOM.
 */
bool fe_ir_module_init(const FeModule *m, SkArena *arena, IrModule *out);

/*
 * A reusable translator of validated function bodies into SSA IR (frontend/translate.c):
 * it keeps its stacks and per-local arrays between functions, so translation allocates
 * nothing but IR in the steady state. One per thread. `m` and `im` must outlive it; `alloc`
 * may be NULL (default allocator).
 */
typedef struct FeTranslator FeTranslator;

FeTranslator *fe_translator_new(const FeModule *m, const IrModule *im, const SkAlloc *alloc);
void fe_translator_free(FeTranslator *t);

/*
 * Translates defined function `func_index` (its body must have been validated) into `out`,
 * whose storage comes from `arena` (reset it between functions). Folding happens while
 * building; run ir_passes_run() next. Returns false with `diag` filled on OOM.
 */
bool fe_translate_func(FeTranslator *t, uint32_t func_index, SkArena *arena, IrFunc *out,
                       SkDiag *diag);

#endif
