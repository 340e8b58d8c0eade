/* SPDX-License-Identifier: MIT */
/**
 * @file vt/pool.h
 * @brief Worker pool with a job queue, and task groups.
 *
 * A pool is the C counterpart of Python's `vthread.pool(N)`: N worker
 * threads take jobs from a bounded queue; vt_pool_submit() is `put`,
 * vt_pool_wait() is `wait`. VT_POOL_FN() is the counterpart of the
 * `@pool.threads(n)` decorator: it makes `name_submit(arg)` that queues a
 * call of `name(arg)` on the pool.
 *
 * A group is the counterpart of `asyncio.TaskGroup`: children spawned into
 * it run concurrently; vt_group_wait() waits for all of them; the first
 * child that exits with a non-zero code cancels the others and its code is
 * what vt_group_wait() returns.
 */
#ifndef VT_POOL_H
#define VT_POOL_H

#include "vt/sync.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A queued call: fn(arg); a non-zero return counts as a failed job. */
typedef struct vt_job {
    int (*fn)(void *arg);
    void *arg;
} vt_job_t;

typedef struct vt_pool {
    vt_chan_t jobs;
    vt_thread_t *workers;
    uint16_t nworkers;
    uint8_t shut;
    uint32_t pending;    /**< submitted and not finished */
    uint32_t done;       /**< finished jobs */
    uint32_t failed;     /**< finished jobs that returned non-zero */
    vt_waitq_t idle;     /**< threads in vt_pool_wait() */
} vt_pool_t;

/**
 * @brief Start a pool of @p nworkers threads using caller storage.
 * @param workers  @p nworkers thread control blocks
 * @param stacks   @p nworkers stacks of @p stack_size bytes, back to back
 * @param queue    room for @p qlen queued jobs
 * @return 0 or VT_EINVAL
 */
int vt_pool_init(vt_pool_t *p, const char *name, vt_thread_t *workers, unsigned nworkers,
                 void *stacks, size_t stack_size, vt_job_t *queue, unsigned qlen);

/** @brief Queue fn(arg), waiting at most @p timeout while the queue is full.
 *  @return 0, VT_ECLOSED (shut down), VT_ETIMEDOUT, VT_EAGAIN, VT_ECANCELED, VT_EINVAL */
int vt_pool_submit_timeout(vt_pool_t *p, int (*fn)(void *), void *arg, vt_tick_t timeout);
static inline int vt_pool_submit(vt_pool_t *p, int (*fn)(void *), void *arg)
{
    return vt_pool_submit_timeout(p, fn, arg, VT_FOREVER);
}
static inline int vt_pool_trysubmit(vt_pool_t *p, int (*fn)(void *), void *arg)
{
    return vt_pool_submit_timeout(p, fn, arg, VT_NOWAIT);
}

/** @brief Wait until every job submitted so far has finished.
 *  @return 0, VT_ETIMEDOUT, VT_EAGAIN, VT_ECANCELED, VT_EINVAL */
int vt_pool_wait(vt_pool_t *p, vt_tick_t timeout);

/** @brief Refuse new jobs, let the workers finish the queued ones, join them.
 *  @return number of failed jobs over the pool's life (>= 0) or VT_EINVAL */
int vt_pool_shutdown(vt_pool_t *p);

/**
 * Static storage for a pool: `VT_POOL_STORAGE(web, 4, 16, 1024);` then
 * `VT_POOL_START(web, "web")` at run time.
 */
#define VT_POOL_STORAGE(var, nworkers, qlen, stack_size)                                     \
    static vt_pool_t var;                                                                    \
    static vt_thread_t var##_workers[nworkers];                                              \
    static uint8_t var##_stacks[nworkers][VT_STACK_SIZE(stack_size)]                         \
        __attribute__((aligned(16)));                                                        \
    static vt_job_t var##_queue[qlen]
#define VT_POOL_START(var, name)                                                             \
    vt_pool_init(&var, name, var##_workers, sizeof var##_workers / sizeof var##_workers[0],  \
                 var##_stacks, sizeof var##_stacks[0], var##_queue,                          \
                 sizeof var##_queue / sizeof var##_queue[0])

/** Declare `int fn_submit(void *arg)` that queues `fn(arg)` on @p pool_ptr
 *  (the `@pool.threads(n)` decorator). */
#define VT_POOL_FN(pool_ptr, fn)                                                             \
    static inline int fn##_submit(void *arg) { return vt_pool_submit((pool_ptr), fn, arg); }

/* ------------------------------------------------------------------ group */

typedef struct vt_group vt_group_t;

/** Storage for one child of a group: a thread plus its group bookkeeping. */
typedef struct vt_group_child {
    vt_thread_t thread;
    vt_group_t *group;
    struct vt_group_child *next;
    vt_entry_t entry;
    void *arg;
} vt_group_child_t;

struct vt_group {
    vt_group_child_t *children;  /**< running children */
    uint32_t running;
    int first_error;             /**< first non-zero exit code */
    vt_waitq_t waiter;
};

/** @brief Make @p g an empty group. */
int vt_group_init(vt_group_t *g);
/** @brief Start a child of @p g running entry(arg) in caller storage.
 *  @return 0, VT_ECANCELED (the group already failed), VT_EINVAL */
int vt_group_spawn(vt_group_t *g, vt_group_child_t *c, void *stack, size_t stack_size,
                   const char *name, vt_entry_t entry, void *arg);
/** @brief Cancel every running child. */
void vt_group_cancel(vt_group_t *g);
/**
 * @brief Wait until every child has exited.
 * @return the first non-zero exit code of a child, 0 if all returned 0,
 *         VT_ETIMEDOUT (children keep running), VT_ECANCELED (the waiter was
 *         cancelled: the children are cancelled too), VT_EINVAL
 */
int vt_group_wait(vt_group_t *g, vt_tick_t timeout);

#ifdef __cplusplus
}
#endif
#endif /* VT_POOL_H */
