/*
 * runtime: the layer header (STYLE.md section 3). Engines, loaded modules, stores,
 * instances, memories, tables, globals, host functions, fibers, traps and the signal
 * handler. Runs compiled modules (runtime/cmodule.h) whose code follows runtime/vmctx.h.
 * Depends only on libc and the OS; the embedding API (runtime/skua.h) sits on top of this.
 *
 * Threads: an engine (types, fiber pool) may be shared by threads; a store and everything in
 * it is used by one thread at a time. Process-wide state: the signal handlers and the code
 * registry (signals.c), documented where declared. Per-thread state (current fiber, trap
 * record, alternate signal stack) is _Thread_local.
 */
#ifndef SKUA_RUNTIME_RUNTIME_H
#define SKUA_RUNTIME_RUNTIME_H

#include <pthread.h>
#include <stdatomic.h>

#include "runtime/cmodule.h"
#include "runtime/rt_common.h"
#include "runtime/vmctx.h"

/* ---- Errors (error.c) ---------------------------------------------------------------------- */

#define RT_ERROR_KINDS(X)                                                                    \
    X(NONE, "no error")                                                                      \
    X(LOAD, "invalid compiled module")                                                       \
    X(LINK, "link error")                                                                    \
    X(RESOURCE, "resource limit exceeded")                                                   \
    X(USAGE, "invalid use")

typedef enum RtErrorKind {
#define RT_ERROR_ENUM(name, text) RT_ERROR_##name,
    RT_ERROR_KINDS(RT_ERROR_ENUM)
#undef RT_ERROR_ENUM
    RT_ERROR_COUNT
} RtErrorKind;

/* A non-trap failure: link errors start with the spec's wording ("unknown import",
 * "incompatible import type"), then detail. */
typedef struct RtError {
    RtErrorKind kind;
    char message[256];
} RtError;

/* Fills `e` (if not NULL) and returns false. */
bool rt_error_set(RtError *e, RtErrorKind kind, const char *fmt, ...) RT_PRINTF(3, 4);
const char *rt_error_kind_name(RtErrorKind kind);

/* ---- Configuration and engine (engine.c) --------------------------------------------------- */

typedef struct RtConfig {
    size_t wasm_stack_size;     // bytes of fiber stack wasm may use (above RT_STACK_RESERVE)
    uint64_t max_memory_pages;  // cap on every memory's size, in 64 KiB pages (<= 65536)
    uint32_t max_table_elems;   // cap on every table's size
    uint32_t max_nesting;       // host->wasm entries nested on one thread (fibers in use)
    bool explicit_bounds;       // memories without guard region (only for code compiled
                                // with RT_CM_EXPLICIT_BOUNDS)
} RtConfig;

/* Defaults: 1 MiB wasm stack, 65536 pages, 10,000,000 table elements, 256 nested entries,
 * guard-region memories. */
void rt_config_default(RtConfig *c);

typedef struct RtFiber RtFiber;

#define RT_RESERVATION_POOL_MAX 8

/* A canonical function type: the bytes live as long as the engine. */
typedef struct RtFuncType {
    const uint8_t *params;   // RtValType each
    const uint8_t *results;
    uint32_t nparams;
    uint32_t nresults;
} RtFuncType;

typedef struct RtEngine {
    RtConfig config;
    pthread_mutex_t lock;  // guards types and the fiber pool
    /* Canonical types: id i (>= 1) is types[i - 1]; `hash` maps structure -> id. */
    RtFuncType *types;
    uint32_t ntypes, types_cap;
    uint32_t *hash;  // open addressing, 0 = empty; hash_cap is a power of two
    uint32_t hash_cap;
    /* Idle fibers, reused LIFO. */
    RtFiber *free_fibers;
    uint32_t nfree_fibers;
    /* Idle guard-region memory reservations (RT_MEMORY_RESERVATION bytes, all PROT_NONE),
     * reused by the next memory: cheaper than a fresh 8 GiB mapping, and emulators such as
     * qemu-user never return the bookkeeping of unmapped huge regions. */
    uint8_t *free_reservations[RT_RESERVATION_POOL_MAX];
    uint32_t nfree_reservations;
} RtEngine;

/* Creates an engine; installs the process-wide signal handlers on first use. */
RtEngine *rt_engine_new(const RtConfig *cfg, RtError *err);
/* Frees the engine. Requires every store and module of it to be freed first. */
void rt_engine_free(RtEngine *e);

/* Returns the canonical id (>= 1) of the function type, adding it if new; 0 if out of
 * memory. Structurally equal types get equal ids. Thread-safe. */
uint32_t rt_engine_intern_type(RtEngine *e, const uint8_t *params, uint32_t nparams,
                               const uint8_t *results, uint32_t nresults);
/* The type with canonical id `id`; false for an unknown id. Thread-safe. */
bool rt_engine_type(RtEngine *e, uint32_t id, RtFuncType *out);

/* A fiber for one host->wasm entry (from the pool or new); NULL if out of memory. */
RtFiber *rt_engine_fiber_get(RtEngine *e);
/* Returns a fiber to the pool (frees it when the pool is full). */
void rt_engine_fiber_put(RtEngine *e, RtFiber *f);

/* ---- Compiled modules (cmodule.c) ------------------------------------------------------------ */

/* The target this runtime runs, and the RT_CPU_* features of the host CPU. */
RtTarget rt_host_target(void);
uint64_t rt_host_cpu_features(void);
const char *rt_target_name(uint32_t target);

/* Checks every index, offset, count and type of `m` (a module from a file is untrusted):
 * true if the runtime can load it on this host; else false with an RT_ERROR_LOAD message. */
bool rt_cmodule_check(const RtCompiledModule *m, RtError *err);
/* The same checks except the host's: any target and CPU features (for tools that only look
 * at a module, such as a disassembler reading a cross-compiled file). */
bool rt_cmodule_check_format(const RtCompiledModule *m, RtError *err);
/* The names of the RT_CPU_* bits in `features` for `target` ("sse4.1 popcnt"), or "none". */
void rt_cpu_features_format(uint32_t target, uint64_t features, char *buf, size_t size);

/* ---- .skua files (cmodule_file.c) ------------------------------------------------------------
 *
 * A compiled module as bytes: a 64-byte header (magic, format version, target, CPU features,
 * flags, runtime ABI fingerprint, producer, payload size and CRC-32) and the payload (every
 * array of the RtCompiledModule). The layout is documented at the top of cmodule_file.c.
 */

#define RT_CMF_MAGIC_SIZE 8
#define RT_CMF_HEADER_SIZE 64
/* Bumped whenever the file layout or RT_CM_VERSION changes. */
#define RT_CMF_VERSION 1u

/* True if `bytes` start with the .skua magic (a wasm module starts with "\0asm"). */
bool rt_cmodule_file_is(const uint8_t *bytes, size_t size);
/* Writes `m` (checked with rt_cmodule_check_format first) to a malloc'd buffer. `producer`
 * (e.g. "skua 0.1.0", at most 15 bytes kept) is recorded for messages. */
bool rt_cmodule_serialize(const RtCompiledModule *m, const char *producer, uint8_t **out,
                          size_t *out_size, RtError *err);
/* Reads a .skua file into a malloc'd module, checking every count and offset before use and
 * the payload checksum. With `for_host`, also refuses another target, missing CPU features
 * and another runtime ABI, and runs rt_cmodule_check; without, rt_cmodule_check_format. */
bool rt_cmodule_deserialize(const uint8_t *bytes, size_t size, bool for_host,
                            RtCompiledModule **out, RtError *err);
/* CRC-32 (IEEE 802.3) of n bytes, as the .skua header records it. */
uint32_t rt_crc32(const uint8_t *p, size_t n);
/* A hash of everything compiled code assumes about this runtime beyond the compiled-module
 * structures (builtins, trap kinds, VM context and object layouts). */
uint64_t rt_abi_fingerprint(void);

/* ---- Loaded modules (module.c) --------------------------------------------------------------- */

/* A compiled module mapped executable (W^X) with relocations applied, its types made
 * canonical and its code registered with the trap handler. Reference counted: instances
 * hold a reference. */
typedef struct RtModule {
    RtEngine *engine;
    RtCompiledModule *cm;     // owned
    uint8_t *code;            // executable copy of cm->code (NULL when code_size == 0)
    size_t code_map_size;
    uint32_t *type_ids;       // canonical id per type index
    uint32_t *funcs_by_addr;  // defined function indices sorted by code offset
    uint32_t ndefined;
    RtVmLayout layout;
    atomic_int refs;
} RtModule;

/* Loads `cm`, taking ownership of it (it is freed on failure too). */
bool rt_module_load(RtEngine *e, RtCompiledModule *cm, RtModule **out, RtError *err);
void rt_module_retain(RtModule *m);
void rt_module_release(RtModule *m);
/* Function index whose code contains code offset `off`, or RT_CM_NONE (trampolines). */
uint32_t rt_module_func_at(const RtModule *m, uint32_t off);
/* Trap kind recorded at code offset `off`, or RT_TRAP_NONE. Async-signal-safe. */
RtTrapKind rt_module_trap_at(const RtModule *m, uint32_t off);
/* Index of the export named by the `len` bytes at `name` (names may hold NUL bytes), or
 * RT_CM_NONE. */
uint32_t rt_module_export_index(const RtModule *m, const char *name, size_t len);

/* ---- Code registry and signals (signals.c) -------------------------------------------------
 *
 * Process-wide: the set of executable code ranges of loaded modules, read by the signal
 * handler without locks (a published immutable snapshot plus a reader count), written under
 * a mutex. Also process-wide: one sigaction per SIGSEGV/SIGBUS/SIGILL/SIGFPE, installed once
 * by rt_signals_install(); faults outside wasm code go to the previously installed handler
 * (or the default action). Per thread: an alternate signal stack (rt_thread_prepare).
 */

bool rt_code_register(const RtModule *m);
void rt_code_unregister(const RtModule *m);
/* The module whose code contains `pc`, or NULL. Async-signal-safe. */
const RtModule *rt_code_lookup(uintptr_t pc);

/* Installs the trap handlers (idempotent, thread-safe). */
bool rt_signals_install(void);
/* Makes sure the calling thread has an alternate signal stack (idempotent). */
bool rt_thread_prepare(void);

/* ---- Fibers (fiber.c, fiber/<arch>.S) ------------------------------------------------------
 *
 * A fiber is a stack from mmap (PROT_NONE guard page below it) plus the saved stack pointer.
 * rt_fiber_run switches to it and runs fn(arg); it returns when fn returns, or when code on
 * the fiber calls rt_fiber_abandon (a trap). Fibers nest: a fiber may run another fiber, and
 * each returns to whoever ran it. The fiber's base frame has a zero frame pointer, so frame
 * walks stop there.
 */

#define RT_MAX_FRAMES 64

/* What a trap leaves behind on its fiber, read after rt_fiber_run returns false. */
typedef struct RtTrapRecord {
    uint32_t kind;        // RtTrapKind
    int signo;            // signal that caused it, 0 if raised by the runtime
    uintptr_t pc;         // faulting/trapping pc (0 if raised by the runtime)
    uintptr_t fault_addr; // SIGSEGV/SIGBUS address
    char *message;        // malloc'd, for RT_TRAP_HOST; NULL otherwise
    int32_t exit_code;    // RT_TRAP_EXIT
    uint32_t npcs;
    uintptr_t pcs[RT_MAX_FRAMES];  // wasm pcs, innermost first (pcs[0] exact, rest return
                                   // addresses)
    uint32_t nomitted;             // wasm function frames beyond pcs (the walk's limit)
} RtTrapRecord;

typedef void (*RtFiberFn)(void *arg);

struct RtFiber {
    uint8_t *map;        // whole mapping: guard page(s) then the stack
    size_t map_size;
    uintptr_t lo;        // lowest usable address (just above the guard)
    uintptr_t hi;        // one past the highest address (16-aligned)
    uintptr_t limit;     // VmCtx.stack_limit for wasm on this fiber: lo + RT_STACK_RESERVE
    void *sp;            // saved stack pointer while switched out
    void *parent_sp;     // saved stack pointer of whoever ran the fiber
    RtFiber *parent;     // fiber current when this one was run (NULL: a host stack)
    RtFiberFn fn;
    void *arg;
    bool abandoned;
    RtTrapRecord trap;
    RtFiber *next_free;  // engine pool link
    /* AddressSanitizer bookkeeping for stack switches. */
    void *asan_fake_stack;
    const void *asan_parent_bottom;
    size_t asan_parent_size;
};

/* A fiber whose stack has `usable` bytes above RT_STACK_RESERVE; NULL on failure. */
RtFiber *rt_fiber_new(size_t usable);
void rt_fiber_free(RtFiber *f);
/* Runs fn(arg) on `f` (which must not be running). True if fn returned, false if the fiber
 * was abandoned (f->trap tells why). */
bool rt_fiber_run(RtFiber *f, RtFiberFn fn, void *arg);
/* Leaves the current fiber for good, back to its rt_fiber_run (which returns false).
 * Requires being on a fiber. */
RT_NORETURN void rt_fiber_abandon(void);
/* The fiber the calling thread runs on, or NULL on a host stack. */
RtFiber *rt_fiber_current(void);

/* The assembly context switch: pushes the callee-saved registers on the current stack,
 * stores the stack pointer to *save_sp, loads `to_sp` and pops the registers saved there. */
void rt_fiber_switch(void **save_sp, void *to_sp);
/* Builds the initial frame of a fresh stack whose top is `top` (16-aligned) so that
 * rt_fiber_switch to the returned sp calls rt_fiber_main(f) with a zero frame pointer. */
void *rt_fiber_init_stack(uintptr_t top, RtFiber *f);
/* The C body every fiber starts in (fiber.c); never returns. */
RT_NORETURN void rt_fiber_main(RtFiber *f);

/* ---- Traps (trap.c) ------------------------------------------------------------------------ */

const char *rt_trap_kind_message(uint32_t kind);

/* Raises a trap from runtime code running on a fiber (a builtin or a host function): records
 * the kind and the wasm backtrace from the caller's frame chain, then abandons the fiber.
 * `message` (copied; NULL for the kind's spec message) and `exit_code` are for HOST/EXIT. */
RT_NORETURN void rt_trap_raise(uint32_t kind);
RT_NORETURN void rt_trap_raise_message(uint32_t kind, const char *message, int32_t exit_code);

/* Fills rec->pcs by walking the frame-pointer chain from `fp`, keeping return addresses that
 * lie in wasm code, within the current fiber's stack; past RT_MAX_FRAMES it only counts the
 * wasm function frames in rec->nomitted. Async-signal-safe. */
void rt_trap_walk(RtTrapRecord *rec, const RtFiber *f, uintptr_t fp);

/* One frame of a trap's backtrace. */
typedef struct RtFrame {
    uint32_t func_index;  // RT_CM_NONE if unknown
    uint32_t func_offset; // byte offset of the pc from the function's start
    char *func_name;      // from the name section, or NULL
    char *module_name;    // from the name section, or NULL
} RtFrame;

/* A trap as a value: kind, message and backtrace (innermost first). */
typedef struct RtTrap {
    uint32_t kind;     // RtTrapKind
    char *message;     // the spec message, or the host's message
    int32_t exit_code; // RT_TRAP_EXIT
    uint32_t nframes;
    RtFrame *frames;
    uint32_t nomitted; // frames past the recorded ones (the backtrace keeps RT_MAX_FRAMES)
} RtTrap;

/* A trap without a backtrace (e.g. a segment out of bounds at instantiation). */
RtTrap *rt_trap_new(uint32_t kind, const char *message, int32_t exit_code);
/* The trap described by `rec`, with its pcs mapped to functions and names. */
RtTrap *rt_trap_from_record(const RtTrapRecord *rec);
void rt_trap_free(RtTrap *t);

/* ---- Memories (memory.c) ------------------------------------------------------------------- */

struct RtMemory {
    uint8_t *base;          // +0 (vmctx.h contract)
    uint64_t size;          // +8 bytes
    RtEngine *engine;       // configuration and reservation pool
    uint64_t max_pages;     // effective maximum: declared maximum capped by the config
    uint64_t declared_max;  // pages, when has_max (the type used for import matching)
    bool has_max;
    bool guard;             // reservation covers RT_MEMORY_RESERVATION
    size_t reserved;        // bytes reserved at base
    RtMemory *next;         // store list
};
_Static_assert(offsetof(RtMemory, base) == RT_MEMORY_OFF_BASE, "RtMemory.base");
_Static_assert(offsetof(RtMemory, size) == RT_MEMORY_OFF_SIZE, "RtMemory.size");

/* Reserves (or reuses a pooled reservation of `e`) and commits a memory of `min` pages.
 * Fails (RT_ERROR_RESOURCE) if min exceeds the configured cap or the address space is
 * exhausted. */
bool rt_memory_init(RtMemory *m, RtEngine *e, uint64_t min, bool has_max, uint64_t max,
                    RtError *err);
/* Releases the memory: its reservation goes back to the engine's pool (pages dropped) or is
 * unmapped. The engine must still exist. */
void rt_memory_fini(RtMemory *m);
/* memory.grow: the old size in pages, or UINT32_MAX (size unchanged). */
uint32_t rt_memory_grow(RtMemory *m, uint32_t delta);

/* ---- Tables (table.c) ---------------------------------------------------------------------- */

struct RtTable {
    void **elems;          // +0 (vmctx.h contract)
    uint32_t size;         // +8
    uint32_t cap;          // allocated elements
    uint32_t max;          // effective maximum: declared maximum capped by the config
    uint32_t declared_max; // when has_max (import matching)
    bool has_max;
    uint8_t elem_type;     // RT_VT_FUNCREF or RT_VT_EXTERNREF
    RtTable *next;         // store list
};
_Static_assert(offsetof(RtTable, elems) == RT_TABLE_OFF_ELEMS, "RtTable.elems");
_Static_assert(offsetof(RtTable, size) == RT_TABLE_OFF_SIZE, "RtTable.size");

bool rt_table_init(RtTable *t, uint8_t elem_type, uint32_t min, bool has_max, uint32_t max,
                   void *init, const RtConfig *cfg, RtError *err);
void rt_table_fini(RtTable *t);
/* table.grow: the old size, or UINT32_MAX (size unchanged). */
uint32_t rt_table_grow(RtTable *t, uint32_t delta, void *init);

/* ---- Globals, host functions, externs ---------------------------------------------------- */

typedef struct RtInstance RtInstance;

typedef struct RtGlobal {
    RtVal *cell;      // the value (in a VmCtx for instance globals, else `own`)
    uint8_t type;     // RtValType
    bool mutable_;
    struct RtGlobal *next;  // store list (host-created globals)
    RtVal own;
} RtGlobal;

/*
 * The runtime's full host function (vmctx.h declares its first field). `ref` is its funcref:
 * ref.vmctx is this RtHostFunc, ref.code a host-call trampoline for its type, ref.flags has
 * RT_FUNCREF_HOST.
 *
 * Callers: the host-call trampoline passes only the RtHostFunc, so to tell a host function
 * which instance called it (WASI needs the caller's memory) every instance that imports a
 * host function gets its own bound copy (`origin` = the function the embedder made, `caller`
 * = the importing instance; its code is that module's trampoline). Wasm sees the copy: an
 * instance that re-exports the import passes the same copy on, so ref.func identity holds
 * along every import chain, but two instances importing one host function independently see
 * two references. The embedder's own function (origin NULL, caller NULL) gets a trampoline
 * only when it must be callable from wasm without an import (rt_store_bind_host).
 */
struct RtHostFunc {
    RtHostCallback callback;  // +0 (vmctx.h contract)
    RtFuncRef ref;
    void *data;               // for the callback
    void (*free_data)(void *data);  // NULL for bound copies (the origin owns data)
    RtHostFunc *origin;       // the embedder's function this copy is bound from, or NULL
    RtInstance *caller;       // the importing instance of a bound copy, or NULL
    RtHostFunc *next;         // store list
};
_Static_assert(offsetof(RtHostFunc, callback) == RT_HOSTFUNC_OFF_CALLBACK, "RtHostFunc");

/* The RtHostFunc of a host funcref, or NULL for a wasm function. */
static inline RtHostFunc *
rt_funcref_host(const RtFuncRef *f)
{
    return (f->flags & RT_FUNCREF_HOST) ? (RtHostFunc *)(void *)f->vmctx : NULL;
}

/* An external value: what an import receives and an export gives. */
typedef struct RtExtern {
    uint8_t kind;  // RtExternKind
    union {
        const RtFuncRef *func;
        RtTable *table;
        RtMemory *memory;
        RtGlobal *global;
    } u;
} RtExtern;

/* ---- Stores (store.c) ---------------------------------------------------------------------- */

/* Owns instances and the host-created objects; everything lives until the store is freed. */
typedef struct RtStore {
    RtEngine *engine;
    RtInstance *instances;
    RtHostFunc *hostfuncs;
    RtMemory *memories;
    RtTable *tables;
    RtGlobal *globals;
    uintptr_t stack_limit;  // the limit every VmCtx of the store holds now
    uint32_t nesting;       // host->wasm entries in progress
} RtStore;

RtStore *rt_store_new(RtEngine *e);
void rt_store_free(RtStore *s);
/* Sets the stack limit in every VM context of the store. */
void rt_store_set_stack_limit(RtStore *s, uintptr_t limit);
RtMemory *rt_store_memory_new(RtStore *s, uint64_t min, bool has_max, uint64_t max,
                              RtError *err);
RtTable *rt_store_table_new(RtStore *s, uint8_t elem_type, uint32_t min, bool has_max,
                            uint32_t max, void *init, RtError *err);
RtGlobal *rt_store_global_new(RtStore *s, uint8_t type, bool mutable_, const RtVal *init,
                              RtError *err);
/* A host function of canonical type `type_id`; `data` is freed with free_data (if not NULL)
 * when the store is freed, and on failure. */
RtHostFunc *rt_store_hostfunc_new(RtStore *s, uint32_t type_id, RtHostCallback cb, void *data,
                                  void (*free_data)(void *), RtError *err);
/* Makes sure host funcref `f` has a trampoline (from any module instantiated in the store
 * with a structurally equal type). False if none is available yet. */
bool rt_store_bind_host(RtStore *s, const RtFuncRef *f);

/* ---- Instances (instance.c) ---------------------------------------------------------------- */

struct RtInstance {
    RtStore *store;
    RtModule *module;  // referenced
    VmCtx *vmctx;      // RT_VMCTX_ALIGN-aligned, module->layout.size bytes
    const RtFuncRef **funcs;  // per function index
    RtTable **tables;         // per table index
    RtMemory **memories;      // per memory index
    RtGlobal **globals;       // per global index
    RtGlobal *own_globals;    // defined globals' handles (cells in vmctx)
    RtHostFunc *host_imports; // per imported function: its bound copy, if a host function
    void ***elem_items;       // per element segment: evaluated items (NULL when dropped)
    uint32_t *elem_sizes;     // per element segment: item count, 0 when dropped
    uint32_t *data_sizes;     // per data segment: byte count, 0 when dropped
    RtInstance *next;         // store list
};

/*
 * Instantiates `m` in `s` with `imports` (one per module import, in import order): checks
 * import types (RT_ERROR_LINK, "incompatible import type"), builds the VM context, runs the
 * element and data segments and the start function. False with `err` on a link or resource
 * error; false with *out_trap on a trap (the instance stays in the store: its segment writes
 * into imported tables/memories remain visible, as the spec requires).
 */
bool rt_instance_new(RtStore *s, RtModule *m, const RtExtern *imports, uint32_t nimports,
                     RtInstance **out, RtTrap **out_trap, RtError *err);
/* The export of `inst` named by the `len` bytes at `name`; false if there is none. */
bool rt_instance_export(const RtInstance *inst, const char *name, size_t len, RtExtern *out);
/* The extern for export number `i` of the module. */
RtExtern rt_instance_export_at(const RtInstance *inst, uint32_t i);
/* Frees an instance's own memory (its VM context, arrays) and its module reference; the
 * store frees the tables, memories and globals. Only rt_store_free calls it. */
void rt_instance_free(RtInstance *inst);

/* ---- Calls (call.c) ------------------------------------------------------------------------ */

/*
 * Calls `f` with args_results[0..nparams) on a fiber; results replace them in
 * args_results[0..nresults) (the array holds max(nparams, nresults) slots, types per the
 * function's canonical type). Returns true on success; false with *out_trap on a trap, or
 * false with `err` when the call cannot be made (no trampoline, nesting limit, no memory).
 */
bool rt_call(RtStore *s, const RtFuncRef *f, RtVal *args_results, RtTrap **out_trap,
             RtError *err);

/* ---- Builtins (builtins.c) ----------------------------------------------------------------- */

/* Address of builtin `id` (RtBuiltin), or NULL for an unknown id. */
const void *rt_builtin_address(uint32_t id);

uint32_t rt_builtin_memory_grow(VmCtx *vmctx, uint32_t mem, uint32_t delta);
uint32_t rt_builtin_memory_size(VmCtx *vmctx, uint32_t mem);
void rt_builtin_memory_fill(VmCtx *vmctx, uint32_t mem, uint32_t dst, uint32_t val, uint32_t n);
void rt_builtin_memory_copy(VmCtx *vmctx, uint32_t dst_mem, uint32_t src_mem, uint32_t dst,
                            uint32_t src, uint32_t n);
void rt_builtin_memory_init(VmCtx *vmctx, uint32_t mem, uint32_t seg, uint32_t dst,
                            uint32_t src, uint32_t n);
void rt_builtin_data_drop(VmCtx *vmctx, uint32_t seg);
void *rt_builtin_table_get(VmCtx *vmctx, uint32_t table, uint32_t idx);
void rt_builtin_table_set(VmCtx *vmctx, uint32_t table, uint32_t idx, void *val);
uint32_t rt_builtin_table_size(VmCtx *vmctx, uint32_t table);
uint32_t rt_builtin_table_grow(VmCtx *vmctx, uint32_t table, void *init, uint32_t delta);
void rt_builtin_table_fill(VmCtx *vmctx, uint32_t table, uint32_t dst, void *val, uint32_t n);
void rt_builtin_table_copy(VmCtx *vmctx, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                           uint32_t src, uint32_t n);
void rt_builtin_table_init(VmCtx *vmctx, uint32_t table, uint32_t seg, uint32_t dst,
                           uint32_t src, uint32_t n);
void rt_builtin_elem_drop(VmCtx *vmctx, uint32_t seg);
RT_NORETURN void rt_builtin_trap(VmCtx *vmctx, uint32_t kind);

/*
 * The bounds-checked bodies of the bulk operations, shared by the builtins (which trap) and
 * instantiation (which turns a failure into a trap value): false if out of bounds, in which
 * case nothing was written.
 */
bool rt_table_init_checked(RtInstance *inst, RtTable *t, uint32_t seg, uint32_t dst,
                           uint32_t src, uint32_t n);
bool rt_memory_init_checked(RtInstance *inst, RtMemory *m, uint32_t seg, uint32_t dst,
                            uint32_t src, uint32_t n);

#endif
