/*
 * The compiled-module format: what the compiler produces and the runtime loads (DESIGN.md,
 * "Compiled module format"). Code blob, per-function offsets, trampolines per type,
 * relocations, trap table, names, and all metadata instantiation needs, in runtime-owned
 * structures: the runtime never sees frontend or backend structures. The same structure is
 * what a `.skua` file serializes (issue 6), so it is flat and position independent: every
 * array below holds only numbers (indices, counts, byte offsets into the blob, the string
 * pool or the data pool), never pointers, and each array is one malloc'd block owned by the
 * RtCompiledModule (rt_cmodule_release frees them all).
 */
#ifndef SKUA_RUNTIME_CMODULE_H
#define SKUA_RUNTIME_CMODULE_H

#include <stdint.h>
#include <stdlib.h>

#include "runtime/vmctx.h"

/* Bumped whenever a structure below changes meaning or layout (checked by the .skua loader). */
#define RT_CM_VERSION 1u

/* "No such offset/index" marker for optional u32 fields. */
#define RT_CM_NONE UINT32_MAX

typedef enum RtTarget {
    RT_TARGET_NONE = 0,
    RT_TARGET_X86_64,
    RT_TARGET_AARCH64,
    RT_TARGET_COUNT
} RtTarget;

/* CPU features the code requires (RtCompiledModule.cpu_features; bits per target). The
 * loader refuses a module that needs a feature the host lacks. */
enum {
    RT_CPU_X64_SSE3 = 1u << 0,
    RT_CPU_X64_SSSE3 = 1u << 1,
    RT_CPU_X64_SSE41 = 1u << 2,
    RT_CPU_X64_SSE42 = 1u << 3,
    RT_CPU_X64_POPCNT = 1u << 4,
    RT_CPU_X64_LZCNT = 1u << 5,
    RT_CPU_X64_BMI1 = 1u << 6,
    RT_CPU_X64_BMI2 = 1u << 7,
    RT_CPU_X64_AVX = 1u << 8,
    RT_CPU_X64_AVX2 = 1u << 9,
    RT_CPU_A64_LSE = 1u << 0,  // aarch64: ARMv8.1 atomics
};

/* Module flags (RtCompiledModule.flags). */
enum {
    /* The code checks memory bounds explicitly against RtMemory.size; without this flag it
     * relies on the RT_MEMORY_RESERVATION guard region of every memory it accesses. */
    RT_CM_EXPLICIT_BOUNDS = 1u << 0,
};

/* External kinds, numbered by their binary encoding. */
typedef enum RtExternKind {
    RT_EXTERN_FUNC = 0,
    RT_EXTERN_TABLE = 1,
    RT_EXTERN_MEMORY = 2,
    RT_EXTERN_GLOBAL = 3,
    RT_EXTERN_COUNT
} RtExternKind;

/* A string: `len` bytes at strings[off], followed by a NUL. len == 0 && off == 0 is "none". */
typedef struct RtCmStr {
    uint32_t off;
    uint32_t len;
} RtCmStr;

/*
 * A function type. Its parameter types are valtypes[first .. first+nparams) and its result
 * types follow at valtypes[first+nparams .. first+nparams+nresults) (RtValType bytes).
 * entry_tramp / host_tramp: code offsets of the trampolines for this type (runtime/vmctx.h,
 * "Trampolines"); types may share trampolines. RT_CM_NONE only when the module can never
 * need one (a type used by no function, import or table element).
 */
typedef struct RtCmType {
    uint32_t first;
    uint32_t nparams;
    uint32_t nresults;
    uint32_t entry_tramp;
    uint32_t host_tramp;
} RtCmType;

/* Constant expressions (global initializers, segment offsets, element items). */
typedef enum RtCmConstOp {
    RT_CONST_NONE = 0,
    RT_CONST_I32,         // value.i32
    RT_CONST_I64,         // value.i64
    RT_CONST_F32,         // value.f32 (bits)
    RT_CONST_F64,         // value.f64 (bits)
    RT_CONST_V128,        // value.v128 (little-endian bytes)
    RT_CONST_REF_NULL,    // type = RT_VT_FUNCREF or RT_VT_EXTERNREF
    RT_CONST_REF_FUNC,    // index = function index
    RT_CONST_GLOBAL_GET,  // index = global index (an imported global in WebAssembly 2.0)
    RT_CONST_COUNT
} RtCmConstOp;

typedef struct RtCmConst {
    uint8_t op;    // RtCmConstOp
    uint8_t type;  // RtValType of the result
    uint8_t pad[2];
    uint32_t index;
    union {
        uint32_t i32;
        uint64_t i64;
        uint32_t f32;
        uint64_t f64;
        uint8_t v128[16];
    } value;
} RtCmConst;

typedef struct RtCmImport {
    RtCmStr module;
    RtCmStr name;
    uint8_t kind;    // RtExternKind
    uint32_t index;  // index in the function/table/memory/global index space it fills
} RtCmImport;

typedef struct RtCmExport {
    RtCmStr name;
    uint8_t kind;    // RtExternKind
    uint32_t index;
} RtCmExport;

/*
 * A function (imported ones first, as in the index space). Defined functions have their
 * machine code at code[code_offset .. code_offset+code_size); imported ones have
 * code_offset = RT_CM_NONE and code_size = 0. name: from the name section, or none.
 */
typedef struct RtCmFunc {
    uint32_t type_index;
    uint32_t code_offset;
    uint32_t code_size;
    RtCmStr name;
} RtCmFunc;

/* Limits of tables (elements) and memories (64 KiB pages). */
typedef struct RtCmTable {
    uint8_t elem_type;  // RT_VT_FUNCREF or RT_VT_EXTERNREF
    uint8_t imported;
    uint8_t has_max;
    uint32_t min;
    uint32_t max;
} RtCmTable;

typedef struct RtCmMemory {
    uint8_t imported;
    uint8_t has_max;
    uint64_t min;  // pages
    uint64_t max;  // pages, when has_max
} RtCmMemory;

typedef struct RtCmGlobal {
    uint8_t type;  // RtValType
    uint8_t mutable_;
    uint8_t imported;
    RtCmConst init;  // defined globals
} RtCmGlobal;

typedef enum RtCmSegMode {
    RT_SEG_ACTIVE = 0,
    RT_SEG_PASSIVE = 1,
    RT_SEG_DECLARATIVE = 2,  // element segments only
} RtCmSegMode;

/* Element segment: items are elem_items[first .. first+nitems) (REF_FUNC, REF_NULL or
 * GLOBAL_GET each). `table` and `offset` are meaningful for active segments. */
typedef struct RtCmElem {
    uint8_t mode;       // RtCmSegMode
    uint8_t elem_type;  // RT_VT_FUNCREF or RT_VT_EXTERNREF
    uint32_t table;
    RtCmConst offset;
    uint32_t first;
    uint32_t nitems;
} RtCmElem;

/* Data segment: bytes are data[off .. off+size). `memory`, `offset` for active segments. */
typedef struct RtCmData {
    uint8_t mode;  // RT_SEG_ACTIVE or RT_SEG_PASSIVE
    uint32_t memory;
    RtCmConst offset;
    uint32_t off;
    uint32_t size;
} RtCmData;

/*
 * Relocations, applied by the loader to its executable copy of the code.
 * RT_RELOC_ABS64: write the 64-bit absolute address of the symbol plus addend, little-endian,
 * at code[offset .. offset+8) (no alignment required). That is an 8-byte literal slot, or the
 * imm64 of x86_64 `mov r64, imm64` (offset = instruction start + 2).
 */
typedef enum RtRelocKind {
    RT_RELOC_NONE = 0,
    RT_RELOC_ABS64,
    RT_RELOC_COUNT
} RtRelocKind;

typedef enum RtSymKind {
    RT_SYM_NONE = 0,
    RT_SYM_BUILTIN,  // sym = RtBuiltin id (runtime/vmctx.h)
    RT_SYM_CODE,     // sym = byte offset in this module's code blob
    RT_SYM_COUNT
} RtSymKind;

typedef struct RtCmReloc {
    uint32_t offset;   // code-relative byte offset of the patched field
    uint8_t kind;      // RtRelocKind
    uint8_t sym_kind;  // RtSymKind
    uint32_t sym;
    int64_t addend;
} RtCmReloc;

/*
 * Trap table entry: the instruction at code-relative `offset` traps with `kind` (an
 * RtTrapKind) when it executes (ud2/udf) or faults (a memory access). Sorted by offset,
 * offsets unique.
 */
typedef struct RtCmTrap {
    uint32_t offset;
    uint32_t kind;
} RtCmTrap;

/*
 * A compiled module. Ownership: every pointer is a separate malloc'd block owned by this
 * structure (or NULL when its count is 0); the structure itself is malloc'd too when handed
 * to the runtime (which takes ownership and frees it with rt_cmodule_release + free).
 */
typedef struct RtCompiledModule {
    /* Header: what the code needs from the host. */
    uint32_t version;       // RT_CM_VERSION
    uint32_t target;        // RtTarget
    uint64_t cpu_features;  // RT_CPU_* bits of `target` the code uses
    uint32_t flags;         // RT_CM_* bits

    /* Machine code: functions and trampolines, in one position-independent blob. */
    uint8_t *code;
    uint32_t code_size;
    RtCmReloc *relocs;
    uint32_t nrelocs;
    RtCmTrap *traps;  // sorted by offset
    uint32_t ntraps;

    /* Pools referenced by offset. */
    char *strings;  // NUL-terminated strings back to back (RtCmStr)
    uint32_t strings_size;
    uint8_t *valtypes;  // RtValType bytes (RtCmType.first)
    uint32_t nvaltypes;
    uint8_t *data;  // data segment contents (RtCmData.off)
    uint32_t data_size;

    /* Module metadata, index spaces in the spec's order (imports first). */
    RtCmType *types;
    uint32_t ntypes;
    RtCmImport *imports;  // in import-section order
    uint32_t nimports;
    RtCmFunc *funcs;
    uint32_t nfuncs, nimported_funcs;
    RtCmTable *tables;
    uint32_t ntables, nimported_tables;
    RtCmMemory *memories;
    uint32_t nmemories, nimported_memories;
    RtCmGlobal *globals;
    uint32_t nglobals, nimported_globals;
    RtCmExport *exports;
    uint32_t nexports;
    uint32_t start_func;  // RT_CM_NONE if none
    RtCmElem *elems;
    uint32_t nelems;
    RtCmConst *elem_items;
    uint32_t nelem_items;
    RtCmData *datas;
    uint32_t ndatas;

    RtCmStr module_name;  // from the name section, or none
} RtCompiledModule;

/* The counts that determine the module's VM context layout (runtime/vmctx.h). */
static inline RtVmCounts
rt_cmodule_vmcounts(const RtCompiledModule *m)
{
    RtVmCounts c;
    c.ntypes = m->ntypes;
    c.nimported_funcs = m->nimported_funcs;
    c.ndefined_funcs = m->nfuncs - m->nimported_funcs;
    c.ntables = m->ntables;
    c.nmemories = m->nmemories;
    c.nimported_globals = m->nimported_globals;
    c.ndefined_globals = m->nglobals - m->nimported_globals;
    return c;
}

/* The string `s` (NUL-terminated), or "" for none. Requires a checked module. */
static inline const char *
rt_cmodule_str(const RtCompiledModule *m, RtCmStr s)
{
    return m->strings && s.off < m->strings_size ? m->strings + s.off : "";
}

/* Frees every array the module owns (not the structure itself) and zeroes it. */
static inline void
rt_cmodule_release(RtCompiledModule *m)
{
    free(m->code);
    free(m->relocs);
    free(m->traps);
    free(m->strings);
    free(m->valtypes);
    free(m->data);
    free(m->types);
    free(m->imports);
    free(m->funcs);
    free(m->tables);
    free(m->memories);
    free(m->globals);
    free(m->exports);
    free(m->elems);
    free(m->elem_items);
    free(m->datas);
    *m = (RtCompiledModule){0};
}

#endif
