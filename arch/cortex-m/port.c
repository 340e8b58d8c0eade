/**
 * @file arch/cortex-m/port.c
 * @brief Cortex-M port glue: the initial frame and the fault reporter.
 */
#include <stdint.h>
#include <stdio.h>

#include "port.h"

void arch_thread_start(void);

#if defined(__ARM_FP) && !defined(__SOFTFP__)
#define FP_WORDS 16
#else
#define FP_WORDS 0
#endif

void *arch_context_init(void *stack_top, vt_entry_t entry, void *arg)
{
    uint32_t *sp = (uint32_t *)stack_top - 9 - FP_WORDS;
    for (int i = 0; i < 9 + FP_WORDS; i++)
        sp[i] = 0;
    sp[FP_WORDS + 0] = (uint32_t)entry;             /* r4 */
    sp[FP_WORDS + 1] = (uint32_t)arg;               /* r5 */
    sp[FP_WORDS + 8] = (uint32_t)arch_thread_start; /* lr: Thumb bit set */
    return sp;
}

#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2C)
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38)

/* Called on MSP by arch_fault_entry with the exception frame. */
void arch_fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t ipsr);
void arch_fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t ipsr)
{
    vt_thread_t *t = vt_current_unsafe();
    printf("\nFAULT: exception %lu in %s %s (stack %s)\n", (unsigned long)(ipsr & 0x1FF),
           t ? "thread" : "context", t ? vt_thread_name(t) : "main/idle",
           (exc_return & 4) ? "PSP" : "MSP");
    printf("  r0=%08lx r1=%08lx r2=%08lx r3=%08lx r12=%08lx\n", (unsigned long)frame[0],
           (unsigned long)frame[1], (unsigned long)frame[2], (unsigned long)frame[3],
           (unsigned long)frame[4]);
    printf("  lr=%08lx pc=%08lx xpsr=%08lx\n", (unsigned long)frame[5], (unsigned long)frame[6],
           (unsigned long)frame[7]);
    printf("  CFSR=%08lx HFSR=%08lx MMFAR=%08lx BFAR=%08lx\n", (unsigned long)SCB_CFSR,
           (unsigned long)SCB_HFSR, (unsigned long)SCB_MMFAR, (unsigned long)SCB_BFAR);
    if (t != NULL)
        printf("  thread stack %p..%p, saved sp %p\n", t->stack_lo,
               (void *)((uint8_t *)t->stack_lo + vt_thread_stack_size(t)), t->sp);
    fflush(stdout);
    board_exit(2);
}

/* Every fault vector: find the frame (PSP or MSP), report from MSP. */
void arch_fault_entry(void);
__attribute__((naked)) void arch_fault_entry(void)
{
    __asm volatile("tst lr, #4\n\t"
                   "ite eq\n\t"
                   "mrseq r0, msp\n\t"
                   "mrsne r0, psp\n\t"
                   "mov r1, lr\n\t"
                   "mrs r2, ipsr\n\t"
                   "b arch_fault_report\n\t");
}
