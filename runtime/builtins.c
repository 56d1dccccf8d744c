/*
 * The builtin table: RtBuiltin id -> address, for the loader's relocations (a static const
 * table, no state). Also the builtins that belong to neither memories nor tables: the trap
 * builtin and the float rounding fallbacks, which implement wasm's ceil/floor/trunc/nearest
 * exactly (nearest rounds half to even; fibers run with the default rounding mode).
 */
#include <math.h>

#include "runtime/runtime.h"

void
rt_builtin_trap(VmCtx *vmctx, uint32_t kind)
{
    (void)vmctx;
    if (kind == RT_TRAP_NONE || kind >= RT_TRAP_COUNT)
        kind = RT_TRAP_INTERNAL;
    rt_trap_raise(kind);
}

/* The fallbacks are only reachable through the table. */
static float
f32_ceil(VmCtx *vmctx, float x)
{
    (void)vmctx;
    return ceilf(x);
}

static float
f32_floor(VmCtx *vmctx, float x)
{
    (void)vmctx;
    return floorf(x);
}

static float
f32_trunc(VmCtx *vmctx, float x)
{
    (void)vmctx;
    return truncf(x);
}

static float
f32_nearest(VmCtx *vmctx, float x)
{
    (void)vmctx;
    return nearbyintf(x);
}

static double
f64_ceil(VmCtx *vmctx, double x)
{
    (void)vmctx;
    return ceil(x);
}

static double
f64_floor(VmCtx *vmctx, double x)
{
    (void)vmctx;
    return floor(x);
}

static double
f64_trunc(VmCtx *vmctx, double x)
{
    (void)vmctx;
    return trunc(x);
}

static double
f64_nearest(VmCtx *vmctx, double x)
{
    (void)vmctx;
    return nearbyint(x);
}

/* Function pointers converted to void * (POSIX guarantees the round trip). */
#define FN(f) ((const void *)(uintptr_t)(f))

static const void *const builtin_addresses[RT_BUILTIN_COUNT] = {
    [RT_BUILTIN_MEMORY_GROW] = FN(rt_builtin_memory_grow),
    [RT_BUILTIN_MEMORY_SIZE] = FN(rt_builtin_memory_size),
    [RT_BUILTIN_MEMORY_FILL] = FN(rt_builtin_memory_fill),
    [RT_BUILTIN_MEMORY_COPY] = FN(rt_builtin_memory_copy),
    [RT_BUILTIN_MEMORY_INIT] = FN(rt_builtin_memory_init),
    [RT_BUILTIN_DATA_DROP] = FN(rt_builtin_data_drop),
    [RT_BUILTIN_TABLE_GET] = FN(rt_builtin_table_get),
    [RT_BUILTIN_TABLE_SET] = FN(rt_builtin_table_set),
    [RT_BUILTIN_TABLE_SIZE] = FN(rt_builtin_table_size),
    [RT_BUILTIN_TABLE_GROW] = FN(rt_builtin_table_grow),
    [RT_BUILTIN_TABLE_FILL] = FN(rt_builtin_table_fill),
    [RT_BUILTIN_TABLE_COPY] = FN(rt_builtin_table_copy),
    [RT_BUILTIN_TABLE_INIT] = FN(rt_builtin_table_init),
    [RT_BUILTIN_ELEM_DROP] = FN(rt_builtin_elem_drop),
    [RT_BUILTIN_TRAP] = FN(rt_builtin_trap),
    [RT_BUILTIN_F32_CEIL] = FN(f32_ceil),
    [RT_BUILTIN_F32_FLOOR] = FN(f32_floor),
    [RT_BUILTIN_F32_TRUNC] = FN(f32_trunc),
    [RT_BUILTIN_F32_NEAREST] = FN(f32_nearest),
    [RT_BUILTIN_F64_CEIL] = FN(f64_ceil),
    [RT_BUILTIN_F64_FLOOR] = FN(f64_floor),
    [RT_BUILTIN_F64_TRUNC] = FN(f64_trunc),
    [RT_BUILTIN_F64_NEAREST] = FN(f64_nearest),
};

const void *
rt_builtin_address(uint32_t id)
{
    return id < RT_BUILTIN_COUNT ? builtin_addresses[id] : NULL;
}
