/*
 * Test-only builders of compiled modules over the hand-written code blob (testcode.h,
 * testcode_<arch>.S): the whole blob is each module's code, and each module's function
 * table picks its functions out of it. Every builder returns a malloc'd RtCompiledModule
 * (owned by the caller until handed to rt_module_load).
 */
#ifndef SKUA_RUNTIME_TC_MODULE_H
#define SKUA_RUNTIME_TC_MODULE_H

#include "runtime/cmodule.h"
#include "testcode.h"

/* Blob offset of entry point `idx` (TC_*). */
uint32_t tc_offset(int idx);

/* M1: imports host.add1 ([i32]->[i32]) and host.g (i32 const); defines get_mem,
 * call_import, grow, unreachable, recurse, get_global, call_indirect, start (the start
 * function), fill; table "tab" (funcref 4..10), memory "mem" (1..2 pages), global "g1"
 * (mut i32 = 7); element segments: active at table[1] = [get_global, call_import], passive
 * [unreachable, null]; data: active "hello" at 16, passive "passive!". */
RtCompiledModule *tc_build_m1(void);

/* M2: imports m1.mem, m1.tab, m1.g1 (mut i32); defines read (i32 load), seven (g1 + 100);
 * element segment: table[3] = seven; data "XY" at 100, and when `bad_data` a second
 * segment "ABCD" at 2 * 65536 - 2, out of bounds for M1's memory (at most 2 pages). */
RtCompiledModule *tc_build_m2(bool bad_data);

/* The trap module: unreachable, recurse, recurse_nocheck, outer, middle, div, get_mem
 * (function indices 0..6), for calling directly with a bare VmCtx. */
RtCompiledModule *tc_build_traps(void);

#endif
