/*
 * x86_64 SysV ABI: argument layout (VM context first, runtime/vmctx.h), frame layout,
 * prologue and epilogue, and the entry and host-call trampolines the compiler emits per
 * signature.
 *
 * Frame (after the prologue; rbp is always the frame pointer, so the runtime can walk the
 * frame-record chain):
 *
 *   [rbp + 16 ..]                 incoming stack arguments
 *   [rbp + 8]                     return address
 *   [rbp]                         caller's rbp
 *   [rbp - 8 .. - saved_size]     callee-saved registers, pushed in alloc order
 *   [rsp + spill_offset ..]       spill slots (16-aligned)
 *   [rsp + objects_offset ..]     frame objects (results areas of multi-value calls)
 *   [rsp + 0 .. outgoing)         outgoing stack arguments
 *
 * rsp is 16-aligned after the prologue, so every call site is aligned.
 */
#include "backends/x86_64/emit.h"

const uint8_t x64_int_arg_regs[6] = {X64R_RDI, X64R_RSI, X64R_RDX, X64R_RCX, X64R_R8, X64R_R9};
const uint8_t x64_float_arg_regs[8] = {
    X64R_XMM0,     X64R_XMM0 + 1, X64R_XMM0 + 2, X64R_XMM0 + 3,
    X64R_XMM0 + 4, X64R_XMM0 + 5, X64R_XMM0 + 6, X64R_XMM0 + 7,
};

/* Callee-saved registers in the order the prologue pushes them. */
static const uint8_t saved_order[] = {X64R_RBX, X64R_R12, X64R_R13, X64R_R14, X64R_R15};

bool
x64_arg_layout(const IrSig *sig, X64ArgLayout *out)
{
    if (sig->nparams > 256)
        return false;
    uint32_t ni = 0, nf = 0, stack = 0, n = 0;
    out->loc[n++] = x64_int_arg_regs[ni++];
    out->results_ptr = sig->nresults >= 2;
    if (out->results_ptr)
        out->loc[n++] = x64_int_arg_regs[ni++];
    for (uint32_t i = 0; i < sig->nparams; i++) {
        CgType t = x64_cg_type((IrType)sig->params[i]);
        if (cg_type_class(t) == CG_CLASS_INT && ni < 6) {
            out->loc[n++] = x64_int_arg_regs[ni++];
        } else if (cg_type_class(t) == CG_CLASS_FLOAT && nf < 8) {
            out->loc[n++] = x64_float_arg_regs[nf++];
        } else {
            uint32_t size = t == CG_TYPE_V128 ? 16 : 8;
            stack = (stack + size - 1) & ~(size - 1);
            out->loc[n++] = CG_LOC_STACK + stack;
            stack += size;
        }
    }
    out->nargs = n;
    out->stack_bytes = (stack + 15) & ~15u;
    return true;
}

void
x64_frame_layout(CgCtx *ctx, CgFrame *fr)
{
    (void)ctx;
    uint32_t nsaved = (uint32_t)__builtin_popcountll(fr->saved);
    fr->saved_size = 8 * nsaved;
    fr->objects_offset = fr->outgoing;
    fr->spill_offset = fr->outgoing + fr->objects_size;
    uint32_t size = fr->spill_offset + 8 * fr->spill_units;
    /* After `call` and `push rbp` rsp is 16-aligned; saves plus allocation keep it so. */
    fr->alloc_size = ((size + fr->saved_size + 15) & ~15u) - fr->saved_size;
    fr->fp_offset = fr->alloc_size + fr->saved_size;
}

void
x64_emit_prologue(CgCtx *ctx)
{
    const CgFrame *fr = &ctx->frame;
    E(x64_encode_push_r(p, X64_RBP));
    cg_unwind_record(ctx, CG_UNWIND_PUSH_FRAME, 0, 16);
    E(x64_encode_mov_rr(p, 8, X64_RBP, X64_RSP));
    cg_unwind_record(ctx, CG_UNWIND_SET_FP, 0, 0);
    /* Stack limit (runtime/vmctx.h): sp - frame >= limit. The VM context is still in rdi.
     * Leaf functions with small frames stay within RT_STACK_RESERVE below the limit. */
    uint32_t frame = fr->saved_size + fr->alloc_size;
    if (fr->has_calls || frame > RT_STACK_FRAME_SLACK) {
        X64Mem limit = x64_mem(X64_RDI, RT_VMCTX_OFF_STACK_LIMIT);
        if (frame <= RT_STACK_FRAME_SLACK) {
            E(x64_encode_alu_rm(p, X64_ALU_CMP, 8, X64_RSP, limit));
        } else {
            E(x64_encode_lea(p, 8, X64_R11, x64_mem(X64_RSP, -(int32_t)frame)));
            E(x64_encode_alu_rm(p, X64_ALU_CMP, 8, X64_R11, limit));
        }
        x64_emit_jcc_label(ctx, X64_CC_B, cg_trap_label(ctx, RT_TRAP_STACK_EXHAUSTED));
    }
    uint32_t off = 0;
    for (size_t i = 0; i < sizeof(saved_order); i++) {
        CgReg r = saved_order[i];
        if (!(fr->saved & CG_REGSET(r)))
            continue;
        E(x64_encode_push_r(p, (X64Gpr)x64_hw(r)));
        off += 8;
        cg_unwind_record(ctx, CG_UNWIND_SAVE_REG, r, off);
    }
    if (fr->alloc_size) {
        E(x64_encode_alu_ri(p, X64_ALU_SUB, 8, X64_RSP, fr->alloc_size));
        cg_unwind_record(ctx, CG_UNWIND_ALLOC, 0, fr->alloc_size);
    }
}

void
x64_emit_epilogue(CgCtx *ctx)
{
    const CgFrame *fr = &ctx->frame;
    if (fr->alloc_size)
        E(x64_encode_alu_ri(p, X64_ALU_ADD, 8, X64_RSP, fr->alloc_size));
    for (size_t i = sizeof(saved_order); i-- > 0;) {
        CgReg r = saved_order[i];
        if (fr->saved & CG_REGSET(r))
            E(x64_encode_pop_r(p, (X64Gpr)x64_hw(r)));
    }
    E(x64_encode_pop_r(p, X64_RBP));
}

/* ---- trampolines ---------------------------------------------------------------------------
 * Written by hand (no allocation needed): they shuffle between an RtVal array (16-byte slots,
 * runtime/vmctx.h) and the SysV locations of the wasm signature.
 */

/* Loads a value of IR type t from [m] into register loc (core number), or copies it to a
 * stack-argument slot through rax/xmm15. */
static void
val_load(CgCtx *ctx, IrType t, CgLoc loc, X64Mem m, int32_t stack_base)
{
    CgType ct = x64_cg_type(t);
    if (cg_loc_is_stack(loc)) {
        X64Mem dst = x64_mem(X64_RSP, stack_base + (int32_t)(loc - CG_LOC_STACK));
        if (ct == CG_TYPE_V128) {
            E(x64_encode_sse_rm(p, X64_SSE_MOVDQU, X64_XMM15, m));
            E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, dst, X64_XMM15));
        } else {
            E(x64_encode_mov_rm(p, ct == CG_TYPE_I32 || ct == CG_TYPE_F32 ? 4 : 8, X64_RAX, m));
            E(x64_encode_mov_mr(p, 8, dst, X64_RAX));
        }
        return;
    }
    switch (ct) {
    case CG_TYPE_I32:
        E(x64_encode_mov_rm(p, 4, (X64Gpr)x64_hw(loc), m));
        break;
    case CG_TYPE_I64:
        E(x64_encode_mov_rm(p, 8, (X64Gpr)x64_hw(loc), m));
        break;
    case CG_TYPE_F32:
        E(x64_encode_sse_rm(p, X64_SSE_MOVSS, (X64Xmm)x64_hw(loc), m));
        break;
    case CG_TYPE_F64:
        E(x64_encode_sse_rm(p, X64_SSE_MOVSD, (X64Xmm)x64_hw(loc), m));
        break;
    default:
        E(x64_encode_sse_rm(p, X64_SSE_MOVDQU, (X64Xmm)x64_hw(loc), m));
        break;
    }
}

/* Stores register loc (or an incoming stack argument at [rbp + 16 + offset]) of IR type t to
 * the slot [m]. */
static void
val_store(CgCtx *ctx, IrType t, CgLoc loc, X64Mem m)
{
    CgType ct = x64_cg_type(t);
    if (cg_loc_is_stack(loc)) {
        X64Mem src = x64_mem(X64_RBP, 16 + (int32_t)(loc - CG_LOC_STACK));
        if (ct == CG_TYPE_V128) {
            E(x64_encode_sse_rm(p, X64_SSE_MOVDQU, X64_XMM15, src));
            E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, m, X64_XMM15));
        } else {
            E(x64_encode_mov_rm(p, 8, X64_R11, src));
            E(x64_encode_mov_mr(p, 8, m, X64_R11));
        }
        return;
    }
    switch (ct) {
    case CG_TYPE_I32:
        E(x64_encode_mov_mr(p, 4, m, (X64Gpr)x64_hw(loc)));
        break;
    case CG_TYPE_I64:
        E(x64_encode_mov_mr(p, 8, m, (X64Gpr)x64_hw(loc)));
        break;
    case CG_TYPE_F32:
        E(x64_encode_sse_mr(p, X64_SSE_MOVSS, m, (X64Xmm)x64_hw(loc)));
        break;
    case CG_TYPE_F64:
        E(x64_encode_sse_mr(p, X64_SSE_MOVSD, m, (X64Xmm)x64_hw(loc)));
        break;
    default:
        E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, m, (X64Xmm)x64_hw(loc)));
        break;
    }
}

/* Copies 16 bytes [src] -> [dst] through xmm15. */
static void
copy16(CgCtx *ctx, X64Mem dst, X64Mem src)
{
    E(x64_encode_sse_rm(p, X64_SSE_MOVDQU, X64_XMM15, src));
    E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, dst, X64_XMM15));
}

/* The register result 0 comes back in. */
static CgLoc
result_reg(const IrSig *sig)
{
    return cg_type_class(x64_cg_type((IrType)sig->results[0])) == CG_CLASS_INT ? X64R_RAX
                                                                               : X64R_XMM0;
}

/*
 * void entry(VmCtx *caller_vmctx, const RtFuncRef *callee, RtVal *args_results)
 *   push rbp; mov rbp, rsp; push rbx; push r12
 *   rbx = args_results, r12 = callee; rsp -= stack args + results area
 *   load the arguments; rdi = callee->vmctx; call [r12]
 *   store the results; restore and return
 */
void
x64_emit_entry_trampoline(CgCtx *ctx, const IrSig *sig)
{
    X64ArgLayout L;
    SK_ASSERT(x64_arg_layout(sig, &L));
    uint32_t results_area = sig->nresults >= 2 ? 16 * (sig->nresults - 1) : 0;
    uint32_t frame = (L.stack_bytes + results_area + 15) & ~15u;
    E(x64_encode_push_r(p, X64_RBP));
    E(x64_encode_mov_rr(p, 8, X64_RBP, X64_RSP));
    E(x64_encode_push_r(p, X64_RBX));
    E(x64_encode_push_r(p, X64_R12));
    E(x64_encode_mov_rr(p, 8, X64_RBX, X64_RDX));
    E(x64_encode_mov_rr(p, 8, X64_R12, X64_RSI));
    if (frame)
        E(x64_encode_alu_ri(p, X64_ALU_SUB, 8, X64_RSP, frame));
    uint32_t first = L.results_ptr ? 2 : 1;
    for (uint32_t i = 0; i < sig->nparams; i++)
        val_load(ctx, (IrType)sig->params[i], L.loc[first + i], x64_mem(X64_RBX, (int32_t)(16 * i)), 0);
    if (L.results_ptr)
        E(x64_encode_lea(p, 8, X64_RSI, x64_mem(X64_RSP, (int32_t)L.stack_bytes)));
    E(x64_encode_mov_rm(p, 8, X64_RDI, x64_mem(X64_R12, RT_FUNCREF_OFF_VMCTX)));
    E(x64_encode_call_m(p, x64_mem(X64_R12, RT_FUNCREF_OFF_CODE)));
    if (sig->nresults)
        val_store(ctx, (IrType)sig->results[0], result_reg(sig), x64_mem(X64_RBX, 0));
    for (uint32_t k = 1; k < sig->nresults; k++)
        copy16(ctx, x64_mem(X64_RBX, (int32_t)(16 * k)),
               x64_mem(X64_RSP, (int32_t)(L.stack_bytes + 16 * (k - 1))));
    if (frame)
        E(x64_encode_alu_ri(p, X64_ALU_ADD, 8, X64_RSP, frame));
    E(x64_encode_pop_r(p, X64_R12));
    E(x64_encode_pop_r(p, X64_RBX));
    E(x64_encode_pop_r(p, X64_RBP));
    E(x64_encode_ret(p));
}

/*
 * ret host_tramp(RtHostFunc *hf, args...) with the wasm ABI of `sig`:
 *   push rbp; mov rbp, rsp; push rbx; (align) sub rsp, array
 *   store every argument into array[i]; rbx = hidden results pointer (if any)
 *   rsi = array; call [rdi + RT_HOSTFUNC_OFF_CALLBACK]   (rdi = hf still)
 *   result 0 into rax/xmm0 (i32 zero-extended), results 1.. to the results area
 */
void
x64_emit_host_trampoline(CgCtx *ctx, const IrSig *sig)
{
    X64ArgLayout L;
    SK_ASSERT(x64_arg_layout(sig, &L));
    uint32_t slots = sig->nparams > sig->nresults ? sig->nparams : sig->nresults;
    uint32_t array = 16 * (slots ? slots : 1);
    /* After push rbp and push rbx rsp is 8 mod 16: the array keeps calls aligned. */
    uint32_t frame = array + 8;
    E(x64_encode_push_r(p, X64_RBP));
    E(x64_encode_mov_rr(p, 8, X64_RBP, X64_RSP));
    E(x64_encode_push_r(p, X64_RBX));
    E(x64_encode_alu_ri(p, X64_ALU_SUB, 8, X64_RSP, frame));
    uint32_t first = L.results_ptr ? 2 : 1;
    for (uint32_t i = 0; i < sig->nparams; i++)
        val_store(ctx, (IrType)sig->params[i], L.loc[first + i], x64_mem(X64_RSP, (int32_t)(16 * i)));
    if (L.results_ptr)
        E(x64_encode_mov_rr(p, 8, X64_RBX, X64_RSI));
    E(x64_encode_mov_rr(p, 8, X64_RSI, X64_RSP));
    E(x64_encode_call_m(p, x64_mem(X64_RDI, RT_HOSTFUNC_OFF_CALLBACK)));
    if (sig->nresults)
        val_load(ctx, (IrType)sig->results[0], result_reg(sig), x64_mem(X64_RSP, 0), 0);
    for (uint32_t k = 1; k < sig->nresults; k++)
        copy16(ctx, x64_mem(X64_RBX, (int32_t)(16 * (k - 1))), x64_mem(X64_RSP, (int32_t)(16 * k)));
    E(x64_encode_alu_ri(p, X64_ALU_ADD, 8, X64_RSP, frame));
    E(x64_encode_pop_r(p, X64_RBX));
    E(x64_encode_pop_r(p, X64_RBP));
    E(x64_encode_ret(p));
}
