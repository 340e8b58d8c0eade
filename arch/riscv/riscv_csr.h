/* SPDX-License-Identifier: MIT */
/**
 * @file arch/riscv/riscv_csr.h
 * @brief Machine-mode control and status registers of RV32: bit and cause
 * numbers by name (privileged specification, machine level), and
 * accessors; the one description of them for the port (arch/riscv/) and
 * the boards (boards/common/riscv.c). The masks are C only (the assembler
 * takes no `u` suffix); the .S files use only the cause codes (IRQ_M_*).
 */
#ifndef VT_ARCH_RISCV_CSR_H
#define VT_ARCH_RISCV_CSR_H

/* mstatus */
#define MSTATUS_MIE (1u << 3)         /**< machine interrupts enabled */
#define MSTATUS_MPIE (1u << 7)        /**< MIE before the trap */
#define MSTATUS_MPP_M (3u << 11)     /**< previous privilege: machine (mret stays in M) */
#define MSTATUS_FS_MASK (3u << 13)    /**< FPU state (0: off) */
#define MSTATUS_FS_INITIAL (1u << 13) /**< FPU on, registers initial */

/* mie / mip */
#define MIE_MSIE (1u << 3)            /**< machine software interrupt enable */
#define MIE_MTIE (1u << 7)            /**< machine timer interrupt enable */
#define MIE_MEIE (1u << 11)           /**< machine external interrupt enable */

/* mcause: bit 31 set for interrupts, then the code */
#define MCAUSE_INTERRUPT 0x80000000u
#define MCAUSE_CODE 0x7FFFFFFFu
#define IRQ_M_SOFT 3               /**< machine software interrupt (CLINT msip) */
#define IRQ_M_TIMER 7              /**< machine timer interrupt (mtimecmp) */
#define IRQ_M_EXT 11               /**< machine external interrupt (PLIC) */

#ifndef __ASSEMBLER__
/** Read CSR @p csr (a name: mstatus, mcause, ...). */
#define rv_csr_read(csr)                                                          \
    __extension__({                                                               \
        unsigned long v_;                                                         \
        __asm volatile("csrr %0, " #csr : "=r"(v_));                              \
        v_;                                                                       \
    })
/** Write @p v to CSR @p csr. */
#define rv_csr_write(csr, v) __asm volatile("csrw " #csr ", %0" ::"r"((unsigned long)(v)) : "memory")
/** Set the bits @p v in CSR @p csr. */
#define rv_csr_set(csr, v) __asm volatile("csrs " #csr ", %0" ::"r"((unsigned long)(v)) : "memory")
/** Clear the bits @p v in CSR @p csr. */
#define rv_csr_clear(csr, v) __asm volatile("csrc " #csr ", %0" ::"r"((unsigned long)(v)) : "memory")
#endif

#endif /* VT_ARCH_RISCV_CSR_H */
