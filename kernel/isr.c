/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/isr.c
 * @brief Work that interrupt handlers hand to thread context (vt/isr.h).
 *
 * A post (work_post(), inline in kernel.h: the body of every `_isr` call)
 * counts the request in its vt_work_t and, when the count was zero, appends
 * the work to a FIFO; service(), at every scheduling point (and in a try
 * form about to fail), takes the FIFO and calls each item's function with
 * its count, then lets the timers run if the alarm fired. The FIFO and the counts are
 * all that interrupts and threads share, each touched under a short
 * arch_irq_save() mask; an item is on the FIFO exactly while its count is
 * non-zero, so a post never needs to search it and is never lost.
 *
 * The kernel's own `_isr` calls are thin: they name their function here
 * (work_post), which is how a zeroed semaphore or event works without an
 * init call. This file knows nothing of them.
 */
#include "kernel.h"

/* Run every posted item, in posting order. The whole FIFO is taken at
 * once, in the same masked section as the first item's count; each later
 * item's count is taken under the mask together with its link. A post
 * arriving meanwhile either adds to a count not yet taken (the item is
 * still on our list) or appends the item to the new FIFO (its count was
 * taken): never both, never neither. A function may post again, or apply
 * work itself through a try form (service() nests: it finds a new FIFO). */
static ALWAYS_INLINE void work_run(void)
{
    arch_irq_state_t s = arch_irq_save();
    vt_work_t *w = vt_kernel.work_head;
    vt_kernel.work_head = NULL;
    vt_kernel.work_tailp = &vt_kernel.work_head;
    for (;;) { /* masked here */
        vt_work_t *next = w->next;
        vt_work_fn_t fn = w->fn;
        uint32_t n = w->count;
        w->count = 0; /* from here a post appends it again */
        arch_irq_restore(s);
        fn(w, n);
        if ((w = next) == NULL)
            return;
        s = arch_irq_save();
    }
}

/* Every scheduling point comes here when vt_kernel.pending is set: posted
 * work first (it may make threads ready), then the timers if the alarm
 * fired; the clock is read only then. pending is cleared first: what an
 * interrupt records from here on sets it again and waits for the next
 * scheduling point. */
void service(void)
{
    vt_kernel.pending = 0;
    if (vt_kernel.work_head != NULL)
        work_run();
    if (vt_kernel.alarm) {
        vt_kernel.alarm = 0;
        timers_due(); /* timer.c */
    }
}

void vt_work_init(vt_work_t *w, vt_work_fn_t fn)
{
    ASSERT_THREAD_CONTEXT();
    w->next = NULL;
    w->fn = fn;
    w->count = 0;
}

void vt_work_post_isr(vt_work_t *w) { work_post(w, w->fn); }
