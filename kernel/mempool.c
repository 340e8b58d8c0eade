/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/mempool.c
 * @brief Fixed-block memory pool (vt/mempool.h).
 *
 * The free blocks form a singly linked list through their first word, so
 * the pool needs no memory besides its blocks and its header, and
 * alloc and free are a few instructions each. A block freed while threads
 * wait goes straight to the longest waiter (handed over like a semaphore
 * unit: a thread that runs in between cannot take it); the waiter finds it
 * in its wait-object field, which is free once it has left the queue.
 * Interrupt handlers push freed blocks on a list of their own under a short
 * mask; the pool's interrupt work moves them over at the next scheduling
 * point.
 */
#include <string.h>

#include "kernel.h"

int vt_mempool_init(vt_mempool_t *p, void *mem, size_t block_size, size_t nblocks)
{
    size_t bs = VT_MEMPOOL_BLOCK(block_size);
    uint8_t *b;

    ASSERT_THREAD_CONTEXT();
    if (p == NULL || mem == NULL || block_size == 0 || nblocks == 0 ||
        ((uintptr_t)mem & (sizeof(void *) - 1u)) != 0 || bs > UINT32_MAX ||
        nblocks > UINT32_MAX / bs)
        return VT_EINVAL;
    memset(p, 0, sizeof *p);
    p->base = mem;
    p->block_size = (uint32_t)bs;
    p->nblocks = (uint32_t)nblocks;
    /* the free list in address order: the first alloc gets the first block */
    for (size_t i = nblocks; i > 0; i--) {
        b = p->base + (i - 1u) * bs;
        *(void **)b = p->free;
        p->free = b;
    }
    p->nfree = p->min_free = (uint32_t)nblocks;
    return 0;
}

/* Is @p blk the start of one of @p p's blocks? */
static int owns(const vt_mempool_t *p, const void *blk)
{
    const uint8_t *b = blk;
    return p != NULL && p->base != NULL && b >= p->base &&
           b < p->base + (size_t)p->nblocks * p->block_size &&
           (size_t)(b - p->base) % p->block_size == 0;
}

static void *take(vt_mempool_t *p)
{
    void *b = p->free;
    p->free = *(void **)b;
    if (--p->nfree < p->min_free)
        p->min_free = p->nfree;
    return b;
}

/* A block comes back: to the longest waiter, or to the free list. */
static void give(vt_mempool_t *p, void *blk)
{
    vt_thread_t *t = p->q.head != NULL ? wq_pop(&p->q) : NULL;
    if (t != NULL) {
        t->w.wait_obj = blk; /* off the queue: the field carries the block */
        wake(t, 0);
        return;
    }
    *(void **)blk = p->free;
    p->free = blk;
    p->nfree++;
}

static int __attribute__((noinline)) alloc_wait(vt_mempool_t *p, void **out, vt_tick_t timeout)
{
    vt_deadline_t d = vt_deadline_in(timeout);
    for (;;) {
        int rc;
        if (p->free != NULL) {
            *out = take(p);
            return 0;
        }
        rc = block_until(&p->q, S_MEMPOOL, &p->q, &d);
        if (rc == 0) { /* woken by give(): the block was handed to us */
            *out = vt_kernel.current->w.wait_obj;
            return 0;
        }
        if (rc != WAIT_RECHECK) {
            *out = NULL;
            return rc;
        }
    }
}

int vt_mempool_alloc(vt_mempool_t *p, void **out, vt_tick_t timeout)
{
    ASSERT_THREAD_CONTEXT();
    if (p == NULL || out == NULL || p->base == NULL) {
        if (out != NULL)
            *out = NULL;
        return VT_EINVAL;
    }
    SHARED_CHECK_PTR(p, sizeof *p);
    if (p->free != NULL) {
        *out = take(p);
        return 0;
    }
    return alloc_wait(p, out, timeout);
}

/* Debug builds: is @p blk free already (on either list)? O(free blocks). */
static int already_free(const vt_mempool_t *p, const void *blk)
{
    for (const void *b = p->free; b != NULL; b = *(void *const *)b)
        if (b == blk)
            return 1;
    for (const void *b = p->isr_free; b != NULL; b = *(void *const *)b)
        if (b == blk)
            return 1;
    return 0;
}

int vt_mempool_free(vt_mempool_t *p, void *blk)
{
    ASSERT_THREAD_CONTEXT();
    if (!owns(p, blk))
        return VT_EINVAL;
    if (VT_CONFIG_DEBUG && already_free(p, blk))
        return VT_EINVAL; /* a double free would corrupt the list */
    give(p, blk);
    return 0;
}

/* Blocks freed by interrupts, applied at a scheduling point. */
static void mempool_isr_apply(vt_work_t *w, uint32_t n)
{
    vt_mempool_t *p = (vt_mempool_t *)(void *)((char *)w - offsetof(vt_mempool_t, isr));
    arch_irq_state_t s = arch_irq_save();
    void *b = p->isr_free;
    p->isr_free = NULL;
    arch_irq_restore(s);
    (void)n; /* the list holds every block freed since the last run */
    while (b != NULL) {
        void *next = *(void **)b;
        give(p, b);
        b = next;
    }
}

int vt_mempool_free_isr(vt_mempool_t *p, void *blk)
{
    arch_irq_state_t s;
    if (!owns(p, blk))
        return VT_EINVAL;
    s = arch_irq_save();
    *(void **)blk = p->isr_free;
    p->isr_free = blk;
    work_post(&p->isr, mempool_isr_apply);
    arch_irq_restore(s);
    return 0;
}
