/**
 * @file arch/riscv/riscv_csr.h
 * @brief Machine-mode control and status registers the RISC-V port uses:
 * bit and cause numbers by name (privileged specification, machine level),
 * and accessors. Also included by the port's assembly files: the numbers
 * are plain constants there.
 */
#ifndef VT_ARCH_RISCV_CSR_H
#define VT_ARCH_RISCV_CSR_H

/* mstatus */
#define RV_MSTATUS_MIE 0x8u           /**< bit 3: machine interrupts enabled */
#define RV_MSTATUS_MPIE 0x80u         /**< bit 7: MIE before the trap */
#define RV_MSTATUS_FS_MASK 0x6000u    /**< bits 13-14: FPU state (0 off) */
#define RV_MSTATUS_FS_INITIAL 0x2000u /**< FPU on, registers initial */

/* mie / mip */
#define RV_MIE_MSIE 0x8u              /**< bit 3: machine software interrupt */
#define RV_MIE_MTIE 0x80u             /**< bit 7: machine timer interrupt */
#define RV_MIE_MEIE 0x800u            /**< bit 11: machine external interrupt */

/* mcause: bit 31 set for interrupts, then the code */
#define RV_MCAUSE_INTERRUPT 0x80000000u
#define RV_MCAUSE_CODE 0x7FFFFFFFu
#define RV_IRQ_M_SOFT 3               /**< machine software interrupt (CLINT msip) */
#define RV_IRQ_M_TIMER 7              /**< machine timer interrupt (mtimecmp) */
#define RV_IRQ_M_EXT 11               /**< machine external interrupt (PLIC) */

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
