/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/riscv.h
 * @brief The RISC-V interrupt hardware the boards share (private to
 * boards/): the CLINT (machine timer, software interrupts) and the PLIC
 * (external interrupts), as SiFive laid them out and QEMU's virt and
 * sifive_e machines place them; hart 0, machine mode (PLIC context 0).
 */
#ifndef VT_BOARD_RISCV_H
#define VT_BOARD_RISCV_H

#include <stddef.h>
#include <stdint.h>

/** CLINT: per-hart software interrupt and timer compare, one shared mtime. */
typedef struct {
    volatile uint32_t MSIP[4096];         /**< 0x0000 software interrupt, per hart */
    volatile uint32_t MTIMECMP[2 * 4095]; /**< 0x4000 low, high word per hart */
    volatile uint32_t MTIME[2];           /**< 0xBFF8 low, high word */
} clint_regs_t;
_Static_assert(offsetof(clint_regs_t, MTIME) == 0xBFF8, "CLINT layout");
#define CLINT ((clint_regs_t *)0x02000000u)

/** PLIC: source priorities and pending bits, context 0's enables. */
typedef struct {
    volatile uint32_t PRIORITY[1024];    /**< 0x0000 per source (0: never) */
    const volatile uint32_t PENDING[32]; /**< 0x1000 one bit per source */
    uint32_t reserved[992];
    volatile uint32_t ENABLE[32];        /**< 0x2000 context 0, one bit per source */
} plic_regs_t;
_Static_assert(offsetof(plic_regs_t, ENABLE) == 0x2000, "PLIC layout");
#define PLIC ((plic_regs_t *)0x0C000000u)

/** PLIC context 0 (hart 0, machine mode). */
typedef struct {
    volatile uint32_t THRESHOLD; /**< 0x200000 sources at or below it are masked */
    volatile uint32_t CLAIM;     /**< 0x200004 read: claim a source; write: complete it */
} plic_context_t;
#define PLIC_CTX0 ((plic_context_t *)0x0C200000u)

/** QEMU's sifive_test exit device (virt): write PASS, or FAIL | code << 16. */
#define SIFIVE_TEST_PASS 0x5555u
#define SIFIVE_TEST_FAIL 0x3333u

/* machine-mode CSR bits (MSTATUS_MIE, MIE_MTIE, ...): arch/riscv/riscv_csr.h */

#endif
