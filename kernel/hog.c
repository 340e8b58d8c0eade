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
 * HOG_PERIOD_MS, a quarter of the budget). The report says what to do
 * about it: computation goes to vt_offload(). A thread that does yield but
 * is found running at every tick for 8 budgets is CPU-bound work too, and
 * is named once as an offload candidate. Diagnostics: linked only when the
 * board's hog timer refers to vt_hog_isr().
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
    vt_thread_t *busy;          /* the thread found running at every tick since... */
    vt_tick_t busy_since;       /* ...this one */
    uint8_t busy_reported;
} hog;

/* A thread found running at every tick for this long is CPU-bound even if
 * it yields (vt_slice_yield): an offload candidate. */
#define BUSY_MS (8u * hog_budget)

/* The same thread at every tick: report it once as an offload candidate.
 * A thread that does not even yield gets the hog report instead. */
static void busy_check(vt_thread_t *t, vt_tick_t now)
{
    if (t != hog.busy) {
        hog.busy = t;
        hog.busy_since = now;
        hog.busy_reported = 0;
        return;
    }
    if (t == NULL || hog.busy_reported || hog.reported || now - hog.busy_since < BUSY_MS)
        return;
    hog.busy_reported = 1;
    printf("vthread: offload candidate: thread %s ran at every check for %lu+ ms, "
           "yielding but never waiting: CPU-bound work for vt_offload() (docs/offload.md)\n",
           vt_thread_name(t), (unsigned long)(now - hog.busy_since));
    fflush(stdout);
}

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
    busy_check(t, now);
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
           "(budget %u ms), interrupted at pc 0x%08lx\n"
           "  no blocking call, no yield: computation (or a busy-waiting vendor call) "
           "belongs in vt_offload(), polling in a wait (docs/offload.md)\n",
           vt_thread_name(t), (unsigned long)ran, (unsigned)VT_CONFIG_HOG_MS,
           (unsigned long)arch_interrupted_pc());
    if (VT_CONFIG_HOG_ACTION == VT_HOG_ABORT) {
        vt_dump();
        fflush(stdout);
        board_exit(3);
    }
    fflush(stdout);
}
