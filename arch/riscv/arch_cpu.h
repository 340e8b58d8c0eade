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
 * This header is also included by the port's assembly files: the frame
 * sizes below are shared with switch.S and trap.S, and port.c checks that
 * VT_ARCH_CONTEXT_BYTES (from arch.cmake) equals VT_RV_SWITCH_FRAME.
 */
#ifndef VT_ARCH_RISCV_CPU_H
#define VT_ARCH_RISCV_CPU_H

#define VT_ARCH_STACK_ALIGN 16

/* ---- switch frame (see the diagram at the top of switch.S) ---- */
#ifdef __riscv_32e
#define VT_RV_NSAVED 3               /* ra, s0, s1 */
#else
#define VT_RV_NSAVED 13              /* ra, s0-s11 */
#endif
#if defined(__riscv_flen) && __riscv_flen == 64
#define VT_RV_FP_OFF ((VT_RV_NSAVED * 4 + 7) & ~7)
#define VT_RV_FP_BYTES (12 * 8)      /* fs0-fs11, double */
#elif defined(__riscv_flen)
#define VT_RV_FP_OFF (VT_RV_NSAVED * 4)
#define VT_RV_FP_BYTES (12 * 4)      /* fs0-fs11, single */
#else
#define VT_RV_FP_OFF (VT_RV_NSAVED * 4)
#define VT_RV_FP_BYTES 0
#endif
/** Bytes arch_switch() keeps on a suspended thread's stack (16-aligned). */
#define VT_RV_SWITCH_FRAME ((VT_RV_FP_OFF + VT_RV_FP_BYTES + 15) & ~15)

#define VT_RV_MSTATUS_MIE 0x8u

#ifndef __ASSEMBLER__
#include <stdint.h>

/** The previous mstatus.MIE bit (0 or 8). */
typedef unsigned long arch_irq_state_t;

static inline arch_irq_state_t arch_irq_save(void)
{
    unsigned long mstatus;
    __asm volatile("csrrci %0, mstatus, 8" : "=r"(mstatus)::"memory");
    return mstatus & VT_RV_MSTATUS_MIE;
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
#endif /* !__ASSEMBLER__ */

#endif /* VT_ARCH_RISCV_CPU_H */
