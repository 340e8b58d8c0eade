/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/offload_cpu.c
 * @brief vt_offload()'s executor on one core (Cortex-M, RISC-V): one
 * background context on its own stack that runs the queued jobs in the
 * kernel's idle time, at the lowest priority. docs/offload.md.
 *
 *   kernel context (vt_run)                background context (bg_main)
 *   threads <-arch_switch-> idle loop      jobs, one at a time, bg_stack
 *                              |  offload_idle():  ^
 *                              +--- want, kick ----+   switch exception
 *                              ^                   |   (PendSV / machine
 *                              +--- preempted -----+    software interrupt)
 *                                 an interrupt gave the kernel work:
 *                                 vt_alarm_isr(), a `_isr` post -> kick
 *
 * Both directions go through the port's lowest-priority switch exception,
 * which saves every register an interrupt can interrupt (the full frame)
 * on the stack of the context it leaves and calls offload_switch() to pick
 * the frame to resume. The cooperative thread switch (arch_switch) never
 * takes this path. The exception is pended by arch_bg_kick():
 * - by the idle loop, when no thread is ready and the background has a job
 *   (offload_idle); the switch then happens only if no interrupt has given
 *   the kernel work meanwhile (vt_kernel.pending);
 * - by offload_kick_isr(), which the kernel calls wherever vt_kernel.pending is
 *   set: from an interrupt taken while the background runs, the exception
 *   follows the interrupt, so threads run before the job goes on;
 * - by the background itself when it has no job (bg_wait) or posts its
 *   job's completion (a `_isr` post: the same kick).
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* From the heap at the first submit: a program that links vt_offload but
 * never submits (a feature switched off by an option) keeps the RAM. */
static uint8_t *bg_stack;
#define BG_STACK_SIZE ((size_t)VT_CONFIG_OFFLOAD_STACK)

static struct {
    void *bg_sp;           /* the background's saved full frame (NULL: not made) */
    void *idle_sp;         /* the idle loop's, while the background runs */
    volatile uint8_t want; /* the idle loop asked for the background */
    uint8_t parked;        /* the background waits in bg_wait() for a job */
    uint8_t kicked;        /* kicked since it last resumed; at kick_us */
    uint32_t kick_us, preempt_us_max;
    uint32_t preemptions, resumes;
} cpu;

int bg_start(void)
{
    /* malloc aligns to 8; the frames want 16: take 16 more, round up */
    uint8_t *raw = malloc(BG_STACK_SIZE + 16u);
    if (raw == NULL)
        return VT_ENOMEM;
    bg_stack = (uint8_t *)(((uintptr_t)raw + 15u) & ~(uintptr_t)15u);
    if (VT_CONFIG_STACK_FILL)
        memset(bg_stack, STACK_FILL, BG_STACK_SIZE);
    *(uint32_t *)(void *)bg_stack = STACK_GUARD;
    /* a first frame that starts bg_main() at the first resume */
    cpu.bg_sp = arch_bg_context_init(bg_stack, bg_stack + BG_STACK_SIZE, bg_main);
    cpu.parked = 1; /* it has seen no job yet */
    return 0;
}

/* The idle loop reads the queue itself: there is nobody to wake. */
void bg_notify(void) {}

void bg_wait(void)
{
    /* nothing queued: back to the kernel, which resumes us when a job is;
     * the exception may come a few instructions late (a bus write on
     * RISC-V), so bg_main() just looks at the queue again */
    cpu.parked = 1;
    arch_bg_kick();
}

int offload_idle(void)
{
    if (cpu.bg_sp == NULL || (cpu.parked && !bg_queued()))
        return 0; /* nothing for the background: wait for an interrupt */
    cpu.parked = 0;
    cpu.want = 1;
    arch_bg_kick();
    /* the exception is taken within a few instructions; it clears `want`
     * whether it switched or found that the kernel has work. Waiting for it
     * here keeps the background out of the rest of the idle loop. */
    while (cpu.want) {
    }
    return 1;
}

void offload_kick_isr(void)
{
    if (vt_bg_active) {
        if (!cpu.kicked) { /* the first kick: from here to the switch is the delay */
            cpu.kicked = 1;
            cpu.kick_us = (uint32_t)board_clock_us();
        }
        arch_bg_kick();
    }
}

void *offload_switch(void *sp)
{
    if (vt_bg_active) {
        /* the background leaves: preempted, parked, or done with a job */
        if (*(const uint32_t *)(const void *)bg_stack != STACK_GUARD)
            vt_panic("vt_offload's background stack overflowed (VT_CONFIG_OFFLOAD_STACK)");
        if (offload_job_name() != NULL) {
            uint32_t d = (uint32_t)board_clock_us() - cpu.kick_us;
            cpu.preemptions++;
            if (cpu.kicked && d > cpu.preempt_us_max)
                cpu.preempt_us_max = d;
        }
        cpu.kicked = 0;
        cpu.bg_sp = sp;
        vt_bg_active = 0;
        return cpu.idle_sp;
    }
    if (!cpu.want) {
        /* nobody asked: the frame was saved on the running stack, which
         * must be the idle loop's (a thread's would have no room for it) */
        if (vt_kernel.in_thread)
            vt_panic("vt_offload's switch exception taken in a thread");
        return sp;
    }
    cpu.want = 0;
    if (vt_kernel.pending)
        return sp; /* an interrupt gave the kernel work meanwhile: stay */
    cpu.idle_sp = sp;
    vt_bg_active = 1;
    cpu.resumes++;
    return cpu.bg_sp;
}

void bg_stats(vt_offload_stats_t *s)
{
    const uint8_t *p = bg_stack + 4, *end = bg_stack + BG_STACK_SIZE;
    while (VT_CONFIG_STACK_FILL && p < end && *p == STACK_FILL)
        p++;
    s->preemptions = cpu.preemptions;
    s->preempt_us_max = cpu.preempt_us_max;
    s->resumes = cpu.resumes;
    s->stack_size = (uint16_t)BG_STACK_SIZE;
    s->stack_used = VT_CONFIG_STACK_FILL ? (uint16_t)(end - p) : 0;
}
