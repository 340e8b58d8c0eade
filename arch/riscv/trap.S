/* SPDX-License-Identifier: MIT */
/*
 * RISC-V RV32 trap entry (machine mode, mtvec direct mode).
 *
 * Every interrupt and exception enters at vt_vector_table. The entry swaps
 * to the interrupt stack through mscratch (the idea of FreeRTOS'
 * xISRStackTop), so a thread's stack never holds a trap frame:
 *
 *   mscratch = top of the interrupt stack   no trap active
 *   mscratch = 0                            inside a trap (arch_in_isr())
 *
 * A trap taken inside a trap (only an exception can: interrupts stay
 * masked) finds 0 in mscratch and stays on the interrupt stack.
 *
 * Trap frame, on the interrupt stack (lowest address first): the
 * caller-saved registers, the interrupted sp, and with an FPU the
 * caller-saved FP registers and fcsr:
 *
 *   RV32I                                RV32E
 *    0 ra  4 t0  8 t1  12 t2              0 ra  4 t0  8 t1  12 t2
 *   16 a0 ... 44 a7                      16 a0 ... 36 a5
 *   48 t3  52 t4  56 t5  60 t6           40 interrupted sp
 *   64 interrupted sp                    (48 bytes)
 *   68 fcsr, 72 ft0-ft7 fa0-fa7 ft8-ft11 (only with __riscv_flen)
 *   (80 bytes; 160 with F; 240 with D)
 *
 * Interrupts (mcause bit 31 set) go to riscv_irq(mcause) and return with
 * mret; exceptions go to riscv_fault(mcause, frame), which never returns.
 * The machine software interrupt is vt_offload's context switch: it goes
 * to riscv_bg_trap (offload.S) when that is linked.
 */
#include "arch_cpu.h"
#include "trap_frame.h" /* TF_* offsets, shared with offload.S */

    .text
    .global vt_vector_table
    .type vt_vector_table, @function
    .balign 64
vt_vector_table:
    /* to the interrupt stack; mscratch keeps the interrupted sp */
    csrrw   sp, mscratch, sp
    bnez    sp, 1f
    csrrw   sp, mscratch, sp        /* trap in a trap: stay where we are */
1:  addi    sp, sp, -TF_SIZE
    /* caller-saved registers: the C handler may clobber them */
    sw      ra, 0(sp)
    sw      t0, 4(sp)
    sw      t1, 8(sp)
    sw      t2, 12(sp)
    sw      a0, 16(sp)
    sw      a1, 20(sp)
    sw      a2, 24(sp)
    sw      a3, 28(sp)
    sw      a4, 32(sp)
    sw      a5, 36(sp)
#ifndef __riscv_32e
    sw      a6, 40(sp)
    sw      a7, 44(sp)
    sw      t3, 48(sp)
    sw      t4, 52(sp)
    sw      t5, 56(sp)
    sw      t6, 60(sp)
#endif
    /* interrupted sp into the frame; mscratch = 0 marks "in a trap" */
    csrrw   t0, mscratch, zero
    sw      t0, TF_SP(sp)
#ifdef __riscv_flen
    /* caller-saved FP registers and fcsr */
    frcsr   t0
    sw      t0, TF_FCSR(sp)
    FSTORE  ft0, TF_F(0)(sp)
    FSTORE  ft1, TF_F(1)(sp)
    FSTORE  ft2, TF_F(2)(sp)
    FSTORE  ft3, TF_F(3)(sp)
    FSTORE  ft4, TF_F(4)(sp)
    FSTORE  ft5, TF_F(5)(sp)
    FSTORE  ft6, TF_F(6)(sp)
    FSTORE  ft7, TF_F(7)(sp)
    FSTORE  fa0, TF_F(8)(sp)
    FSTORE  fa1, TF_F(9)(sp)
    FSTORE  fa2, TF_F(10)(sp)
    FSTORE  fa3, TF_F(11)(sp)
    FSTORE  fa4, TF_F(12)(sp)
    FSTORE  fa5, TF_F(13)(sp)
    FSTORE  fa6, TF_F(14)(sp)
    FSTORE  fa7, TF_F(15)(sp)
    FSTORE  ft8, TF_F(16)(sp)
    FSTORE  ft9, TF_F(17)(sp)
    FSTORE  ft10, TF_F(18)(sp)
    FSTORE  ft11, TF_F(19)(sp)
#endif
    /* dispatch: interrupts have mcause bit 31 set */
    csrr    a0, mcause
    bgez    a0, 2f
    li      t1, 0x80000000 | IRQ_M_SOFT /* interrupt bit and cause (riscv_csr.h's code) */
    bne     a0, t1, 4f
    lw      t1, bg_trap           /* vt_offload's switch, 0 when not linked */
    beqz    t1, 4f
    jr      t1                    /* it leaves the trap itself */
4:  call    riscv_irq
#ifdef __riscv_flen
    lw      t0, TF_FCSR(sp)
    fscsr   t0
    FLOAD   ft0, TF_F(0)(sp)
    FLOAD   ft1, TF_F(1)(sp)
    FLOAD   ft2, TF_F(2)(sp)
    FLOAD   ft3, TF_F(3)(sp)
    FLOAD   ft4, TF_F(4)(sp)
    FLOAD   ft5, TF_F(5)(sp)
    FLOAD   ft6, TF_F(6)(sp)
    FLOAD   ft7, TF_F(7)(sp)
    FLOAD   fa0, TF_F(8)(sp)
    FLOAD   fa1, TF_F(9)(sp)
    FLOAD   fa2, TF_F(10)(sp)
    FLOAD   fa3, TF_F(11)(sp)
    FLOAD   fa4, TF_F(12)(sp)
    FLOAD   fa5, TF_F(13)(sp)
    FLOAD   fa6, TF_F(14)(sp)
    FLOAD   fa7, TF_F(15)(sp)
    FLOAD   ft8, TF_F(16)(sp)
    FLOAD   ft9, TF_F(17)(sp)
    FLOAD   ft10, TF_F(18)(sp)
    FLOAD   ft11, TF_F(19)(sp)
#endif
    /* leaving the trap: mscratch = interrupt stack top again */
    addi    t0, sp, TF_SIZE
    csrw    mscratch, t0
    lw      ra, 0(sp)
    lw      t0, 4(sp)
    lw      t1, 8(sp)
    lw      t2, 12(sp)
    lw      a0, 16(sp)
    lw      a1, 20(sp)
    lw      a2, 24(sp)
    lw      a3, 28(sp)
    lw      a4, 32(sp)
    lw      a5, 36(sp)
#ifndef __riscv_32e
    lw      a6, 40(sp)
    lw      a7, 44(sp)
    lw      t3, 48(sp)
    lw      t4, 52(sp)
    lw      t5, 56(sp)
    lw      t6, 60(sp)
#endif
    lw      sp, TF_SP(sp)           /* back to the interrupted stack */
    mret

    /* exception: report and stop (riscv_fault does not return) */
2:  mv      a1, sp
    call    riscv_fault
3:  j       3b
    .size vt_vector_table, .-vt_vector_table

    .section .rodata
    .balign 4
    .weak riscv_bg_trap
bg_trap:
    .word   riscv_bg_trap
