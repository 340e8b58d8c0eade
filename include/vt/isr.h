/* SPDX-License-Identifier: MIT */
/**
 * @file vt/isr.h
 * @brief Work that interrupt handlers hand to thread context: the mechanism
 * behind every `_isr` call (vt_sem_post_isr, vt_event_set_isr,
 * vt_mempool_free_isr), open to applications and to other interrupt-like
 * contexts (a background context that completes jobs, a signal handler).
 *
 * Interrupt handlers never touch the kernel's lists. A post only counts the
 * request in its vt_work_t and, the first time, appends the work to a FIFO
 * that the kernel empties at its next scheduling point (a blocking call, a
 * yield, the idle loop; also before a try form reports VT_EAGAIN). There the
 * work's function runs in thread context with the number of posts since it
 * last ran, so no post is lost however many arrive in between (the count is
 * 32 bits; posts beyond 2^32 - 1 pending ones saturate). The only thing an
 * interrupt and the kernel share is that FIFO and the counts, each touched
 * under a short arch_irq_save() mask.
 *
 * From the interrupt to the woken thread running: the post (a masked
 * append), then at the scheduling point the function (for a semaphore: the
 * waiting thread made ready) and the switch. When the CPU was idle, the
 * idle loop in vt_run() is that scheduling point.
 */
#ifndef VT_ISR_H
#define VT_ISR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vt_work vt_work_t;

/** Runs in thread context (the caller's, at a scheduling point) with the
 *  number of posts @p n (>= 1) since the last run. It may call any
 *  non-blocking kernel function (post, set, wake, try forms); it must not
 *  block. */
typedef void (*vt_work_fn_t)(vt_work_t *w, uint32_t n);

/** Work posted from interrupt handlers. Caller-provided storage; all-zero
 *  before vt_work_init(). Fields private. */
struct vt_work {
    struct vt_work *next;     /**< the kernel's FIFO of posted work */
    vt_work_fn_t fn;          /**< what applies it in thread context */
    volatile uint32_t count;  /**< posts not yet applied; queued while non-zero */
};

/** @brief Make @p w run @p fn when posted. Thread context, while @p w is not
 *  posted. */
void vt_work_init(vt_work_t *w, vt_work_fn_t fn);

/**
 * @brief Post @p w: fn(w, n) runs in thread context at the next scheduling
 * point. Callable from interrupt handlers (any priority that
 * arch_irq_save() masks), from threads and from main; a handful of
 * instructions under a short interrupt mask; never blocks, never fails.
 */
void vt_work_post_isr(vt_work_t *w);

/** @brief Posts of @p w not yet applied (0 when none is pending). */
static inline uint32_t vt_work_pending(const vt_work_t *w) { return w->count; }

#ifdef __cplusplus
}
#endif
#endif /* VT_ISR_H */
