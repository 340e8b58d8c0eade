/**
 * @file kernel/isr.c
 * @brief Work that interrupt handlers hand to thread context (vt/isr.h).
 *
 * A post counts the request in its vt_work_t and, when the count was zero,
 * appends the work to a FIFO; the kernel's service step (every scheduling
 * point, and a try form about to fail) takes the items off one by one and
 * calls each one's function with its count. The FIFO and the counts are
 * all that interrupts and threads share, each touched under a short
 * arch_irq_save() mask; an item is on the FIFO exactly while its count is
 * non-zero, so a post never needs to search it and is never lost.
 *
 * The kernel's own `_isr` calls are thin: they name their function here
 * (work_post), which is how a zeroed semaphore or event works without an
 * init call. This file knows nothing of them.
 */
#include "kernel.h"

void work_post(vt_work_t *w, vt_work_fn_t fn)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t c = w->count;
    if (c == 0) { /* not queued: append */
        w->fn = fn;
        w->next = NULL;
        if (vt_kernel.work_tail != NULL)
            vt_kernel.work_tail->next = w;
        else
            vt_kernel.work_head = w;
        vt_kernel.work_tail = w;
    }
    if (c != UINT32_MAX) /* saturate: a wrap to 0 would queue it twice */
        w->count = c + 1u;
    vt_kernel.pending = 1;
    arch_irq_restore(s);
}

void work_run(void)
{
    for (;;) {
        arch_irq_state_t s = arch_irq_save();
        vt_work_t *w = vt_kernel.work_head;
        vt_work_fn_t fn;
        uint32_t n;
        if (w == NULL) {
            arch_irq_restore(s);
            return;
        }
        vt_kernel.work_head = w->next;
        if (w->next == NULL)
            vt_kernel.work_tail = NULL;
        n = w->count;
        w->count = 0; /* from here a post queues it again */
        fn = w->fn;
        arch_irq_restore(s);
        fn(w, n);
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
