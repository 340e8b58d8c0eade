/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/cortex_m.c
 * @brief What every Cortex-M board shares: the vector table, the reset
 * path, the default interrupt handler and the NVIC calls of board_api.h.
 *
 * The vector table holds the core's exceptions (faults to the port's
 * arch_fault_entry) and one entry per interrupt line, BOARD_IRQ_LINES of
 * them: the named lines of board.h's BOARD_IRQ_LIST call NAME_IRQHandler,
 * defined here as weak aliases of the default handler so that the board or
 * the application overrides each by defining it; unnamed lines go to the
 * default handler, which reports the line and stops.
 *
 * The reset path: .data copied from its load address (a flash-resident
 * image; nothing to copy when the image was loaded into RAM), .bss zeroed,
 * FPU access and separate fault reports enabled, VTOR pointed at the table,
 * then the board's devices (board_init) and main (board_run_main).
 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "board_common.h"
#include "cortex_m.h"
#include "port.h"

#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__)
#define HAS_VTOR_AND_FAULTS 1 /* ARMv6-M has neither VTOR nor separate fault handlers */
#else
#define HAS_VTOR_AND_FAULTS 0
#endif

/* ---------------------------------------------------------------- startup */

extern char __data_start__[], __data_end__[], __data_load__[];
extern char __bss_start__[], __bss_end__[];
extern char __main_stack_top[], __main_stack_bottom[];
extern void (*const vt_vector_table[])(void);

void Reset_Handler(void) __attribute__((noreturn));
void Reset_Handler(void)
{
    if ((uintptr_t)__data_load__ != (uintptr_t)__data_start__)
        memcpy(__data_start__, __data_load__, (size_t)(__data_end__ - __data_start__));
    memset(__bss_start__, 0, (size_t)(__bss_end__ - __bss_start__));
#if defined(__ARM_FP) && !defined(__SOFTFP__)
    SCB->CPACR |= SCB_CPACR_CP10_CP11_FULL;
    __asm volatile("dsb\n\tisb");
#endif
    if (HAS_VTOR_AND_FAULTS) {
        SCB->VTOR = (uint32_t)(uintptr_t)vt_vector_table;
        SCB->SHCSR |= SCB_SHCSR_MEMFAULTENA | SCB_SHCSR_BUSFAULTENA | SCB_SHCSR_USGFAULTENA;
    }
#if defined(__ARM_ARCH_8M_MAIN__)
    SCB->SHCSR |= SCB_SHCSR_SECUREFAULTENA;
    __asm volatile("msr msplim, %0" ::"r"(__main_stack_bottom)); /* until arch_run_prepare */
#endif
    board_init();
    board_run_main();
}

/* ------------------------------------------------------ interrupt lines */

int board_irq_enable(unsigned irq)
{
    if (irq >= BOARD_IRQ_LINES)
        return VT_EINVAL;
    NVIC->ICPR[irq / 32] = 1u << (irq % 32);
    NVIC->ISER[irq / 32] = 1u << (irq % 32);
    return 0;
}

int board_irq_disable(unsigned irq)
{
    if (irq >= BOARD_IRQ_LINES)
        return VT_EINVAL;
    NVIC->ICER[irq / 32] = 1u << (irq % 32);
    return 0;
}

/* The handler of every line nothing else handles: IPSR holds the exception
 * number, 16 + the line. */
void Default_IRQHandler(void);
void Default_IRQHandler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    board_irq_unexpected((unsigned)(ipsr & 0x1FFu) - 16u);
}

/* the core's own handlers (CMSIS names), also overridable */
void SVC_Handler(void) __attribute__((weak, alias("Default_IRQHandler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_IRQHandler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_IRQHandler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_IRQHandler")));

#define WEAK_HANDLER(name, line) \
    void name##_IRQHandler(void) __attribute__((weak, alias("Default_IRQHandler")));
BOARD_IRQ_LIST(WEAK_HANDLER)

/* ---------------------------------------------------------------- vectors */

void arch_fault_entry(void);

#define VECTOR(name, line) [16 + (line)] = name##_IRQHandler,

#pragma GCC diagnostic ignored "-Woverride-init" /* a default for all lines, then the named ones */
__attribute__((section(".vectors"), used)) void (*const vt_vector_table[16 + BOARD_IRQ_LINES])(void) = {
    (void (*)(void))__main_stack_top,
    Reset_Handler,
    arch_fault_entry, /* NMI */
    arch_fault_entry, /* HardFault */
#if HAS_VTOR_AND_FAULTS
    arch_fault_entry, /* MemManage */
    arch_fault_entry, /* BusFault */
    arch_fault_entry, /* UsageFault (ARMv8-M STKOF: a stack limit was crossed) */
#if defined(__ARM_ARCH_8M_MAIN__)
    arch_fault_entry, /* SecureFault */
#endif
#endif
    [11] = SVC_Handler,
    [12] = DebugMon_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [16 ... 16 + BOARD_IRQ_LINES - 1] = Default_IRQHandler,
    BOARD_IRQ_LIST(VECTOR)
};
