/*
 * backends/backend.h: the public interface of the code generator (the `backends/` layer of
 * DESIGN.md), used by tools/. A CgCtx compiles the IR functions of one module, one after
 * another, into a single code blob (direct calls resolved inside it), adds the per-signature
 * trampolines and hands the result over as the code part of a runtime/cmodule.h compiled
 * module. Targets are reached only through `const CgTarget *` (backends/target.h); the list
 * of targets is at the end of this header.
 *
 * Threading: a CgCtx belongs to one thread; targets are immutable and shared.
 */
#ifndef SKUA_BACKENDS_BACKEND_H
#define SKUA_BACKENDS_BACKEND_H

#include "ir/arena.h"
#include "ir/diag.h"
#include "ir/ir.h"
#include "runtime/cmodule.h"

typedef struct CgCtx CgCtx;
typedef struct CgTarget CgTarget;

typedef struct CgOptions {
    uint64_t cpu_features;    // RT_CPU_* bits of the target the code may use
    bool explicit_bounds;     // check memory bounds in code instead of guard regions
    bool verify;              // check MIR and allocation invariants (test builds)
    bool dump;                // keep the last function's MIR and allocation text (debugging)
} CgOptions;

/* Compile statistics, accumulated over a CgCtx's life. Times in nanoseconds. */
typedef struct CgStats {
    uint64_t ns_isel, ns_live, ns_regalloc, ns_emit;
    uint64_t funcs;
    uint64_t insts;       // MIR instructions selected
    uint64_t vregs;       // virtual registers
    uint64_t spilled;     // virtual registers that got a spill slot
    uint64_t moves;       // moves inserted by allocation (splits, edges, spills)
    uint64_t call_spills;  // parts spilled across a call in one step (regalloc.c)
    uint64_t code_bytes;  // bytes of function code (trampolines excluded)
} CgStats;

/* module.c */

/* A new context for `target`, or NULL on allocation failure. `alloc` NULL = default. */
CgCtx *cg_ctx_new(const CgTarget *target, const CgOptions *opts, const SkAlloc *alloc);
void cg_ctx_free(CgCtx *ctx);

/* Starts a module (`m` must outlive the module's compilation). The function offsets, fixups
 * and code of a previous module are dropped. Returns false with `diag` set if the module is
 * too large for the VM context layout. */
bool cg_module_begin(CgCtx *ctx, const IrModule *m, SkDiag *diag);

/* Compiles one defined function (f->index) of the current module and appends its code. The
 * IR must have been through ir_passes_run (use counts). Returns false with `diag` set on input
 * the backend cannot compile (an implementation limit, out of memory). */
bool cg_func_compile(CgCtx *ctx, const IrFunc *f, SkDiag *diag);

/*
 * Finishes the module: emits the trampolines for every signature (m->sigs), resolves direct
 * calls, lays out the builtin address slots, and moves the results into `out`: code,
 * code_size, relocs, traps (sorted), target, cpu_features, flags, the code offset and size of
 * every function (out->funcs must have m->nfuncs entries) and the trampoline offsets of every
 * type (out->types must have m->nsigs entries). Other fields are left alone. Every function
 * a direct call names must have been compiled. Returns false with `diag` set on failure.
 */
bool cg_module_finish(CgCtx *ctx, RtCompiledModule *out, SkDiag *diag);

/* The target's name ("x86_64"). */
const char *cg_target_name(const CgTarget *target);

/* Statistics so far. */
const CgStats *cg_ctx_stats(const CgCtx *ctx);

/* The last function's dump (CgOptions.dump), or "". */
const char *cg_ctx_dump(const CgCtx *ctx);

/* ---- targets (one line per target: backends/<target>/target.c) ---- */

/* x86_64 (SysV ABI). */
extern const CgTarget x64_target;
/* CPU features of the host for x64_target (RT_CPU_X64_* bits, from cpuid). */
uint64_t x64_host_features(void);

#endif
