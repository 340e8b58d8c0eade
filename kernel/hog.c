/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/hog.c
 * @brief CPU-hog detector (VT_CONFIG_HOG_MS): a periodic board interrupt
 * notices a thread that has not reached a scheduling point for longer than
 * the budget and reports it with the interrupted PC.
 *
 * Nothing is added to the yield path: the kernel already counts switches
 * (vt_kernel.switches; vt_kernel.passes counts yields with nobody else ready, only in hog
 * builds). The interrupt compares the counters with what it saw last time;
 * unchanged counters and the same running thread mean no scheduling point
 * since then. The run is timed from the first tick that saw it, so the
 * figure reported is a lower bound (short by at most one period,
 * HOG_PERIOD_MS, a quarter of the budget). Diagnostics: linked only when the board's hog timer
 * refers to vt_hog_isr().
 */
#include <stdio.h>

#include "kernel.h"

/* the budget as an object, not a literal: with the detector off (0) a
 * literal comparison draws "always false" warnings in code never called */
static const uint32_t hog_budget = VT_CONFIG_HOG_MS;

static struct {
    uint32_t switches, passes;  /* counters at the start of this run */
    vt_thread_t *thread;        /* the thread running then, or NULL (idle) */
    vt_tick_t since;            /* first tick that saw this run */
    uint8_t reported;           /* warned in this episode */
} hog;

__attribute__((weak)) uint32_t board_hog_clock_ms(void)
{
    return board_clock_ms();
}

void vt_hog_isr(void)
{
    vt_tick_t now = board_hog_clock_ms();
    vt_thread_t *t = vt_kernel.in_thread ? vt_kernel.current : NULL;
    uint32_t ran;

    if (VT_CONFIG_DEBUG)
        stack_check_isr(); /* the hog may be overflowing its stack too */
    if (t == NULL || t != hog.thread || vt_kernel.switches != hog.switches || vt_kernel.passes != hog.passes) {
        /* a scheduling point since the last tick: a new run begins */
        hog.thread = t;
        hog.switches = vt_kernel.switches;
        hog.passes = vt_kernel.passes;
        hog.since = now;
        hog.reported = 0;
        return;
    }
    ran = now - hog.since; /* it began before `since`: a lower bound */
    if (hog.reported || ran < hog_budget)
        return;
    hog.reported = 1;
    /* printed from the interrupt on purpose: the hog may never yield */
    printf("vthread: CPU hog: thread %s ran %lu+ ms without a scheduling point "
           "(budget %u ms), interrupted at pc 0x%08lx\n",
           vt_thread_name(t), (unsigned long)ran, (unsigned)VT_CONFIG_HOG_MS,
           (unsigned long)arch_interrupted_pc());
    if (VT_CONFIG_HOG_ACTION == VT_HOG_ABORT) {
        vt_dump();
        fflush(stdout);
        board_exit(3);
    }
    fflush(stdout);
}
