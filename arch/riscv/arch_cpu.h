/* SPDX-License-Identifier: MIT */
/**
 * @file arch/riscv/arch_cpu.h
 * @brief Inline hooks of the RISC-V port (RV32, machine mode). See kernel/port.h.
 *
 * Threads and main run on their own stacks; every trap enters through
 * vt_vector_table (trap.S), which swaps to the interrupt stack through
 * `mscratch`. While no trap is active `mscratch` holds the top of that
 * stack; while one is, it holds 0. So "am I in an interrupt" is one CSR
 * read, and a fault inside a handler stays on the interrupt stack.
 *
 * Interrupts do not nest: the trap entry keeps mstatus.MIE clear.
 *
 * This header is also included by the port's assembly files (the frame
 * sizes in arch_frame.h are shared with switch.S and trap.S).
 */
#ifndef VT_ARCH_RISCV_CPU_H
#define VT_ARCH_RISCV_CPU_H

#include "arch_frame.h" /* VT_ARCH_STACK_ALIGN, VT_RV_SWITCH_FRAME (also for the .S files) */
#include "riscv_csr.h"


#ifndef __ASSEMBLER__
#include <stdint.h>

/** The previous mstatus.MIE bit (0 or 8). */
typedef unsigned long arch_irq_state_t;

static inline arch_irq_state_t arch_irq_save(void)
{
    unsigned long mstatus;
    __asm volatile("csrrci %0, mstatus, %1" : "=r"(mstatus) : "i"(MSTATUS_MIE) : "memory");
    return mstatus & MSTATUS_MIE;
}

static inline void arch_irq_restore(arch_irq_state_t s)
{
    /* sets MIE back if it was set; other mstatus fields (FS...) untouched */
    __asm volatile("csrs mstatus, %0" ::"r"(s) : "memory");
}

static inline int arch_in_isr(void)
{
    unsigned long scratch;
    __asm volatile("csrr %0, mscratch" : "=r"(scratch));
    return scratch == 0;
}

/* wfi wakes on a pending (enabled in mie) interrupt even with MIE clear */
static inline void arch_wait_irq(void) { __asm volatile("wfi" ::: "memory"); }

/*
 * ---- Hooks between this port and a RISC-V board ----
 */

/** @brief Point mtvec at vt_vector_table and mscratch at the interrupt
 *  stack (`__isr_stack_top` from the linker script). The board's startup
 *  calls it before main(); arch_run_prepare() repeats it. */
void riscv_trap_init(void);

/** @brief Machine timer interrupt (mcause 7), provided by the board. */
void board_irq_timer(void);
/** @brief Machine external interrupt (mcause 11, PLIC), provided by the board. */
void board_irq_external(void);
/** @brief Raise (@p pend 1) or clear (0) this hart's machine software
 *  interrupt (mcause 3; the CLINT's MSIP bit): vt_offload's context switch
 *  (arch/riscv/offload.S). Provided by the board. */
void board_irq_soft(int pend);
#endif /* !__ASSEMBLER__ */

#endif /* VT_ARCH_RISCV_CPU_H */
