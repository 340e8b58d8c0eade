/* SPDX-License-Identifier: MIT */
/*
 * RISC-V RV32 context switch (RV32I/RV32E, optional F or D).
 *
 * The cooperative switch is a plain function call: the caller has already
 * saved t0-t6 and a0-a7 as the psABI requires, so only callee-saved
 * registers go on the stack. Whether FP registers are saved is decided at
 * compile time from __riscv_flen; RV32E has only s0-s1.
 *
 * Saved frame, at the thread's saved sp (lowest address first):
 *
 *   RV32I                       RV32E
 *    0  ra                       0  ra   (new thread: arch_thread_start)
 *    4  s0                       4  s0   (new thread: entry)
 *    8  s1                       8  s1   (new thread: arg)
 *   12  s2 ... 48 s11           12  pad
 *   52  fs0 ... fs11            only with __riscv_flen == 32 (4 bytes each)
 *   56  fs0 ... fs11            only with __riscv_flen == 64 (8 bytes each)
 *   then padding to 16 bytes (VT_ARCH_STACK_ALIGN)
 *
 * Size (VT_RV_SWITCH_FRAME): 64 bytes RV32I, 112 with F, 160 with D,
 * 16 RV32E.
 */
#include "arch_cpu.h"

#if defined(__riscv_flen) && __riscv_flen == 64
#define FSTORE fsd
#define FLOAD fld
#define FSZ 8
#else
#define FSTORE fsw
#define FLOAD flw
#define FSZ 4
#endif

    .text

/* void arch_switch(void **from_sp, void *const *to_sp): the target's sp is
 * read after ours is stored, so a switch to oneself is harmless. */
    .global arch_switch
    .type arch_switch, @function
    .balign 4
arch_switch:
    addi    sp, sp, -VT_RV_SWITCH_FRAME
    /* callee-saved integer registers */
    sw      ra, 0(sp)
    sw      s0, 4(sp)
    sw      s1, 8(sp)
#ifndef __riscv_32e
    sw      s2, 12(sp)
    sw      s3, 16(sp)
    sw      s4, 20(sp)
    sw      s5, 24(sp)
    sw      s6, 28(sp)
    sw      s7, 32(sp)
    sw      s8, 36(sp)
    sw      s9, 40(sp)
    sw      s10, 44(sp)
    sw      s11, 48(sp)
#endif
#ifdef __riscv_flen
    /* callee-saved FP registers */
    FSTORE  fs0, VT_RV_FP_OFF + 0 * FSZ(sp)
    FSTORE  fs1, VT_RV_FP_OFF + 1 * FSZ(sp)
    FSTORE  fs2, VT_RV_FP_OFF + 2 * FSZ(sp)
    FSTORE  fs3, VT_RV_FP_OFF + 3 * FSZ(sp)
    FSTORE  fs4, VT_RV_FP_OFF + 4 * FSZ(sp)
    FSTORE  fs5, VT_RV_FP_OFF + 5 * FSZ(sp)
    FSTORE  fs6, VT_RV_FP_OFF + 6 * FSZ(sp)
    FSTORE  fs7, VT_RV_FP_OFF + 7 * FSZ(sp)
    FSTORE  fs8, VT_RV_FP_OFF + 8 * FSZ(sp)
    FSTORE  fs9, VT_RV_FP_OFF + 9 * FSZ(sp)
    FSTORE  fs10, VT_RV_FP_OFF + 10 * FSZ(sp)
    FSTORE  fs11, VT_RV_FP_OFF + 11 * FSZ(sp)
#endif
    /* *from_sp = sp; adopt the other context */
    sw      sp, 0(a0)
    lw      sp, 0(a1)
#ifdef __riscv_flen
    FLOAD   fs0, VT_RV_FP_OFF + 0 * FSZ(sp)
    FLOAD   fs1, VT_RV_FP_OFF + 1 * FSZ(sp)
    FLOAD   fs2, VT_RV_FP_OFF + 2 * FSZ(sp)
    FLOAD   fs3, VT_RV_FP_OFF + 3 * FSZ(sp)
    FLOAD   fs4, VT_RV_FP_OFF + 4 * FSZ(sp)
    FLOAD   fs5, VT_RV_FP_OFF + 5 * FSZ(sp)
    FLOAD   fs6, VT_RV_FP_OFF + 6 * FSZ(sp)
    FLOAD   fs7, VT_RV_FP_OFF + 7 * FSZ(sp)
    FLOAD   fs8, VT_RV_FP_OFF + 8 * FSZ(sp)
    FLOAD   fs9, VT_RV_FP_OFF + 9 * FSZ(sp)
    FLOAD   fs10, VT_RV_FP_OFF + 10 * FSZ(sp)
    FLOAD   fs11, VT_RV_FP_OFF + 11 * FSZ(sp)
#endif
    /* the other context's integer registers */
    lw      ra, 0(sp)
    lw      s0, 4(sp)
    lw      s1, 8(sp)
#ifndef __riscv_32e
    lw      s2, 12(sp)
    lw      s3, 16(sp)
    lw      s4, 20(sp)
    lw      s5, 24(sp)
    lw      s6, 28(sp)
    lw      s7, 32(sp)
    lw      s8, 36(sp)
    lw      s9, 40(sp)
    lw      s10, 44(sp)
    lw      s11, 48(sp)
#endif
    addi    sp, sp, VT_RV_SWITCH_FRAME
    ret                             /* resume it where it called arch_switch */
    .size arch_switch, .-arch_switch

/* First code of every thread: vt_exit(entry(arg)), entry in s0, arg in s1. */
    .global arch_thread_start
    .type arch_thread_start, @function
    .balign 4
arch_thread_start:
    .cfi_startproc
    .cfi_undefined ra               /* outermost frame: debuggers stop here */
    mv      a0, s1
    jalr    s0
    call    vt_exit                 /* never returns */
    .cfi_endproc
    .size arch_thread_start, .-arch_thread_start
