/* SPDX-License-Identifier: MIT */
/**
 * @file arch/cortex-m/port.c
 * @brief Cortex-M port glue: the initial frame and the fault reporter.
 */
#include <stdint.h>
#include <stdio.h>

#include "cortex_m.h"
#include "port.h"

void arch_thread_start(void);

#if defined(__ARM_FP) && !defined(__SOFTFP__)
#define FP_WORDS 16
#else
#define FP_WORDS 0
#endif

/* Word indexes in the switch frame (see the diagram in switch.S). */
#if defined(__ARM_ARCH_6M__)
#define FRAME_WORDS 9 /* r8-r11, r4-r7, lr */
#define R4_AT 4
#elif defined(__ARM_ARCH_8M_MAIN__)
#define FRAME_WORDS (10 + FP_WORDS) /* [s16-s31], psplim, r4-r11, lr */
#define R4_AT (FP_WORDS + 1)
#else
#define FRAME_WORDS (9 + FP_WORDS) /* [s16-s31], r4-r11, lr */
#define R4_AT FP_WORDS
#endif
_Static_assert(VT_ARCH_CONTEXT_BYTES == 4 * FRAME_WORDS,
               "VT_ARCH_CONTEXT_BYTES (arch_frame.h) disagrees with the switch frame");

void *arch_context_init(void *stack_top, vt_entry_t entry, void *arg)
{
    uint32_t *sp = (uint32_t *)stack_top - FRAME_WORDS;
    for (int i = 0; i < FRAME_WORDS; i++)
        sp[i] = 0; /* ARMv8-M: psplim 0 until arch_thread_limit() */
    sp[R4_AT + 0] = (uint32_t)entry;                     /* r4 */
    sp[R4_AT + 1] = (uint32_t)arg;                       /* r5 */
    sp[FRAME_WORDS - 1] = (uint32_t)arch_thread_start;   /* lr: Thumb bit set */
    return sp;
}

#if defined(__ARM_ARCH_8M_MAIN__)
/* Called by arch_thread_start before the entry: a stack overflow of this
 * thread now raises a UsageFault (STKOF). The limit stays 8 bytes above the
 * guard word so the software guard is intact when the fault is reported.
 * arch_switch keeps the limit in the thread's switch frame from now on. */
void arch_thread_limit(void);
void arch_thread_limit(void)
{
    vt_thread_t *t = vt_current_unsafe();
    uint32_t lim = t != NULL ? (uint32_t)t->stack_lo + 8u : 0u; /* NULL: kernel/shared.c's copier */
    __asm volatile("msr psplim, %0" ::"r"(lim));
}
#endif

#if defined(__ARM_ARCH_6M__)
/* Thumb-1 has ldm/stm for the low registers only: a plain word loop, off
 * the hot path (the swap, and the ARMv7-M and ARMv8-M copy, are in copy.S). */
void arch_stack_copy(void *dst, const void *src, size_t len)
{
    uint32_t *d = dst;
    const uint32_t *s = src;
    for (size_t n = len / 4u; n > 0; n--)
        *d++ = *s++;
}
#endif

/* From an interrupt handler: threads (and main after vt_run) run on PSP and
 * handlers on MSP, so the last exception taken from thread mode stacked the
 * thread's PC at PSP + 24, however deeply handlers nest since. */
uintptr_t arch_interrupted_pc(void)
{
    const uint32_t *psp;
    __asm volatile("mrs %0, psp" : "=r"(psp));
    return psp[EXC_FRAME_PC];
}

#if defined(VT_ARCH_MPU_GUARD_SIZE) && VT_CONFIG_MPU_GUARD
#define GUARD_REGION 7u
/* 32 bytes (2^5), no access (privileged included), never execute */
#define GUARD_RASR (MPU_RASR_XN | MPU_RASR_AP_NONE | MPU_RASR_SIZE(5) | MPU_RASR_ENABLE)
_Static_assert(VT_ARCH_MPU_GUARD_SIZE == 32, "GUARD_RASR encodes a 32-byte region");

void arch_stack_guard_set(uintptr_t base)
{
    MPU->RBAR = (uint32_t)base | MPU_RBAR_VALID | MPU_RBAR_REGION(GUARD_REGION);
    MPU->RASR = base != 0 ? GUARD_RASR : 0u;
    /* the default map everywhere else */
    MPU->CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __asm volatile("dsb\n\tisb" ::: "memory");
}

/* MemManage in the guard region of the running thread: its stack overflowed.
 * The MPU goes off first: the report reads the stack (frame, dump). */
static void mpu_guard_report(vt_thread_t *t, const uint32_t *frame)
{
    uint32_t cfsr = SCB->CFSR, addr;
    uintptr_t lo;
    MPU->CTRL = 0;
    __asm volatile("dsb\n\tisb" ::: "memory");
    if (t == NULL)
        return;
    lo = (uintptr_t)vt_stack_lo_unsafe(t); /* not the struct: it may be overwritten */
    /* a data access (address in MMFAR), or exception stacking hit the region */
    addr = (cfsr & SCB_CFSR_MMARVALID) ? SCB->MMFAR
           : (cfsr & SCB_CFSR_MSTKERR) ? (uint32_t)(uintptr_t)frame
                                          : 0u;
    if (addr >= lo && addr < lo + 4u + 2u * VT_ARCH_MPU_GUARD_SIZE) {
        printf("\nvthread: stack overflow in thread %s caught by the MPU guard at %08lx "
               "(pc %08lx)\n", vt_thread_name(t), (unsigned long)addr,
               (cfsr & SCB_CFSR_MSTKERR) ? 0ul : (unsigned long)frame[EXC_FRAME_PC]);
        vt_stack_overflow(t);
    }
}
#endif

/* Called on MSP by arch_fault_entry with the exception frame. */
void arch_fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t ipsr);
void arch_fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t ipsr)
{
    vt_thread_t *t = vt_stack_owner_unsafe();
#if defined(VT_ARCH_MPU_GUARD_SIZE) && VT_CONFIG_MPU_GUARD
    mpu_guard_report(t, frame);
#endif
#if defined(__ARM_ARCH_8M_MAIN__)
    if (SCB->CFSR & SCB_CFSR_STKOF) {
        /* the frame may be partly unstacked: report the thread and stop */
        printf("\nFAULT: stack limit (PSPLIM, UsageFault STKOF) in %s %s, sp %p\n",
               t ? "thread" : "context", t ? vt_thread_name(t) : "main/idle", (void *)frame);
        if (t != NULL && (exc_return & EXC_RETURN_SPSEL))
            vt_stack_overflow(t);
        fflush(stdout);
        board_exit(2);
    }
#endif
    printf("\nFAULT: exception %lu in %s %s (stack %s)\n", (unsigned long)(ipsr & IPSR_EXCEPTION),
           t ? "thread" : "context", t ? vt_thread_name(t) : "main/idle",
           (exc_return & EXC_RETURN_SPSEL) ? "PSP" : "MSP");
    printf("  r0=%08lx r1=%08lx r2=%08lx r3=%08lx r12=%08lx\n", (unsigned long)frame[0],
           (unsigned long)frame[1], (unsigned long)frame[2], (unsigned long)frame[3],
           (unsigned long)frame[4]);
    printf("  lr=%08lx pc=%08lx xpsr=%08lx\n", (unsigned long)frame[EXC_FRAME_LR],
           (unsigned long)frame[EXC_FRAME_PC], (unsigned long)frame[EXC_FRAME_XPSR]);
#if !defined(__ARM_ARCH_6M__) /* ARMv6-M has no fault status registers */
    printf("  CFSR=%08lx HFSR=%08lx MMFAR=%08lx BFAR=%08lx\n", (unsigned long)SCB->CFSR,
           (unsigned long)SCB->HFSR, (unsigned long)SCB->MMFAR, (unsigned long)SCB->BFAR);
#endif
    if (t != NULL)
        printf("  thread stack %p..%p, saved sp %p\n", vt_stack_lo_unsafe(t),
               (void *)((uint8_t *)vt_stack_lo_unsafe(t) + vt_thread_stack_size(t)), t->sp);
    vt_dump();
    board_exit(2);
}

/* Every fault vector: find the frame (PSP or MSP), report from MSP. */
void arch_fault_entry(void);
__attribute__((naked)) void arch_fault_entry(void)
{
#if defined(__ARM_ARCH_6M__)
    /* Thumb-1: no IT blocks, tst takes registers only */
    __asm volatile("movs r0, #4\n\t"
                   "mov r1, lr\n\t"
                   "tst r0, r1\n\t"
                   "beq 1f\n\t"
                   "mrs r0, psp\n\t"
                   "b 2f\n"
                   "1:\n\t"
                   "mrs r0, msp\n"
                   "2:\n\t"
                   "mrs r2, ipsr\n\t"
                   "bl arch_fault_report\n\t"); /* never returns; bl for its range */
#else
    __asm volatile("tst lr, #4\n\t"
                   "ite eq\n\t"
                   "mrseq r0, msp\n\t"
                   "mrsne r0, psp\n\t"
                   "mov r1, lr\n\t"
                   "mrs r2, ipsr\n\t"
                   "b arch_fault_report\n\t");
#endif
}
