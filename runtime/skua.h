/*
 * skua's embedding API: the one public header of the runtime (skua_ prefix). The CLI, the
 * spec-test harness and the WASI glue use only this. It sits on runtime/runtime.h and never
 * on the compiler: modules are compiled through a hook the embedder installs in the engine
 * configuration (the skua tool installs the compiler), or loaded already compiled.
 *
 * Objects and lifetimes:
 *   SkuaEngine  configuration, canonical types, fiber pool; thread-safe; outlives the rest.
 *   SkuaModule  a loaded compiled module; reference counted (instances keep it alive), so
 *               skua_module_delete may come before the store is gone.
 *   SkuaStore   owns every instance, function, table, memory and global made in it; they
 *               live until skua_store_delete. One thread at a time; objects of one store
 *               never mix with another's.
 *   SkuaLinker  names (module, name) -> extern, to instantiate by import names.
 *   SkuaTrap    a trap value (kind, message, backtrace); owned by whoever holds it.
 *
 * Errors: functions that can fail take a SkuaError * (may be NULL) and return false/NULL. A
 * trap during a call or instantiation is SKUA_ERROR_TRAP with the trap in err->trap (owned by
 * the error: release it with skua_error_clear before reusing the error; a failing call
 * overwrites the error without looking at it). Link errors start with the spec's wording:
 * "unknown import", "incompatible import type".
 *
 * Names (import and export names) are byte strings with an explicit length: wasm names may
 * hold NUL bytes.
 */
#ifndef SKUA_RUNTIME_SKUA_H
#define SKUA_RUNTIME_SKUA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct RtCompiledModule;

typedef struct SkuaEngine SkuaEngine;
typedef struct SkuaModule SkuaModule;
typedef struct SkuaStore SkuaStore;
typedef struct SkuaInstance SkuaInstance;
typedef struct SkuaLinker SkuaLinker;
typedef struct SkuaFunc SkuaFunc;
typedef struct SkuaTable SkuaTable;
typedef struct SkuaMemory SkuaMemory;
typedef struct SkuaGlobal SkuaGlobal;
typedef struct SkuaTrap SkuaTrap;
typedef struct SkuaCaller SkuaCaller;

/* ---- Values --------------------------------------------------------------------------- */

/* Value kinds, numbered by their binary encoding (equal to RtValType). */
typedef enum SkuaValKind {
    SKUA_I32 = 0x7F,
    SKUA_I64 = 0x7E,
    SKUA_F32 = 0x7D,
    SKUA_F64 = 0x7C,
    SKUA_V128 = 0x7B,
    SKUA_FUNCREF = 0x70,
    SKUA_EXTERNREF = 0x6F,
} SkuaValKind;

/* A typed value. Floats keep their exact bits (f32_bits/f64_bits alias f32/f64); v128 is
 * little-endian; a NULL funcref/externref is ref.null, so an embedder with integer host
 * references (the wast `ref.extern 0`) must map them to non-NULL pointers. */
typedef struct SkuaVal {
    uint8_t kind;  // SkuaValKind
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        uint8_t v128[16];
        SkuaFunc *funcref;
        void *externref;
    } of;
} SkuaVal;

typedef enum SkuaExternKind {
    SKUA_EXTERN_FUNC = 0,
    SKUA_EXTERN_TABLE = 1,
    SKUA_EXTERN_MEMORY = 2,
    SKUA_EXTERN_GLOBAL = 3,
} SkuaExternKind;

typedef struct SkuaExtern {
    SkuaExternKind kind;
    union {
        SkuaFunc *func;
        SkuaTable *table;
        SkuaMemory *memory;
        SkuaGlobal *global;
    } of;
} SkuaExtern;

/* ---- Errors and traps ------------------------------------------------------------------ */

typedef enum SkuaErrorKind {
    SKUA_ERROR_NONE = 0,
    SKUA_ERROR_COMPILE,   // the compile hook rejected the module (malformed/invalid/limit)
    SKUA_ERROR_LOAD,      // a compiled module is unusable here (format, target, CPU)
    SKUA_ERROR_LINK,      // unknown import / incompatible import type
    SKUA_ERROR_TRAP,      // a trap; err->trap holds it
    SKUA_ERROR_RESOURCE,  // out of memory, address space or a configured limit
    SKUA_ERROR_USAGE,     // wrong argument count/types, objects of another store, ...
} SkuaErrorKind;

typedef struct SkuaError {
    SkuaErrorKind kind;
    char message[512];
    SkuaTrap *trap;  // SKUA_ERROR_TRAP only; owned by the error
} SkuaError;

/* Frees err->trap (if any) and resets `err` to SKUA_ERROR_NONE. */
void skua_error_clear(SkuaError *err);

/* Trap kinds; the messages are the spec's (skua_trap_message). */
typedef enum SkuaTrapKind {
    SKUA_TRAP_NONE = 0,
    SKUA_TRAP_UNREACHABLE,           // "unreachable"
    SKUA_TRAP_INT_DIV_ZERO,          // "integer divide by zero"
    SKUA_TRAP_INT_OVERFLOW,          // "integer overflow"
    SKUA_TRAP_BAD_CONVERSION,        // "invalid conversion to integer"
    SKUA_TRAP_MEMORY_OOB,            // "out of bounds memory access"
    SKUA_TRAP_TABLE_OOB,             // "out of bounds table access"
    SKUA_TRAP_UNDEFINED_ELEMENT,     // "undefined element"
    SKUA_TRAP_UNINITIALIZED_ELEMENT, // "uninitialized element"
    SKUA_TRAP_INDIRECT_CALL_TYPE,    // "indirect call type mismatch"
    SKUA_TRAP_STACK_EXHAUSTED,       // "call stack exhausted"
    SKUA_TRAP_HOST,                  // a host function's trap, with its own message
    SKUA_TRAP_EXIT,                  // a host function asked to exit (WASI proc_exit)
    SKUA_TRAP_INTERNAL,              // a fault in wasm code the compiler did not expect
} SkuaTrapKind;

/* One frame of a trap's backtrace, innermost first. */
typedef struct SkuaFrame {
    uint32_t func_index;      // in its module's function index space
    uint32_t func_offset;     // byte offset of the pc in the function's machine code
    const char *func_name;    // from the name section, or NULL
    const char *module_name;  // from the name section, or NULL
} SkuaFrame;

/* A trap for a host callback to return: kind SKUA_TRAP_HOST with `message` (copied). */
SkuaTrap *skua_trap_new(const char *message);
/* A trap that ends the guest with an exit code (kind SKUA_TRAP_EXIT, message "exit"). */
SkuaTrap *skua_trap_new_exit(int32_t code);
void skua_trap_delete(SkuaTrap *trap);
SkuaTrapKind skua_trap_kind(const SkuaTrap *trap);
const char *skua_trap_message(const SkuaTrap *trap);
int32_t skua_trap_exit_code(const SkuaTrap *trap);
size_t skua_trap_frame_count(const SkuaTrap *trap);
/* Frames past the last one recorded: a backtrace keeps the innermost 64, and counts the rest
 * (0 when nothing was left out). */
size_t skua_trap_frames_omitted(const SkuaTrap *trap);
/* Frame i (< frame count); the strings live as long as the trap. */
SkuaFrame skua_trap_frame(const SkuaTrap *trap, size_t i);

/* ---- Engine ------------------------------------------------------------------------------ */

typedef struct SkuaConfig SkuaConfig;

/*
 * The compiler hook: turns wasm bytes into a compiled module (runtime/cmodule.h) for this
 * host, honouring cfg->explicit_bounds_checks. On success stores a malloc'd module in *out
 * (the runtime takes ownership) and returns true; on failure writes a message (the spec's
 * wording first, e.g. "type mismatch ...") to msg and returns false.
 */
typedef bool (*SkuaCompileFn)(void *user, const SkuaConfig *cfg, const uint8_t *wasm,
                              size_t size, struct RtCompiledModule **out, char *msg,
                              size_t msg_size);

struct SkuaConfig {
    size_t wasm_stack_size;       // bytes of stack for wasm per call (default 1 MiB)
    uint64_t max_memory_pages;    // cap per memory, 64 KiB pages (default and max 65536)
    uint32_t max_table_elems;     // cap per table (default 10,000,000)
    uint32_t max_nesting;         // nested host->wasm calls (default 256)
    bool explicit_bounds_checks;  // memories without guard regions; code must check bounds
    SkuaCompileFn compile;        // NULL: skua_module_new fails (load compiled modules)
    void *compile_user;
};

/* Fills `cfg` with the defaults. */
void skua_config_init(SkuaConfig *cfg);
/* Creates an engine (installs the runtime's signal handlers on first use). */
SkuaEngine *skua_engine_new(const SkuaConfig *cfg, SkuaError *err);
/* Requires every store of the engine to be deleted (modules may outlive it only if
 * deleted before it). */
void skua_engine_delete(SkuaEngine *engine);
const SkuaConfig *skua_engine_config(const SkuaEngine *engine);

/* ---- Modules ------------------------------------------------------------------------------ */

/* Compiles wasm bytes with the engine's hook and loads the result. */
SkuaModule *skua_module_new(SkuaEngine *engine, const uint8_t *wasm, size_t size,
                            SkuaError *err);
/* Loads an already compiled module, taking ownership of `cm` (freed on failure too). The
 * module is checked first (format version, target, CPU features, every index and offset). */
SkuaModule *skua_module_from_compiled(SkuaEngine *engine, struct RtCompiledModule *cm,
                                      SkuaError *err);
/* Drops the caller's reference (instances keep their own). */
void skua_module_delete(SkuaModule *module);
/* The compiled form (for writing .skua files, disassembly); owned by the module. */
const struct RtCompiledModule *skua_module_compiled(const SkuaModule *module);

/* ---- Compiled module files (.skua; runtime/cmodule_file.c) -----------------------------
 *
 * A .skua file holds a compiled module (magic, format version, target, CPU features, runtime
 * ABI fingerprint, checksum, then code, relocations, trap table, names and metadata). Reading
 * one checks every count and offset, so a truncated, corrupted, wrong-version, wrong-target or
 * wrong-CPU file fails with SKUA_ERROR_LOAD and a message saying which. The checksum catches
 * accidental damage, not tampering: a well-formed file is machine code and deserves the same
 * trust as a shared library.
 */

/* True if `bytes` start with the .skua magic (wasm modules start with "\0asm"). */
bool skua_compiled_is_file(const uint8_t *bytes, size_t size);
/* Serializes a compiled module (of any target) into a malloc'd buffer; `producer` (e.g.
 * "skua 0.1.0") is recorded in the header for messages. */
bool skua_compiled_serialize(const struct RtCompiledModule *cm, const char *producer,
                             uint8_t **out, size_t *out_size, SkuaError *err);
/* Reads a .skua file into a malloc'd compiled module (free it with skua_compiled_free, or
 * hand it to skua_module_from_compiled). `for_host`: also require this host's target, CPU
 * features and runtime ABI (for running); without it any target is accepted (for tools). */
struct RtCompiledModule *skua_compiled_deserialize(const uint8_t *bytes, size_t size,
                                                   bool for_host, SkuaError *err);
void skua_compiled_free(struct RtCompiledModule *cm);
/* skua_compiled_deserialize for this host, then skua_module_from_compiled. */
SkuaModule *skua_module_deserialize(SkuaEngine *engine, const uint8_t *bytes, size_t size,
                                    SkuaError *err);

typedef struct SkuaImportDesc {
    const char *module;  // not NUL-safe: use the lengths
    size_t module_len;
    const char *name;
    size_t name_len;
    SkuaExternKind kind;
} SkuaImportDesc;

typedef struct SkuaExportDesc {
    const char *name;
    size_t name_len;
    SkuaExternKind kind;
} SkuaExportDesc;

size_t skua_module_import_count(const SkuaModule *module);
SkuaImportDesc skua_module_import(const SkuaModule *module, size_t i);
size_t skua_module_export_count(const SkuaModule *module);
SkuaExportDesc skua_module_export(const SkuaModule *module, size_t i);

/* ---- Stores and instances ------------------------------------------------------------------ */

SkuaStore *skua_store_new(SkuaEngine *engine);
void skua_store_delete(SkuaStore *store);

/*
 * Instantiates `module` with one extern per module import, in import order: checks their
 * types, runs element and data segments and the start function. A trap (a segment out of
 * bounds, a trap in the start function) fails with SKUA_ERROR_TRAP; its effects on imported
 * tables and memories stay, as the spec requires.
 */
SkuaInstance *skua_instance_new(SkuaStore *store, SkuaModule *module, const SkuaExtern *imports,
                                size_t nimports, SkuaError *err);
/* The export named by the `len` bytes at `name`; false if none. */
bool skua_instance_export(const SkuaInstance *inst, const char *name, size_t len,
                          SkuaExtern *out);
size_t skua_instance_export_count(const SkuaInstance *inst);
/* Export i: its name and value. */
SkuaExtern skua_instance_export_at(const SkuaInstance *inst, size_t i, SkuaExportDesc *desc);

/* ---- Linker ------------------------------------------------------------------------------ */

SkuaLinker *skua_linker_new(SkuaStore *store);
void skua_linker_delete(SkuaLinker *linker);
/* Defines (module, name) -> ext; a later definition of the same name replaces it. */
bool skua_linker_define(SkuaLinker *linker, const char *module, size_t module_len,
                        const char *name, size_t name_len, SkuaExtern ext, SkuaError *err);
/* Defines every export of `inst` under `module` (the wast `register` command). */
bool skua_linker_define_instance(SkuaLinker *linker, const char *module, size_t module_len,
                                 const SkuaInstance *inst, SkuaError *err);
bool skua_linker_get(const SkuaLinker *linker, const char *module, size_t module_len,
                     const char *name, size_t name_len, SkuaExtern *out);
/* Resolves every import of `module` by name ("unknown import" if one is missing) and
 * instantiates it. */
SkuaInstance *skua_linker_instantiate(SkuaLinker *linker, SkuaModule *module, SkuaError *err);
SkuaStore *skua_linker_store(const SkuaLinker *linker);

/* ---- Functions ------------------------------------------------------------------------------ */

/*
 * A host function: called with its parameters, it writes its results (of the declared kinds)
 * and returns NULL, or returns a trap (skua_trap_new / skua_trap_new_exit; ownership passes
 * to the runtime), which unwinds the wasm caller. It may call back into wasm (skua_func_call
 * on skua_caller_store(caller)).
 */
typedef SkuaTrap *(*SkuaHostCallback)(void *env, SkuaCaller *caller, const SkuaVal *args,
                                      size_t nargs, SkuaVal *results, size_t nresults);

/* `params`/`results` are SkuaValKind bytes. `env` is passed to every call and freed with
 * free_env (if not NULL) when the store is deleted, or on failure here. */
SkuaFunc *skua_func_new(SkuaStore *store, const uint8_t *params, size_t nparams,
                        const uint8_t *results, size_t nresults, SkuaHostCallback callback,
                        void *env, void (*free_env)(void *), SkuaError *err);
/* The function's type; the arrays live as long as the engine. */
void skua_func_type(const SkuaStore *store, const SkuaFunc *func, const uint8_t **params,
                    size_t *nparams, const uint8_t **results, size_t *nresults);
/* Calls `func` (on a fresh wasm stack). The argument kinds must match its parameters;
 * results receives its results. A trap fails with SKUA_ERROR_TRAP. */
bool skua_func_call(SkuaStore *store, SkuaFunc *func, const SkuaVal *args, size_t nargs,
                    SkuaVal *results, size_t nresults, SkuaError *err);

/* Inside a host callback: the store, and the instance that imported the function (NULL
 * when the embedder called it directly or it came from a table the embedder filled). */
SkuaStore *skua_caller_store(const SkuaCaller *caller);
SkuaInstance *skua_caller_instance(const SkuaCaller *caller);
/* The calling instance's memory: its export "memory", else its memory 0, else NULL. */
SkuaMemory *skua_caller_memory(const SkuaCaller *caller);

/* ---- Globals, memories, tables ---------------------------------------------------------- */

SkuaGlobal *skua_global_new(SkuaStore *store, SkuaValKind kind, bool mutable_,
                            const SkuaVal *init, SkuaError *err);
SkuaValKind skua_global_kind(const SkuaGlobal *global);
bool skua_global_mutable(const SkuaGlobal *global);
SkuaVal skua_global_get(const SkuaGlobal *global);
/* Fails (SKUA_ERROR_USAGE) for an immutable global or a value of the wrong kind. */
bool skua_global_set(SkuaGlobal *global, const SkuaVal *val, SkuaError *err);

SkuaMemory *skua_memory_new(SkuaStore *store, uint64_t min_pages, bool has_max,
                            uint64_t max_pages, SkuaError *err);
/* The memory's bytes. The base never moves, so the pointer stays valid when it grows. */
uint8_t *skua_memory_data(const SkuaMemory *mem);
uint64_t skua_memory_size(const SkuaMemory *mem);  // bytes
/* memory.grow: the old size in pages, or UINT32_MAX. */
uint32_t skua_memory_grow(SkuaMemory *mem, uint32_t delta_pages);

SkuaTable *skua_table_new(SkuaStore *store, SkuaValKind elem_kind, uint32_t min, bool has_max,
                          uint32_t max, const SkuaVal *init, SkuaError *err);
SkuaValKind skua_table_elem_kind(const SkuaTable *table);
uint32_t skua_table_size(const SkuaTable *table);
bool skua_table_get(const SkuaTable *table, uint32_t index, SkuaVal *out);
bool skua_table_set(SkuaStore *store, SkuaTable *table, uint32_t index, const SkuaVal *val,
                    SkuaError *err);
/* table.grow: the old size, or UINT32_MAX. */
uint32_t skua_table_grow(SkuaStore *store, SkuaTable *table, uint32_t delta,
                         const SkuaVal *init);

/* ---- The spectest host module ------------------------------------------------------------ */

/*
 * Defines module "spectest" in `linker` exactly as the WebAssembly testsuite expects:
 * print, print_i32, print_i64, print_f32, print_f64, print_i32_f32, print_f64_f64 (each
 * writes its arguments to `out` as "VALUE : TYPE" lines, like the reference interpreter;
 * out NULL prints nothing), global_i32 = 666, global_i64 = 666, global_f32 = 666.6,
 * global_f64 = 666.6 (immutable), table (funcref, 10..20), memory (1..2 pages).
 */
bool skua_spectest_define(SkuaLinker *linker, FILE *out, SkuaError *err);

#endif
