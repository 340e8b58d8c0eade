/* SPDX-License-Identifier: MIT */
/**
 * @file arch/cortex-m/arch_cpu.h
 * @brief Inline hooks of the Cortex-M port (ARMv6-M, ARMv7-M, ARMv7E-M,
 * ARMv8-M Mainline: the same instructions exist on all four). See kernel/port.h.
 *
 * Threads run in thread mode on PSP; handlers run on MSP (set up by
 * arch_run_prepare), so thread stacks never hold exception frames.
 */
#ifndef VT_ARCH_CORTEX_M_CPU_H
#define VT_ARCH_CORTEX_M_CPU_H

#include <stdint.h>

#include "arch_frame.h" /* VT_ARCH_STACK_ALIGN, frame and guard sizes */

typedef uint32_t arch_irq_state_t;

static inline arch_irq_state_t arch_irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void arch_irq_restore(arch_irq_state_t s)
{
    __asm volatile("msr primask, %0" ::"r"(s) : "memory");
}

static inline int arch_in_isr(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr != 0;
}

/* wfi wakes on a pending interrupt even with PRIMASK set */
static inline void arch_wait_irq(void) { __asm volatile("dsb\n\twfi" ::: "memory"); }

#endif /* VT_ARCH_CORTEX_M_CPU_H */
