/*
 * Hand-written test code shared by the runtime tests: indices of the labelled entry points
 * in testcode_<arch>.S (whose tc_offsets table lists their blob offsets in this order), and
 * the trap-kind / builtin numbers the assembly uses (checked against runtime/vmctx.h by
 * tc_module.c). Included by C and by the assembler.
 *
 * Module M1 (see tc_module.c for its full metadata), VmCtx layout for its counts
 * (3 types, 1 imported + 9 defined functions, 1 table, 1 memory, 1 imported + 1 defined
 * global): type_ids +64, imported_funcs +80, funcrefs +88, tables +304, memories +312,
 * imported_globals +320, globals +336, size 384. Module M2 (2 types, 2 defined functions,
 * imported table, memory and global): tables +120, memories +128, imported_globals +136.
 */
#ifndef SKUA_RUNTIME_TESTCODE_H
#define SKUA_RUNTIME_TESTCODE_H

/* Trampolines: entry for T0 [] -> [], T1 [i32] -> [i32], T2 [] -> [i32]; host for T1. */
#define TC_ENTRY_T0 0
#define TC_ENTRY_T1 1
#define TC_ENTRY_T2 2
#define TC_HOST_T1 3
/* M1 functions (function index = TC_x - TC_GET_MEM + 1; index 0 is the import). */
#define TC_GET_MEM 4        /* (i32 addr) -> i32: i32.load from memory 0 */
#define TC_CALL_IMPORT 5    /* (i32) -> i32: calls imported function 0 */
#define TC_GROW 6           /* (i32 delta) -> i32: memory.grow through the builtin */
#define TC_UNREACHABLE 7    /* () -> (): unreachable */
#define TC_RECURSE 8        /* () -> (): recursion with the prologue stack check */
#define TC_GET_GLOBAL 9     /* () -> i32: imported global 0 + defined global 1 */
#define TC_CALL_INDIRECT 10 /* (i32 idx) -> i32: call_indirect table 0, type T2 */
#define TC_START 11         /* () -> (): global 1 += 35 */
#define TC_FILL 12          /* (i32 dst) -> i32: memory.fill(dst, 0xAB, 16), returns 0 */
/* M2 functions. */
#define TC_M2_READ 13       /* (i32 addr) -> i32: i32.load from (imported) memory 0 */
#define TC_M2_SEVEN 14      /* () -> i32: imported global 0 + 100 */
/* Trap-test functions (no instance; a bare VmCtx header). */
#define TC_RECURSE_NOCHECK 15 /* () -> (): recursion without a stack check */
#define TC_OUTER 16         /* () -> (): calls TC_MIDDLE */
#define TC_MIDDLE 17        /* () -> (): calls TC_UNREACHABLE */
#define TC_DIV 18           /* (i32 a, i32 b) -> i32: a / b, traps on b == 0 */
#define TC_END 19           /* end of the blob */
#define TC_COUNT 20

/* RtTrapKind values used by the assembly. */
#define TK_UNREACHABLE 1
#define TK_INT_DIV_ZERO 2
#define TK_MEMORY_OOB 5
#define TK_UNDEFINED_ELEMENT 7
#define TK_UNINITIALIZED_ELEMENT 8
#define TK_INDIRECT_CALL_TYPE 9
#define TK_STACK_EXHAUSTED 10

/* RtBuiltin ids used by the assembly. */
#define TB_MEMORY_GROW 1
#define TB_MEMORY_FILL 3

#endif
