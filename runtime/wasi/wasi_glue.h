/*
 * The WASI glue: makes the WASI core (runtime/wasi/wasi.h) available to wasm through skua's
 * embedding API (runtime/skua.h) by defining every wasi_snapshot_preview1 import in a
 * linker as a host function bound to one WasiCtx.
 */
#ifndef SKUA_WASI_GLUE_H
#define SKUA_WASI_GLUE_H

#include <stdbool.h>

#include "runtime/skua.h"
#include "runtime/wasi/wasi.h"

/*
 * Defines all 46 wasi_snapshot_preview1 functions in `linker` (module "wasi_snapshot_preview1"),
 * each a host function of the preview1 signature calling the core with `ctx`. `ctx` must
 * outlive the linker's store. A call finds the guest memory through the calling instance
 * (skua_caller_memory: its "memory" export); without one, every pointer is out of bounds
 * (FAULT). proc_exit records the code in `ctx` and returns an exit trap (SKUA_TRAP_EXIT with
 * the code), which unwinds the guest: skua_func_call then fails with SKUA_ERROR_TRAP, and
 * wasi_ctx_has_exited / skua_trap_exit_code give the code. Returns false with `err` filled
 * if a definition fails (out of memory).
 */
bool wasi_linker_define(SkuaLinker *linker, WasiCtx *ctx, SkuaError *err);

#endif
