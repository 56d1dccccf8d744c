/*
 * The compilation driver: the glue that knows both the frontend and the backend (only tools/
 * may depend on both). It runs the whole pipeline, decode -> validate -> per function
 * (translate -> IR passes -> code generation) -> trampolines and code blob, and builds the
 * runtime's compiled module (runtime/cmodule.h) from the frontend's module plus the
 * backend's output. It also provides the compiler hook the runtime's embedding API takes
 * (SkuaConfig.compile), so `skua run` and `skua wast` compile through it.
 */
#ifndef SKUA_TOOLS_COMPILE_DRIVER_H
#define SKUA_TOOLS_COMPILE_DRIVER_H

#include "backends/backend.h"
#include "frontend/frontend.h"
#include "runtime/cmodule.h"

struct SkuaConfig;

typedef struct CliCompileOptions {
    const CgTarget *target;  // NULL: the host's
    uint64_t cpu_features;   // RT_CPU_* bits of the target the code may use
    bool explicit_bounds;    // check memory bounds in code (no guard regions)
    bool verify;             // run the IR verifier after every pass (tests, debug builds)
    const SkAlloc *alloc;    // the compiler's allocations (frontend, IR, code generator);
                             // NULL: malloc. The compiled module itself is always malloc'd.
} CliCompileOptions;

/* Per-phase times in seconds (summed over functions) and sizes, for --stats. */
typedef struct CliCompileTimes {
    double decode, validate, translate, passes, codegen, finish;
    CgStats cg;
} CliCompileTimes;

/* The code generator for a target name ("x86_64"), or NULL. */
const CgTarget *cli_target_find(const char *name);
/* The host's target (NULL if skua cannot generate code for this machine) and its CPU
 * features. */
const CgTarget *cli_target_host(void);
uint64_t cli_host_features(const CgTarget *target);

/* Options for compiling code that runs on this machine (host target and features). */
void cli_compile_options_host(CliCompileOptions *o);

/*
 * Compiles a whole module. On success stores a malloc'd compiled module in *out (free it
 * with rt_cmodule_release + free) and returns true; on bad input returns false with `diag`
 * filled (the spec's wording first). `times` may be NULL.
 */
bool cli_compile_wasm(const uint8_t *wasm, size_t size, const CliCompileOptions *o,
                      RtCompiledModule **out, CliCompileTimes *times, SkDiag *diag);

/*
 * The compiled module's metadata, in two steps around cg_module_finish (which fills the
 * code part and the trampoline and code offsets): cli_cmodule_alloc sizes the per-type and
 * per-function arrays the backend writes; cli_cmodule_fill adds everything else from the
 * frontend's module. Both return false (and leave what they allocated to
 * rt_cmodule_release) on out-of-memory or a module too large for the format.
 */
bool cli_cmodule_alloc(const FeModule *m, RtCompiledModule *cm, SkDiag *diag);
bool cli_cmodule_fill(const FeModule *m, RtCompiledModule *cm, SkDiag *diag);

/* The compiler hook for SkuaConfig.compile: host target, cfg->explicit_bounds_checks
 * honoured; `user` (SkuaConfig.compile_user) is NULL for the host's CPU features, or points
 * to a uint64_t of RT_CPU_* bits to compile for instead (a subset of the host's). */
bool cli_compile_hook(void *user, const struct SkuaConfig *cfg, const uint8_t *wasm,
                      size_t size, RtCompiledModule **out, char *msg, size_t msg_size);

#endif
