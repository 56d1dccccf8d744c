/*
 * Traps: raising them from runtime code (builtins, host functions), walking the wasm frame
 * chain for backtraces, and turning a fiber's trap record into an RtTrap value whose frames
 * name functions. The signal path (signals.c) fills the same record from a fault.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

static const char *const trap_messages[] = {
#define RT_TRAP_MSG(name, msg) msg,
    RT_TRAP_KINDS(RT_TRAP_MSG)
#undef RT_TRAP_MSG
};

const char *
rt_trap_kind_message(uint32_t kind)
{
    return kind < RT_TRAP_COUNT ? trap_messages[kind] : "unknown trap";
}

/*
 * Frame records on both targets are {saved frame pointer, return address} at the frame
 * pointer. The walk stays inside the fiber's stack and requires each record to sit higher
 * than the last, so a corrupt or foreign chain ends it instead of faulting; the fiber's base
 * frame has a zero frame pointer. Only return addresses inside registered wasm code are kept
 * (runtime C frames and host frames in between are skipped). Past RT_MAX_FRAMES the walk
 * goes on to the base only to count the frames of wasm functions (not trampolines, which
 * rt_trap_from_record drops too), so a cut backtrace can say how much it left out: two
 * binary searches per frame, a few milliseconds for the deepest stack a fiber holds.
 */
void
rt_trap_walk(RtTrapRecord *rec, const RtFiber *f, uintptr_t fp)
{
    rec->nomitted = 0;
    for (;;) {
        if (fp < f->lo || fp > f->hi - 16 || (fp & 7) != 0)
            break;
        const uintptr_t *record = (const uintptr_t *)fp;
        uintptr_t next = record[0], ret = record[1];
        const RtModule *m = ret ? rt_code_lookup(ret) : NULL;
        if (m && rec->npcs < RT_MAX_FRAMES)
            rec->pcs[rec->npcs++] = ret;
        else if (m && rt_module_func_at(m, (uint32_t)(ret - 1 - (uintptr_t)m->code)) !=
                          RT_CM_NONE)
            rec->nomitted++;
        if (next <= fp)
            break;
        fp = next;
    }
}

RT_NOINLINE void
rt_trap_raise_message(uint32_t kind, const char *message, int32_t exit_code)
{
    RtFiber *f = rt_fiber_current();
    RT_ASSERT(f != NULL);
    RtTrapRecord *rec = &f->trap;
    free(rec->message);
    rec->message = message ? strdup(message) : NULL;
    rec->kind = kind;
    rec->signo = 0;
    rec->pc = 0;
    rec->fault_addr = 0;
    rec->exit_code = exit_code;
    rec->npcs = 0;
    rt_trap_walk(rec, f, (uintptr_t)__builtin_frame_address(0));
    rt_fiber_abandon();
}

void
rt_trap_raise(uint32_t kind)
{
    rt_trap_raise_message(kind, NULL, 0);
}

RtTrap *
rt_trap_new(uint32_t kind, const char *message, int32_t exit_code)
{
    RtTrap *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->kind = kind;
    t->exit_code = exit_code;
    t->message = strdup(message ? message : rt_trap_kind_message(kind));
    if (!t->message) {
        free(t);
        return NULL;
    }
    return t;
}

static char *
dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

RtTrap *
rt_trap_from_record(const RtTrapRecord *rec)
{
    RtTrap *t = rt_trap_new(rec->kind, rec->message, rec->exit_code);
    if (!t)
        return NULL;
    if (rec->npcs == 0)
        return t;
    t->nomitted = rec->nomitted;
    t->frames = calloc(rec->npcs, sizeof *t->frames);
    if (!t->frames)
        return t;  // the trap without its backtrace is still the right answer
    for (uint32_t i = 0; i < rec->npcs; i++) {
        /* A return address points after its call; look up the call itself. Only a
         * faulting pc (signal traps, frame 0) is exact. */
        uintptr_t pc = rec->pcs[i] - ((i == 0 && rec->signo != 0) ? 0 : 1);
        const RtModule *m = rt_code_lookup(pc);
        if (!m)
            continue;
        uint32_t off = (uint32_t)(pc - (uintptr_t)m->code);
        uint32_t fi = rt_module_func_at(m, off);
        if (fi == RT_CM_NONE)
            continue;  // a trampoline
        const RtCompiledModule *cm = m->cm;
        RtFrame *fr = &t->frames[t->nframes++];
        fr->func_index = fi;
        fr->func_offset = off - cm->funcs[fi].code_offset;
        fr->func_name = dup_or_null(rt_cmodule_str(cm, cm->funcs[fi].name));
        fr->module_name = dup_or_null(rt_cmodule_str(cm, cm->module_name));
    }
    return t;
}

void
rt_trap_free(RtTrap *t)
{
    if (!t)
        return;
    for (uint32_t i = 0; i < t->nframes; i++) {
        free(t->frames[i].func_name);
        free(t->frames[i].module_name);
    }
    free(t->frames);
    free(t->message);
    free(t);
}
