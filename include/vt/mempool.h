/* SPDX-License-Identifier: MIT */
/**
 * @file vt/mempool.h
 * @brief Fixed-block memory pool: blocks of one size from caller-provided
 * storage, for buffers and messages. Allocation and free are O(1) (a free
 * list threaded through the free blocks), a pool never fragments (every
 * block fits every request), and a thread may wait, with a timeout, for a
 * block to be freed. Interrupt handlers give blocks back with
 * vt_mempool_free_isr(); a try allocation sees those at once.
 *
 * @code
 * VT_MEMPOOL_DEFINE(msgs, sizeof(struct msg), 32);   // 32 blocks
 * ...
 * vt_mempool_init(&msgs, msgs_storage, sizeof(struct msg), 32);
 * struct msg *m;
 * if (vt_mempool_alloc(&msgs, (void **)&m, 100) == 0) {  // wait up to 100 ms
 *     ...
 *     vt_mempool_free(&msgs, m);
 * }
 * @endcode
 */
#ifndef VT_MEMPOOL_H
#define VT_MEMPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "vt/sync.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A pool of fixed-size blocks. Fields private. */
typedef struct vt_mempool {
    vt_waitq_t q;              /**< threads waiting for a block */
    void *free;                /**< free list (the first word of each free block) */
    void *volatile isr_free;   /**< blocks freed by interrupts, not yet applied */
    uint8_t *base;             /**< first block */
    uint32_t block_size;       /**< bytes per block (rounded to pointer alignment) */
    uint32_t nblocks;
    uint32_t nfree;            /**< blocks on the free list */
    uint32_t min_free;         /**< fewest free blocks seen (sizing aid) */
    vt_work_t isr;             /**< applies isr_free at a scheduling point */
} vt_mempool_t;

/** Block size as the pool stores it: at least a pointer, a multiple of the
 *  pointer's size (every block is aligned for a pointer). */
#define VT_MEMPOOL_BLOCK(size) \
    (((size_t)(size) < sizeof(void *) ? sizeof(void *) : (size_t)(size) + sizeof(void *) - 1u) & \
     ~(sizeof(void *) - 1u))

/** Static storage for a pool: `VT_MEMPOOL_DEFINE(name, size, n)` declares
 *  `static vt_mempool_t name` and `name_storage` for @p n blocks of @p size
 *  bytes, 8-byte aligned; then vt_mempool_init(&name, name_storage, size, n). */
#define VT_MEMPOOL_DEFINE(name, size, n)                                                 \
    static vt_mempool_t name;                                                            \
    static uint8_t name##_storage[VT_MEMPOOL_BLOCK(size) * (n)] __attribute__((aligned(8)))

/**
 * @brief Make @p mem (@p nblocks blocks of @p block_size bytes, aligned for a
 * pointer; VT_MEMPOOL_BLOCK(block_size) bytes per block) a pool with every
 * block free.
 * @return 0, or VT_EINVAL (NULL, misaligned, zero sizes, or a live pool
 *         with waiters)
 */
int vt_mempool_init(vt_mempool_t *p, void *mem, size_t block_size, size_t nblocks);

/**
 * @brief Take a block, waiting at most @p timeout ms for one to be freed
 * (FIFO among waiters). The block's contents are undefined.
 * @param out receives the block (NULL on failure)
 * @return 0, VT_ETIMEDOUT, VT_EAGAIN (VT_NOWAIT and none free), VT_ECANCELED,
 *         VT_EINVAL
 */
int vt_mempool_alloc(vt_mempool_t *p, void **out, vt_tick_t timeout);
static inline int vt_mempool_tryalloc(vt_mempool_t *p, void **out)
{
    return vt_mempool_alloc(p, out, VT_NOWAIT);
}

/**
 * @brief Give block @p blk back (wakes the longest waiter).
 * @return 0, or VT_EINVAL when @p blk is not a block of this pool (outside
 *         it, or not at a block boundary) or, in debug builds, is already free
 */
int vt_mempool_free(vt_mempool_t *p, void *blk);

/**
 * @brief vt_mempool_free() for interrupt handlers: the block is queued and
 * reaches the free list (and a waiter) at the next scheduling point.
 * @return 0, or VT_EINVAL for a pointer that is not a block of this pool
 */
int vt_mempool_free_isr(vt_mempool_t *p, void *blk);

/** @brief Blocks free now (those freed by interrupts and not yet applied
 *  excluded). */
static inline size_t vt_mempool_free_count(const vt_mempool_t *p) { return p->nfree; }

/** @brief The fewest blocks that were ever free at once since init: how
 *  close the pool came to running out. */
static inline size_t vt_mempool_min_free(const vt_mempool_t *p) { return p->min_free; }

#ifdef __cplusplus
}
#endif
#endif /* VT_MEMPOOL_H */
