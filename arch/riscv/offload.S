/* SPDX-License-Identifier: MIT */
/*
 * RISC-V switch of vt_offload's background context (kernel/offload_cpu.c,
 * docs/offload.md): the machine software interrupt (mcause 3, the board's
 * MSIP bit), entered from trap.S's vector with the trap frame on the
 * interrupt stack. Interrupts do not nest, so nothing runs meanwhile.
 *
 * Both contexts (the idle loop on the main stack, the background on its
 * own) run in machine mode with interrupts on; threads never take this
 * path (their switch is switch.S). The trap entry saved the caller-saved
 * registers in the trap frame and changed no callee-saved or FP register,
 * so the full frame is assembled from both on the interrupted context's own
 * stack; offload_switch() returns the frame to resume.
 *
 * Full frame (trap_frame.h: BG_*), lowest address first; word n holds xn:
 *
 *    0  mepc                  (word of x0)
 *    4  ra                    x1
 *    8  mstatus               (word of x2: sp is the frame's end)
 *   12  -   16  -             (gp, tp: the same in every context)
 *   20  t0  24 t1  28 t2      x5-x7
 *   32  s0  36 s1             x8-x9
 *   40  a0 ... 60 a5          x10-x15          RV32E ends here: 64 bytes
 *   64  a6  68 a7             x16-x17
 *   72  s2 ... 108 s11        x18-x27
 *  112  t3 ... 124 t6         x28-x31
 *  128  f0 ... f31, fcsr      only with an FPU (every FP register: an
 *                             interrupt can interrupt any of them)
 *
 * 128 bytes; 272 with F, 400 with D.
 */
#include "arch_cpu.h"
#include "trap_frame.h"

    .text
    .global riscv_bg_trap
    .type riscv_bg_trap, @function
    .balign 4
riscv_bg_trap:
    /* a0 = the full frame, below the interrupted context's sp */
    lw      a0, TF_SP(sp)
    addi    a0, a0, -BG_FRAME
    /* what the trap entry saved: from the trap frame */
    lw      t1, 0(sp)
    sw      t1, BG_X(1)(a0)       /* ra */
    lw      t1, 4(sp)
    sw      t1, BG_X(5)(a0)       /* t0 */
    lw      t1, 8(sp)
    sw      t1, BG_X(6)(a0)       /* t1 */
    lw      t1, 12(sp)
    sw      t1, BG_X(7)(a0)       /* t2 */
    lw      t1, 16(sp)
    sw      t1, BG_X(10)(a0)      /* a0 */
    lw      t1, 20(sp)
    sw      t1, BG_X(11)(a0)      /* a1 */
    lw      t1, 24(sp)
    sw      t1, BG_X(12)(a0)      /* a2 */
    lw      t1, 28(sp)
    sw      t1, BG_X(13)(a0)      /* a3 */
    lw      t1, 32(sp)
    sw      t1, BG_X(14)(a0)      /* a4 */
    lw      t1, 36(sp)
    sw      t1, BG_X(15)(a0)      /* a5 */
#ifndef __riscv_32e
    lw      t1, 40(sp)
    sw      t1, BG_X(16)(a0)      /* a6 */
    lw      t1, 44(sp)
    sw      t1, BG_X(17)(a0)      /* a7 */
    lw      t1, 48(sp)
    sw      t1, BG_X(28)(a0)      /* t3 */
    lw      t1, 52(sp)
    sw      t1, BG_X(29)(a0)      /* t4 */
    lw      t1, 56(sp)
    sw      t1, BG_X(30)(a0)      /* t5 */
    lw      t1, 60(sp)
    sw      t1, BG_X(31)(a0)      /* t6 */
#endif
    /* what is still live: callee-saved registers, pc and status */
    sw      s0, BG_X(8)(a0)
    sw      s1, BG_X(9)(a0)
#ifndef __riscv_32e
    sw      s2, BG_X(18)(a0)
    sw      s3, BG_X(19)(a0)
    sw      s4, BG_X(20)(a0)
    sw      s5, BG_X(21)(a0)
    sw      s6, BG_X(22)(a0)
    sw      s7, BG_X(23)(a0)
    sw      s8, BG_X(24)(a0)
    sw      s9, BG_X(25)(a0)
    sw      s10, BG_X(26)(a0)
    sw      s11, BG_X(27)(a0)
#endif
    csrr    t1, mepc
    sw      t1, BG_MEPC(a0)
    csrr    t1, mstatus
    sw      t1, BG_MSTATUS(a0)
#ifdef __riscv_flen
    /* every FP register and fcsr: all live (the entry only stored some) */
    FSTORE  f0, BG_F(0)(a0)
    FSTORE  f1, BG_F(1)(a0)
    FSTORE  f2, BG_F(2)(a0)
    FSTORE  f3, BG_F(3)(a0)
    FSTORE  f4, BG_F(4)(a0)
    FSTORE  f5, BG_F(5)(a0)
    FSTORE  f6, BG_F(6)(a0)
    FSTORE  f7, BG_F(7)(a0)
    FSTORE  f8, BG_F(8)(a0)
    FSTORE  f9, BG_F(9)(a0)
    FSTORE  f10, BG_F(10)(a0)
    FSTORE  f11, BG_F(11)(a0)
    FSTORE  f12, BG_F(12)(a0)
    FSTORE  f13, BG_F(13)(a0)
    FSTORE  f14, BG_F(14)(a0)
    FSTORE  f15, BG_F(15)(a0)
    FSTORE  f16, BG_F(16)(a0)
    FSTORE  f17, BG_F(17)(a0)
    FSTORE  f18, BG_F(18)(a0)
    FSTORE  f19, BG_F(19)(a0)
    FSTORE  f20, BG_F(20)(a0)
    FSTORE  f21, BG_F(21)(a0)
    FSTORE  f22, BG_F(22)(a0)
    FSTORE  f23, BG_F(23)(a0)
    FSTORE  f24, BG_F(24)(a0)
    FSTORE  f25, BG_F(25)(a0)
    FSTORE  f26, BG_F(26)(a0)
    FSTORE  f27, BG_F(27)(a0)
    FSTORE  f28, BG_F(28)(a0)
    FSTORE  f29, BG_F(29)(a0)
    FSTORE  f30, BG_F(30)(a0)
    FSTORE  f31, BG_F(31)(a0)
    frcsr   t1
    sw      t1, BG_FCSR(a0)
#endif
    /* choose: a0 = the frame to resume (this one, or the other context's) */
    call    riscv_bg_switch
    /* leaving the trap: mscratch = interrupt stack top again */
    addi    t0, sp, TF_SIZE
    csrw    mscratch, t0
    mv      sp, a0
#ifdef __riscv_flen
    lw      t1, BG_FCSR(sp)
    fscsr   t1
    FLOAD   f0, BG_F(0)(sp)
    FLOAD   f1, BG_F(1)(sp)
    FLOAD   f2, BG_F(2)(sp)
    FLOAD   f3, BG_F(3)(sp)
    FLOAD   f4, BG_F(4)(sp)
    FLOAD   f5, BG_F(5)(sp)
    FLOAD   f6, BG_F(6)(sp)
    FLOAD   f7, BG_F(7)(sp)
    FLOAD   f8, BG_F(8)(sp)
    FLOAD   f9, BG_F(9)(sp)
    FLOAD   f10, BG_F(10)(sp)
    FLOAD   f11, BG_F(11)(sp)
    FLOAD   f12, BG_F(12)(sp)
    FLOAD   f13, BG_F(13)(sp)
    FLOAD   f14, BG_F(14)(sp)
    FLOAD   f15, BG_F(15)(sp)
    FLOAD   f16, BG_F(16)(sp)
    FLOAD   f17, BG_F(17)(sp)
    FLOAD   f18, BG_F(18)(sp)
    FLOAD   f19, BG_F(19)(sp)
    FLOAD   f20, BG_F(20)(sp)
    FLOAD   f21, BG_F(21)(sp)
    FLOAD   f22, BG_F(22)(sp)
    FLOAD   f23, BG_F(23)(sp)
    FLOAD   f24, BG_F(24)(sp)
    FLOAD   f25, BG_F(25)(sp)
    FLOAD   f26, BG_F(26)(sp)
    FLOAD   f27, BG_F(27)(sp)
    FLOAD   f28, BG_F(28)(sp)
    FLOAD   f29, BG_F(29)(sp)
    FLOAD   f30, BG_F(30)(sp)
    FLOAD   f31, BG_F(31)(sp)
#endif
    lw      t0, BG_MEPC(sp)
    csrw    mepc, t0
    lw      t0, BG_MSTATUS(sp)    /* MIE clear (taken in the trap), MPIE: the context's */
    csrw    mstatus, t0
    lw      ra, BG_X(1)(sp)
    lw      t0, BG_X(5)(sp)
    lw      t1, BG_X(6)(sp)
    lw      t2, BG_X(7)(sp)
    lw      s0, BG_X(8)(sp)
    lw      s1, BG_X(9)(sp)
    lw      a0, BG_X(10)(sp)
    lw      a1, BG_X(11)(sp)
    lw      a2, BG_X(12)(sp)
    lw      a3, BG_X(13)(sp)
    lw      a4, BG_X(14)(sp)
    lw      a5, BG_X(15)(sp)
#ifndef __riscv_32e
    lw      a6, BG_X(16)(sp)
    lw      a7, BG_X(17)(sp)
    lw      s2, BG_X(18)(sp)
    lw      s3, BG_X(19)(sp)
    lw      s4, BG_X(20)(sp)
    lw      s5, BG_X(21)(sp)
    lw      s6, BG_X(22)(sp)
    lw      s7, BG_X(23)(sp)
    lw      s8, BG_X(24)(sp)
    lw      s9, BG_X(25)(sp)
    lw      s10, BG_X(26)(sp)
    lw      s11, BG_X(27)(sp)
    lw      t3, BG_X(28)(sp)
    lw      t4, BG_X(29)(sp)
    lw      t5, BG_X(30)(sp)
    lw      t6, BG_X(31)(sp)
#endif
    addi    sp, sp, BG_FRAME      /* the context's own sp */
    mret
    .size riscv_bg_trap, .-riscv_bg_trap

/*
 * void arch_bg_kick(void): raise the software interrupt. Here, beside the
 * switch, so that a program calling it links the switch too (trap.S names
 * riscv_bg_trap weakly).
 */
    .global arch_bg_kick
    .type arch_bg_kick, @function
    .balign 4
arch_bg_kick:
    li      a0, 1
    tail    board_irq_soft
    .size arch_bg_kick, .-arch_bg_kick
