/* SPDX-License-Identifier: MIT */
/**
 * @file arch/cortex-m/offload.c
 * @brief Cortex-M hook of vt_offload's background context: its first
 * frame (the PendSV handler and arch_bg_kick() are in offload.S, whose
 * diagram shows the frame built here).
 */
#include <stdint.h>

#include "port.h"

#define SCB_SHPR3 (*(volatile uint32_t *)0xE000ED20) /* PendSV [23:16], SysTick [31:24] */
#define SHPR3_PENDSV_LOWEST (0xFFu << 16)            /* unimplemented low bits read 0 */

#define XPSR_THUMB (1u << 24)
/* back to thread mode on PSP, no FP state (bit 4) ; on ARMv8-M also
 * Secure, default callee stacking: the state the boards run in */
#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu

/* Words of the software part of the frame (offload.S): ARMv8-M adds psplim. */
#if defined(__ARM_ARCH_8M_MAIN__)
#define SW_WORDS 10
#define SW_EXC_RETURN 9
#else
#define SW_WORDS 9
#define SW_EXC_RETURN 8
#endif

static void bg_returned(void) { vt_panic("vt_offload's background context returned"); }

void *arch_bg_context_init(void *stack_lo, void *stack_top, void (*entry)(void))
{
    uint32_t *hw = (uint32_t *)((uintptr_t)stack_top & ~(uintptr_t)7) - 8;
    uint32_t *sw = hw - SW_WORDS;
    for (int i = 0; i < 8 + SW_WORDS; i++)
        sw[i] = 0;
    hw[5] = (uint32_t)(uintptr_t)bg_returned;          /* lr */
    hw[6] = (uint32_t)(uintptr_t)entry & ~1u;         /* pc: no Thumb bit in a frame */
    hw[7] = XPSR_THUMB;                               /* xPSR */
    sw[SW_EXC_RETURN] = EXC_RETURN_THREAD_PSP;
#if defined(__ARM_ARCH_8M_MAIN__)
    sw[0] = (uint32_t)(uintptr_t)stack_lo + 8u;       /* psplim: above the guard word */
#else
    (void)stack_lo;
#endif
    /* lowest priority: every interrupt preempts the switch, and it runs
     * only when they are done */
    SCB_SHPR3 |= SHPR3_PENDSV_LOWEST;
    return sw;
}
