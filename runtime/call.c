/*
 * Calling into wasm. Every call from the host runs on a fiber from the engine's pool: the
 * compiler-emitted entry trampoline of the callee's type moves the RtVal arguments into
 * registers and back (runtime/vmctx.h), so the runtime never builds a call frame itself. A
 * host function called from the host runs its callback on a fiber too, so a trap it raises
 * unwinds the same way. While a fiber runs, every VM context of the store carries that
 * fiber's stack limit; nested calls (host -> wasm -> host -> wasm) take a fresh fiber each
 * and restore the outer limit when they return.
 */
#include <stdlib.h>

#include "runtime/runtime.h"

typedef void (*EntryTrampoline)(VmCtx *caller_vmctx, const RtFuncRef *callee, RtVal *args);

typedef struct CallCtx {
    const RtFuncRef *f;
    RtVal *args;
    EntryTrampoline entry;
} CallCtx;

/* The entry trampoline for wasm function `f`: from its own module (a wasm funcref always
 * lives inline in its instance's VM context, so the context says which module). */
static EntryTrampoline
entry_for(const RtFuncRef *f)
{
    const VmCtx *vm = f->vmctx;
    const RtInstance *inst = vm->instance;
    const RtModule *m = inst->module;
    const RtCompiledModule *cm = m->cm;
    uintptr_t base = (uintptr_t)vm + m->layout.funcrefs;
    uintptr_t at = (uintptr_t)f;
    RT_ASSERT(at >= base && (at - base) % RT_FUNCREF_SIZE == 0);
    uint32_t fi = cm->nimported_funcs + (uint32_t)((at - base) / RT_FUNCREF_SIZE);
    RT_ASSERT(fi < cm->nfuncs);
    uint32_t off = cm->types[cm->funcs[fi].type_index].entry_tramp;
    if (off == RT_CM_NONE)
        return NULL;
    return (EntryTrampoline)(uintptr_t)(m->code + off);
}

/* Runs on the fiber. */
static void
call_main(void *arg)
{
    CallCtx *c = arg;
    RtHostFunc *hf = rt_funcref_host(c->f);
    if (hf)
        hf->callback(hf, c->args);
    else
        c->entry(c->f->vmctx, c->f, c->args);
}

bool
rt_call(RtStore *s, const RtFuncRef *f, RtVal *args_results, RtTrap **out_trap, RtError *err)
{
    *out_trap = NULL;
    CallCtx c = {f, args_results, NULL};
    if (!rt_funcref_host(f)) {
        c.entry = entry_for(f);
        if (!c.entry)
            return rt_error_set(err, RT_ERROR_USAGE,
                                "the module has no entry trampoline for this function's type");
    }
    if (s->nesting >= s->engine->config.max_nesting) {
        *out_trap = rt_trap_new(RT_TRAP_STACK_EXHAUSTED, NULL, 0);
        return *out_trap ? false : rt_error_set(err, RT_ERROR_RESOURCE, "out of memory");
    }
    if (!rt_thread_prepare())
        return rt_error_set(err, RT_ERROR_RESOURCE, "cannot set up the signal stack");
    RtFiber *fb = rt_engine_fiber_get(s->engine);
    if (!fb)
        return rt_error_set(err, RT_ERROR_RESOURCE, "cannot allocate a wasm stack");
    uintptr_t outer_limit = s->stack_limit;
    rt_store_set_stack_limit(s, fb->limit);
    s->nesting++;
    bool ok = rt_fiber_run(fb, call_main, &c);
    s->nesting--;
    /* Back on the outer fiber (nested call): its limit again. At top level no wasm runs
     * until the next rt_call sets a limit, and the pool usually hands out the same fiber
     * again, so leaving the limit spares touching every VM context of the store. */
    if (s->nesting > 0)
        rt_store_set_stack_limit(s, outer_limit);
    if (!ok) {
        *out_trap = rt_trap_from_record(&fb->trap);
        free(fb->trap.message);
        fb->trap.message = NULL;
    }
    rt_engine_fiber_put(s->engine, fb);
    if (!ok && !*out_trap)
        return rt_error_set(err, RT_ERROR_RESOURCE, "out of memory describing a trap");
    return ok;
}
