/*
 * Fibers: the stacks wasm runs on. A fiber is an mmap'd stack with PROT_NONE guard pages
 * below it; the context switch itself is assembly (fiber/x86_64.S, fiber/aarch64.S). Every
 * run starts from a freshly built initial frame, so a fiber abandoned in the middle of its
 * work (a trap) is as good as new for the next run. Under AddressSanitizer every switch is
 * announced with __sanitizer_start/finish_switch_fiber so ASan tracks the right stack.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime/runtime.h"

#if RT_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif
#ifndef MAP_STACK
#define MAP_STACK 0
#endif

/* Guard region below every fiber stack; at least one page. Generous so that a host
 * function's large frame cannot step over it. */
#define FIBER_GUARD_SIZE (64u * 1024u)

/* The fiber this thread runs on (NULL: a host stack). Read by the signal handler. */
static _Thread_local RtFiber *tls_current RT_TLS_MODEL;

/* First instruction of every fiber (fiber/<arch>.S). */
extern char rt_fiber_start[];

RtFiber *
rt_fiber_current(void)
{
    return tls_current;
}

RtFiber *
rt_fiber_new(size_t usable)
{
    size_t page = rt_page_size();
    size_t guard = RT_ALIGN_UP(FIBER_GUARD_SIZE, page);
    size_t stack = RT_ALIGN_UP(usable + RT_STACK_RESERVE, page);
    if (usable > ((size_t)1 << 40))
        return NULL;
    RtFiber *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    void *map = mmap(NULL, guard + stack, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (map == MAP_FAILED) {
        free(f);
        return NULL;
    }
    if (mprotect((uint8_t *)map + guard, stack, PROT_READ | PROT_WRITE) != 0) {
        munmap(map, guard + stack);
        free(f);
        return NULL;
    }
    f->map = map;
    f->map_size = guard + stack;
    f->lo = (uintptr_t)map + guard;
    f->hi = (uintptr_t)map + guard + stack;
    f->limit = f->lo + RT_STACK_RESERVE;
    return f;
}

void
rt_fiber_free(RtFiber *f)
{
    if (!f)
        return;
    RT_ASSERT(f != tls_current);
    free(f->trap.message);
    munmap(f->map, f->map_size);
    free(f);
}

/*
 * Builds the frame that rt_fiber_switch pops the first time it enters the fiber; its layout
 * is the one documented at the top of fiber/<arch>.S. The return address is rt_fiber_start,
 * which calls rt_fiber_main(f) with a zero frame pointer.
 */
void *
rt_fiber_init_stack(uintptr_t top, RtFiber *f)
{
    RT_ASSERT((top & 15) == 0);
#if defined(__x86_64__)
    /* After the switch pops 64 bytes, rsp = sp + 64 must be 16-aligned at rt_fiber_start
     * (it calls rt_fiber_main). */
    uint64_t *sp = (uint64_t *)(top - 80);
    memset(sp, 0, 80);
    uint32_t mxcsr = 0x1F80;  // round to nearest, all exceptions masked, no FTZ/DAZ
    uint16_t fcw = 0x037F;    // x87: extended precision, round to nearest, masked
    memcpy(&sp[0], &mxcsr, 4);
    memcpy((uint8_t *)&sp[0] + 4, &fcw, 2);
    sp[4] = (uint64_t)(uintptr_t)f;  // r12
    sp[6] = 0;                       // rbp
    sp[7] = (uint64_t)(uintptr_t)rt_fiber_start;
    return sp;
#elif defined(__aarch64__)
    uint64_t *sp = (uint64_t *)(top - 176);
    memset(sp, 0, 176);  // FPCR 0: round to nearest, no flush-to-zero, no traps
    sp[0] = (uint64_t)(uintptr_t)f;  // x19
    sp[10] = 0;                      // x29
    sp[11] = (uint64_t)(uintptr_t)rt_fiber_start;  // x30
    return sp;
#else
#error "unsupported architecture"
#endif
}

/* Switches from the current fiber back to whoever ran it, for good. */
RT_NORETURN static void
leave(RtFiber *f)
{
#if RT_ASAN
    /* NULL: this stack is done; ASan may drop its fake frames. */
    __sanitizer_start_switch_fiber(NULL, f->asan_parent_bottom, f->asan_parent_size);
#endif
    rt_fiber_switch(&f->sp, f->parent_sp);
    rt_die(__FILE__, __LINE__, "finished fiber resumed");
}

void
rt_fiber_main(RtFiber *f)
{
#if RT_ASAN
    __sanitizer_finish_switch_fiber(NULL, &f->asan_parent_bottom, &f->asan_parent_size);
#endif
    f->fn(f->arg);
    leave(f);
}

bool
rt_fiber_run(RtFiber *f, RtFiberFn fn, void *arg)
{
    RT_ASSERT(f != tls_current);
    f->fn = fn;
    f->arg = arg;
    f->abandoned = false;
    f->parent = tls_current;
    free(f->trap.message);
    f->trap.message = NULL;
    f->trap.kind = RT_TRAP_NONE;
    f->trap.npcs = 0;
    f->trap.nomitted = 0;
    void *sp = rt_fiber_init_stack(f->hi, f);
    tls_current = f;
#if RT_ASAN
    __sanitizer_start_switch_fiber(&f->asan_fake_stack, (const void *)f->lo, f->hi - f->lo);
#endif
    rt_fiber_switch(&f->parent_sp, sp);
#if RT_ASAN
    __sanitizer_finish_switch_fiber(f->asan_fake_stack, NULL, NULL);
    /* An abandoned run leaves its frames' redzones poisoned; the next run must not trip
     * over them. */
    if (f->abandoned)
        __asan_unpoison_memory_region((const void *)f->lo, f->hi - f->lo);
#endif
    tls_current = f->parent;
    return !f->abandoned;
}

void
rt_fiber_abandon(void)
{
    RtFiber *f = tls_current;
    RT_ASSERT(f != NULL);
    f->abandoned = true;
    leave(f);
}
