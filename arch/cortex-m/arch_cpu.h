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

#define VT_ARCH_STACK_ALIGN 8

#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
/** ARMv7-M MPU (PMSAv7): VT_CONFIG_MPU_GUARD uses region 7 at its smallest
 *  size, 32 bytes, as a no-access guard at the bottom of the running stack.
 *  (ARMv8-M has PSPLIM instead; ARMv6-M cores rarely have an MPU.) */
#define VT_ARCH_MPU_GUARD_SIZE 32
#endif

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
