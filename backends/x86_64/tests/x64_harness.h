/*
 * A tiny stand-in runtime for the x86_64 execution tests (test-only): builds an IrModule from
 * hand-written IR functions, compiles it with the code generator, maps the code executable,
 * fills the builtin slots with test implementations, sets up a VM context (memory 0 in a
 * guard-region reservation, one table, type ids, stack limit), calls functions through the
 * compiled entry trampolines, and catches SIGILL/SIGSEGV/SIGFPE itself, mapping the faulting
 * PC through the module's trap table to a trap kind. One module at a time.
 */
#ifndef SKUA_X64_HARNESS_H
#define SKUA_X64_HARNESS_H

#include "backends/backend.h"
#include "ir/ir.h"

#define HX_MAX_FUNCS 512
#define HX_MAX_SIGS 64

typedef void (*HxBuildFn)(IrFunc *f, const void *arg);

typedef struct HxFunc {
    uint32_t sig;
    HxBuildFn build;  // NULL: an imported function (a host function of the harness)
    const void *arg;
} HxFunc;

typedef struct HxModule {
    IrModule m;
    IrSig sigs[HX_MAX_SIGS];
    uint8_t sigtypes[HX_MAX_SIGS][32];
    uint32_t func_sigs[HX_MAX_FUNCS];
    HxFunc funcs[HX_MAX_FUNCS];
    IrGlobalInfo globals[8];
    IrTableInfo table;
    IrMemoryInfo memory;
    uint32_t nfuncs;
    /* After load. */
    RtCompiledModule cm;
    uint8_t *code;          // executable copy
    size_t code_map_size;
    uint8_t *vm;            // the VM context
    RtVmLayout layout;
    uint8_t *mem;           // memory 0 (reservation base)
    void *table_elems[64];
    struct {
        void **elems;
        uint32_t size;
    } rt_table;
    struct {
        uint8_t *base;
        uint64_t size;
    } rt_memory;
    char diag[300];
} HxModule;

/* Starts an empty module (memory 0 of 1 page, one funcref table of 64). */
void hx_init(HxModule *h);
/* Interns a signature: params then results, as IrType bytes. */
uint32_t hx_sig(HxModule *h, const uint8_t *params, uint32_t np, const uint8_t *results,
                uint32_t nr);
/* Adds a function (imports must come first); returns its index. */
uint32_t hx_func(HxModule *h, uint32_t sig, HxBuildFn build, const void *arg);
/* Compiles everything with opts and loads it. Returns false with h->diag set. */
bool hx_load(HxModule *h, const CgOptions *opts);
void hx_unload(HxModule *h);

/* Calls function `fi` with args (and gets results) in RtVal slots through its type's entry
 * trampoline. Returns 0, or the RtTrapKind of a trap it caught. */
uint32_t hx_call(HxModule *h, uint32_t fi, RtVal *args_results);

/* The RtFuncRef of defined function fi (inside the VM context). */
RtFuncRef *hx_funcref(HxModule *h, uint32_t fi);

/* Runs the IR verifier on f; prints and returns false on a problem. */
bool hx_verify(const IrFunc *f);

/* Host function called by imported functions: sums its i64/i32 arguments into result 0. */
extern uint64_t hx_host_calls;

#endif
