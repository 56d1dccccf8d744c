/*
 * The VM context layout: the contract between generated code and the runtime (DESIGN.md,
 * "Contracts that several layers share"). Generated code reads everything it needs at run
 * time through its VM context pointer; the offsets it uses come from this header and nowhere
 * else. Backends may include this header and runtime/cmodule.h, nothing else of the runtime.
 * Requires a 64-bit little-endian host (x86_64, aarch64); every offset below is in bytes.
 */
#ifndef SKUA_RUNTIME_VMCTX_H
#define SKUA_RUNTIME_VMCTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * ---- Calling convention ----------------------------------------------------------------
 *
 * Every wasm function (defined, imported, host) is called as
 *
 *     ret f(VmCtx *vmctx, args...)
 *
 * under the platform C ABI: SysV on x86_64 (vmctx in rdi, integer arguments in rsi, rdx, rcx,
 * r8, r9 then the stack; f32/f64/v128 in xmm0-7 then the stack), AAPCS64 on aarch64 (vmctx in
 * x0, integers in x1-x7, floats/v128 in v0-v7). i32 and f32 travel in the low half of their
 * register; the upper bits are unspecified on entry (SysV rule), so callees zero- or
 * sign-extend themselves. funcref and externref travel as pointer-sized integers.
 *
 * Multiple results (owned by the backend; only compiler-emitted code depends on this): a
 * function with n >= 2 results returns result 0 in the ordinary return register of its class
 * (rax/xmm0, x0/v0) and writes results 1..n-1 into a *results area* of 16-byte slots (the
 * RtVal layout, slot k-1 holds result k) whose address the caller passes as a hidden
 * argument immediately after vmctx (rsi / x1), shifting the declared arguments by one
 * integer register. The caller allocates the area in its own frame.
 *
 * Frame pointers are always kept (rbp / x29 form the usual frame-record chain): the runtime
 * walks that chain for backtraces, and the fiber base has a zero frame pointer.
 *
 * ---- Stack limit ------------------------------------------------------------------------
 *
 * Wasm runs on runtime-owned fiber stacks. VmCtx.stack_limit is the lowest stack-pointer
 * value wasm code may use. Each function prologue, after pushing the frame record (so the
 * backtrace includes the caller), checks
 *
 *     sp - frame_size >= stack_limit       (unsigned compare; frame_size = bytes the prologue
 *                                           still allocates)
 *
 * and traps with RT_TRAP_STACK_EXHAUSTED if not. Frames of at most RT_STACK_FRAME_SLACK bytes
 * may compare sp itself with the limit. Below stack_limit the runtime always keeps at least
 * RT_STACK_RESERVE bytes of usable stack (for builtins, host functions and the slack) before
 * the guard page. The limit changes when the runtime switches fibers; it is re-read on every
 * call, never cached across calls.
 *
 * ---- Trampolines (emitted by the compiler, one pair per function type) -------------------
 *
 * Entry:  void entry(VmCtx *caller_vmctx, const RtFuncRef *callee, RtVal *args_results)
 *         Loads the nparams arguments from args_results[0..nparams), calls callee->code
 *         with callee->vmctx as the VM context, and stores the nresults results to
 *         args_results[0..nresults). The array holds max(nparams, nresults) slots. The
 *         runtime calls it on a fiber and passes callee->vmctx as caller_vmctx (unused by
 *         the trampoline; it exists so a trampoline may check the stack limit).
 * Host:   ret host_tramp(RtHostFunc *hf, args...)
 *         Has the wasm ABI of its type (hf sits where vmctx would). Spills its arguments
 *         into an RtVal array of max(nparams, nresults) slots on its own stack, calls
 *         hf->callback(hf, array) (the pointer is read at RT_HOSTFUNC_OFF_CALLBACK), then
 *         returns the results from array[0..nresults) with the multi-value convention above.
 *         The callback may not return (a trap unwinds through it).
 *
 * ---- Trap conventions --------------------------------------------------------------------
 *
 * Generated code traps by executing `ud2` (x86_64) or `udf #0` (aarch64) at a site recorded
 * in the module's trap table (runtime/cmodule.h, RtCmTrap), or by faulting at a memory
 * access recorded there (guard-region bounds checks), or by calling the builtin
 * RT_BUILTIN_TRAP. A hardware divide fault (x86 #DE, SIGFPE) maps to the record at the idiv;
 * since #DE covers both a zero divisor and INT_MIN / -1, code that relies on it must rule one
 * of the two out explicitly. A fault inside wasm code without a record is reported as
 * RT_TRAP_INTERNAL (a compiler bug), except stack-guard faults (RT_TRAP_STACK_EXHAUSTED).
 */

/* Value types, numbered by their WebAssembly binary encoding. */
typedef enum RtValType {
    RT_VT_NONE = 0,
    RT_VT_I32 = 0x7F,
    RT_VT_I64 = 0x7E,
    RT_VT_F32 = 0x7D,
    RT_VT_F64 = 0x7C,
    RT_VT_V128 = 0x7B,
    RT_VT_FUNCREF = 0x70,
    RT_VT_EXTERNREF = 0x6F,
} RtValType;

/* Traps: X(name, spec message). The messages are the spec testsuite's exact strings. */
#define RT_TRAP_KINDS(X)                                                                     \
    X(NONE, "no trap")                                                                       \
    X(UNREACHABLE, "unreachable")                                                            \
    X(INT_DIV_ZERO, "integer divide by zero")                                                \
    X(INT_OVERFLOW, "integer overflow")                                                      \
    X(BAD_CONVERSION, "invalid conversion to integer")                                       \
    X(MEMORY_OOB, "out of bounds memory access")                                             \
    X(TABLE_OOB, "out of bounds table access")                                               \
    X(UNDEFINED_ELEMENT, "undefined element")          /* call_indirect index >= size */     \
    X(UNINITIALIZED_ELEMENT, "uninitialized element")  /* call_indirect of a null entry */   \
    X(INDIRECT_CALL_TYPE, "indirect call type mismatch")                                     \
    X(STACK_EXHAUSTED, "call stack exhausted")                                               \
    X(HOST, "host trap")           /* raised by a host function; carries its own message */  \
    X(EXIT, "exit")                /* WASI proc_exit: unwinds with an exit code */          \
    X(INTERNAL, "internal error")  /* fault in wasm code with no trap record */

typedef enum RtTrapKind {
#define RT_TRAP_ENUM(name, msg) RT_TRAP_##name,
    RT_TRAP_KINDS(RT_TRAP_ENUM)
#undef RT_TRAP_ENUM
    RT_TRAP_COUNT
} RtTrapKind;

/* Bytes below stack_limit that the runtime keeps usable (see "Stack limit" above). */
#define RT_STACK_RESERVE (128u * 1024u)
/* Frames up to this size may check sp (before allocating) against the limit. */
#define RT_STACK_FRAME_SLACK (4u * 1024u)

/* ---- Memory --------------------------------------------------------------------------- */

#define RT_WASM_PAGE_SIZE 65536u
/*
 * A 32-bit memory in guard-region mode is one reservation of RT_MEMORY_RESERVATION bytes
 * from its base: an address base + zext(i32 index) + u32 offset + access size (<= 16) always
 * lies inside it, so no bounds check is needed; bytes at or beyond the current size are
 * PROT_NONE and fault. The base never moves (in the explicit-check mode either, where code
 * compares index + offset + size with the current byte size).
 */
#define RT_MEMORY_RESERVATION ((8ull << 30) + RT_WASM_PAGE_SIZE)

/*
 * RtMemory: one linear memory. Generated code may read only these two fields:
 *   +0  uint8_t *base     first byte; never changes
 *   +8  uint64_t size     current size in bytes (a multiple of 64 KiB); grows only
 */
typedef struct RtMemory RtMemory;
#define RT_MEMORY_OFF_BASE 0
#define RT_MEMORY_OFF_SIZE 8

/*
 * RtTable: one table. Generated code may read only these two fields:
 *   +0  void   **elems    element array, 8 bytes per element (funcref: const RtFuncRef *,
 *                         NULL is ref.null; externref: opaque pointer, NULL is ref.null);
 *                         MOVES when the table grows, so reload it after any call
 *   +8  uint32_t size     current number of elements
 */
typedef struct RtTable RtTable;
#define RT_TABLE_OFF_ELEMS 0
#define RT_TABLE_OFF_SIZE 8
#define RT_TABLE_ELEM_SIZE 8

/* ---- Values and function references ----------------------------------------------------- */

/*
 * One value slot (arguments and results of trampolines, global cells): 16 bytes, value at
 * offset 0 in little-endian order. i32/f32 use bytes 0-3, i64/f64/references bytes 0-7,
 * v128 all 16. A writer of a narrow type need not clear the rest; a reader reads only its
 * type's bytes.
 */
typedef union RtVal {
    uint32_t i32;
    uint64_t i64;
    uint32_t f32;  // bit pattern
    uint64_t f64;  // bit pattern
    _Alignas(16) uint8_t v128[16];
    void *ref;     // funcref (const RtFuncRef *) or externref; NULL is ref.null
} RtVal;

typedef struct VmCtx VmCtx;

/*
 * A function instance as a first-class reference. A funcref value is a pointer to one; a
 * call through it is `code(vmctx, args...)`. There is exactly one RtFuncRef per function
 * instance (ref.func of one function gives the same pointer in every instance that imports
 * it). type_id is the engine-wide canonical id of the function type: structurally equal
 * types of different modules have equal ids, so call_indirect compares it with the id in
 * its own VmCtx's type-id array. Ids are nonzero.
 *
 *   +0   void    *code     entry point (wasm ABI)
 *   +8   VmCtx   *vmctx    context passed as the first argument (an RtHostFunc * for hosts)
 *   +16  uint32_t type_id  canonical type id
 *   +20  uint32_t flags    RT_FUNCREF_* (runtime use)
 */
typedef struct RtFuncRef {
    void *code;
    VmCtx *vmctx;
    uint32_t type_id;
    uint32_t flags;
} RtFuncRef;

#define RT_FUNCREF_OFF_CODE 0
#define RT_FUNCREF_OFF_VMCTX 8
#define RT_FUNCREF_OFF_TYPE_ID 16
#define RT_FUNCREF_SIZE 24
#define RT_FUNCREF_HOST 1u  // flags: vmctx is an RtHostFunc

/*
 * A host function as seen by generated code (the runtime's full definition extends it). The
 * host-call trampoline reads `callback` at offset 0 and calls it with the RtHostFunc itself.
 */
typedef struct RtHostFunc RtHostFunc;
typedef void (*RtHostCallback)(RtHostFunc *hf, RtVal *args_results);
#define RT_HOSTFUNC_OFF_CALLBACK 0

/* ---- The VM context ------------------------------------------------------------------------
 *
 * One per instance, 64-byte aligned. The fixed header comes first; the per-module parts follow
 * at offsets computed by rt_vmlayout_compute() from the module's counts:
 *
 *   +0                 header (struct VmCtx, RT_VMCTX_HEADER_SIZE bytes)
 *   type_ids           uint32_t per type index: the canonical type id
 *   imported_funcs     const RtFuncRef * per imported function (function index order)
 *   funcrefs           RtFuncRef (24 bytes) per defined function, inline: for defined
 *                      function i, ref.func is `lea vmctx + funcrefs + 24 * (i - nimported)`
 *   tables             RtTable * per table (imported and defined, table index order)
 *   memories           RtMemory * per memory (imported and defined)
 *   imported_globals   RtVal * per imported global: points at the exporter's 16-byte cell
 *   globals            RtVal (16-byte cell, 16-aligned) per defined global, inline
 *
 * Calls: a direct call to a defined function is a plain call with the caller's own vmctx. A
 * call to imported function i loads f = imported_funcs[i] and calls f->code(f->vmctx, ...).
 * call_indirect t, type x: tab = tables[t]; idx >= tab->size traps UNDEFINED_ELEMENT;
 * f = tab->elems[idx]; NULL traps UNINITIALIZED_ELEMENT; f->type_id != type_ids[x] traps
 * INDIRECT_CALL_TYPE; then f->code(f->vmctx, ...).
 */
struct VmCtx {
    uint8_t *mem0_base;     // +0  memory 0's base (== mem0->base); NULL without a memory
    RtMemory *mem0;         // +8  memory 0 (current size at RT_MEMORY_OFF_SIZE); or NULL
    uintptr_t stack_limit;  // +16 lowest allowed stack pointer (see "Stack limit")
    void *instance;         // +24 owning RtInstance (runtime use only)
    uint64_t reserved[4];   // +32 zero; reserved for the runtime (e.g. interruption)
};

#define RT_VMCTX_OFF_MEM0_BASE 0
#define RT_VMCTX_OFF_MEM0 8
#define RT_VMCTX_OFF_STACK_LIMIT 16
#define RT_VMCTX_OFF_INSTANCE 24
#define RT_VMCTX_HEADER_SIZE 64
#define RT_VMCTX_ALIGN 64
/* Largest VM context: every offset fits a signed 32-bit displacement. */
#define RT_VMCTX_MAX_SIZE 0x7FFFFFF0u

_Static_assert(sizeof(void *) == 8, "skua requires a 64-bit host");
_Static_assert(sizeof(RtVal) == 16 && _Alignof(RtVal) == 16, "RtVal is a 16-byte slot");
_Static_assert(sizeof(RtFuncRef) == RT_FUNCREF_SIZE, "RtFuncRef layout");
_Static_assert(offsetof(RtFuncRef, code) == RT_FUNCREF_OFF_CODE, "RtFuncRef.code");
_Static_assert(offsetof(RtFuncRef, vmctx) == RT_FUNCREF_OFF_VMCTX, "RtFuncRef.vmctx");
_Static_assert(offsetof(RtFuncRef, type_id) == RT_FUNCREF_OFF_TYPE_ID, "RtFuncRef.type_id");
_Static_assert(offsetof(struct VmCtx, mem0_base) == RT_VMCTX_OFF_MEM0_BASE, "VmCtx.mem0_base");
_Static_assert(offsetof(struct VmCtx, mem0) == RT_VMCTX_OFF_MEM0, "VmCtx.mem0");
_Static_assert(offsetof(struct VmCtx, stack_limit) == RT_VMCTX_OFF_STACK_LIMIT,
               "VmCtx.stack_limit");
_Static_assert(offsetof(struct VmCtx, instance) == RT_VMCTX_OFF_INSTANCE, "VmCtx.instance");
_Static_assert(sizeof(struct VmCtx) == RT_VMCTX_HEADER_SIZE, "VmCtx header size");

/* The counts that determine a module's VM context layout. */
typedef struct RtVmCounts {
    uint32_t ntypes;
    uint32_t nimported_funcs;
    uint32_t ndefined_funcs;
    uint32_t ntables;            // imported + defined
    uint32_t nmemories;          // imported + defined
    uint32_t nimported_globals;
    uint32_t ndefined_globals;
} RtVmCounts;

/* Byte offsets from the VM context pointer of each per-module part, and the total size. */
typedef struct RtVmLayout {
    RtVmCounts counts;
    uint32_t type_ids;
    uint32_t imported_funcs;
    uint32_t funcrefs;
    uint32_t tables;
    uint32_t memories;
    uint32_t imported_globals;
    uint32_t globals;
    uint32_t size;  // total bytes, a multiple of RT_VMCTX_ALIGN
} RtVmLayout;

/*
 * Computes the layout for `counts`. Returns false (layout unusable: the module is too large
 * for 32-bit displacements) if the context would exceed RT_VMCTX_MAX_SIZE. Pure; the runtime
 * and the backend call it with the same counts and get the same offsets.
 */
static inline bool
rt_vmlayout_compute(const RtVmCounts *counts, RtVmLayout *out)
{
    uint64_t off = RT_VMCTX_HEADER_SIZE;
    out->counts = *counts;
    out->type_ids = (uint32_t)off;
    off += 4ull * counts->ntypes;
    off = (off + 7) & ~7ull;
    out->imported_funcs = (uint32_t)off;
    off += 8ull * counts->nimported_funcs;
    if (off > RT_VMCTX_MAX_SIZE)
        return false;
    out->funcrefs = (uint32_t)off;
    off += (uint64_t)RT_FUNCREF_SIZE * counts->ndefined_funcs;
    if (off > RT_VMCTX_MAX_SIZE)
        return false;
    out->tables = (uint32_t)off;
    off += 8ull * counts->ntables;
    out->memories = (uint32_t)off;
    off += 8ull * counts->nmemories;
    out->imported_globals = (uint32_t)off;
    off += 8ull * counts->nimported_globals;
    off = (off + 15) & ~15ull;
    if (off > RT_VMCTX_MAX_SIZE)
        return false;
    out->globals = (uint32_t)off;
    off += 16ull * counts->ndefined_globals;
    off = (off + RT_VMCTX_ALIGN - 1) & ~(uint64_t)(RT_VMCTX_ALIGN - 1);
    if (off > RT_VMCTX_MAX_SIZE)
        return false;
    out->size = (uint32_t)off;
    return true;
}

/* Offset of the canonical type id (uint32_t) of type index `type_index`. */
static inline uint32_t
rt_vmlayout_type_id(const RtVmLayout *l, uint32_t type_index)
{
    return l->type_ids + 4u * type_index;
}

/* Offset of the `const RtFuncRef *` slot of imported function `func_index`. */
static inline uint32_t
rt_vmlayout_imported_func(const RtVmLayout *l, uint32_t func_index)
{
    return l->imported_funcs + 8u * func_index;
}

/* Offset of the inline RtFuncRef of defined function `func_index` (a function index, not a
 * defined-function index: requires func_index >= nimported_funcs). */
static inline uint32_t
rt_vmlayout_funcref(const RtVmLayout *l, uint32_t func_index)
{
    return l->funcrefs + RT_FUNCREF_SIZE * (func_index - l->counts.nimported_funcs);
}

/* Offset of the `RtTable *` slot of table `table_index`. */
static inline uint32_t
rt_vmlayout_table(const RtVmLayout *l, uint32_t table_index)
{
    return l->tables + 8u * table_index;
}

/* Offset of the `RtMemory *` slot of memory `mem_index`. */
static inline uint32_t
rt_vmlayout_memory(const RtVmLayout *l, uint32_t mem_index)
{
    return l->memories + 8u * mem_index;
}

/* Offset of the `RtVal *` slot of imported global `global_index` (< nimported_globals). */
static inline uint32_t
rt_vmlayout_imported_global(const RtVmLayout *l, uint32_t global_index)
{
    return l->imported_globals + 8u * global_index;
}

/* Offset of the inline 16-byte cell of defined global `global_index` (a global index:
 * requires global_index >= nimported_globals). */
static inline uint32_t
rt_vmlayout_global(const RtVmLayout *l, uint32_t global_index)
{
    return l->globals + 16u * (global_index - l->counts.nimported_globals);
}

/* ---- Builtins -----------------------------------------------------------------------------
 *
 * C functions of the runtime (C ABI, VmCtx first) for what generated code does not inline.
 * Generated code reaches them through relocations (RT_RELOC_ABS64 with an RT_SYM_BUILTIN
 * symbol, runtime/cmodule.h): an 8-byte absolute address slot or the imm64 of a
 * `mov r, imm64` that the loader patches. Builtins that trap never return to the caller (the
 * trap unwinds to the embedder); all others return normally. `mem`, `table`, `seg` are
 * indices in the calling instance's index spaces; addresses, lengths and table indices are
 * the unsigned 32-bit wasm operands. Bounds are checked exactly as the spec says (a length-0
 * operation at offset == size is fine; anything beyond traps before any effect), copies
 * within one memory/table behave as memmove.
 *
 * X(NAME, C signature as documentation)
 */
#define RT_BUILTINS(X)                                                                       \
    /* memory.grow: returns the old size in pages, or 0xFFFFFFFF if it cannot grow. */       \
    X(MEMORY_GROW, "uint32_t (VmCtx *vmctx, uint32_t mem, uint32_t delta_pages)")            \
    /* memory.size: current size in pages. */                                                \
    X(MEMORY_SIZE, "uint32_t (VmCtx *vmctx, uint32_t mem)")                                  \
    /* memory.fill: traps MEMORY_OOB if dst + n > size. val's low byte is stored. */         \
    X(MEMORY_FILL, "void (VmCtx *vmctx, uint32_t mem, uint32_t dst, uint32_t val, uint32_t n)") \
    /* memory.copy: traps MEMORY_OOB if either range exceeds its memory. */                  \
    X(MEMORY_COPY, "void (VmCtx *vmctx, uint32_t dst_mem, uint32_t src_mem, uint32_t dst, "  \
                   "uint32_t src, uint32_t n)")                                              \
    /* memory.init: traps MEMORY_OOB (also for a dropped segment with n > 0). */            \
    X(MEMORY_INIT, "void (VmCtx *vmctx, uint32_t mem, uint32_t seg, uint32_t dst, "          \
                   "uint32_t src, uint32_t n)")                                              \
    X(DATA_DROP, "void (VmCtx *vmctx, uint32_t seg)")                                        \
    /* table.get: traps TABLE_OOB if idx >= size. */                                         \
    X(TABLE_GET, "void *(VmCtx *vmctx, uint32_t table, uint32_t idx)")                       \
    X(TABLE_SET, "void (VmCtx *vmctx, uint32_t table, uint32_t idx, void *val)")             \
    X(TABLE_SIZE, "uint32_t (VmCtx *vmctx, uint32_t table)")                                 \
    /* table.grow: returns the old size, or 0xFFFFFFFF if it cannot grow. */                 \
    X(TABLE_GROW, "uint32_t (VmCtx *vmctx, uint32_t table, void *init, uint32_t delta)")     \
    X(TABLE_FILL, "void (VmCtx *vmctx, uint32_t table, uint32_t dst, void *val, uint32_t n)") \
    X(TABLE_COPY, "void (VmCtx *vmctx, uint32_t dst_table, uint32_t src_table, "             \
                  "uint32_t dst, uint32_t src, uint32_t n)")                                 \
    /* table.init: traps TABLE_OOB (also for a dropped segment with n > 0). */              \
    X(TABLE_INIT, "void (VmCtx *vmctx, uint32_t table, uint32_t seg, uint32_t dst, "         \
                  "uint32_t src, uint32_t n)")                                               \
    X(ELEM_DROP, "void (VmCtx *vmctx, uint32_t seg)")                                        \
    /* Raises trap `kind` (an RtTrapKind); never returns. */                                 \
    X(TRAP, "void (VmCtx *vmctx, uint32_t kind)")                                            \
    /* Rounding fallbacks for hosts without SSE4.1 roundss/roundsd (exact wasm semantics). */ \
    X(F32_CEIL, "float (VmCtx *vmctx, float x)")                                             \
    X(F32_FLOOR, "float (VmCtx *vmctx, float x)")                                            \
    X(F32_TRUNC, "float (VmCtx *vmctx, float x)")                                            \
    X(F32_NEAREST, "float (VmCtx *vmctx, float x)")                                          \
    X(F64_CEIL, "double (VmCtx *vmctx, double x)")                                           \
    X(F64_FLOOR, "double (VmCtx *vmctx, double x)")                                          \
    X(F64_TRUNC, "double (VmCtx *vmctx, double x)")                                          \
    X(F64_NEAREST, "double (VmCtx *vmctx, double x)")

typedef enum RtBuiltin {
    RT_BUILTIN_NONE = 0,
#define RT_BUILTIN_ENUM(name, sig) RT_BUILTIN_##name,
    RT_BUILTINS(RT_BUILTIN_ENUM)
#undef RT_BUILTIN_ENUM
    RT_BUILTIN_COUNT
} RtBuiltin;

#endif
