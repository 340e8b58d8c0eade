/* SPDX-License-Identifier: MIT */
/**
 * @file vt/offload.h
 * @brief Offload CPU-bound work to a background context: the calling
 * vthread blocks until the function returns, every other vthread keeps
 * running (the counterpart of Python's `asyncio.to_thread`). See
 * docs/offload.md.
 *
 * Where the function runs:
 * - Cortex-M and RISC-V (one core): in one background context on its own
 *   stack, at the lowest priority. It runs only when no vthread is ready
 *   (it takes the kernel's idle time) and is preempted as soon as an
 *   interrupt gives the kernel work (a `_isr` post, a timer due, a NIC
 *   interrupt): the kernel and its threads run, then the function resumes
 *   where it was. Jobs run one at a time, in submission order.
 * - Host port: on VT_CONFIG_OFFLOAD_THREADS OS threads (pthreads), in
 *   parallel with the vthreads.
 *
 * The rules for an offloaded function (like an interrupt handler's): it
 * may call only the `_isr` functions of vthread (vt_sem_post_isr,
 * vt_event_set_isr) and vt_now_ms()/vt_now_us(), plus vt_offload_cancelled();
 * every other vthread call is a bug, and debug builds (VT_CONFIG_DEBUG)
 * stop it with a report naming the call and the job. Data it shares with
 * threads needs the same care as data shared with an interrupt handler: on
 * one core it may be preempted at any instruction; on the host it runs in
 * parallel. On the boards it must not use the C library's heap or stdio
 * (newlib and picolibc are built without locks here).
 */
#ifndef VT_OFFLOAD_H
#define VT_OFFLOAD_H

#include "vt/sync.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An offloaded function; its return value is the job's result. */
typedef int (*vt_offload_fn_t)(void *arg);

/**
 * A job: caller storage for vt_offload_submit() (fields private), zeroed
 * before its first use (static, or `= {0}`). It is the kernel's from the
 * submit until vt_offload_wait() returns 0, and must not lie on a shared
 * run stack (debug builds check).
 */
typedef struct vt_offload {
    struct vt_offload *next;  /**< the queue */
    vt_offload_fn_t fn;
    void *arg;
    const char *name;         /**< for reports, may be NULL */
    int result;
    volatile uint8_t state;   /**< free, queued, running, done (kernel/offload.c) */
    volatile uint8_t cancel;  /**< vt_offload_cancel() asked a running job to stop */
    uint8_t pooled;           /**< storage from vt_offload()'s slots */
    uint8_t waiting;          /**< a thread is in vt_offload_wait() */
    vt_sem_t done;            /**< posted (from the background) when it is over */
} vt_offload_t;

/**
 * @brief Queue @p fn(@p arg) for the background, waiting at most @p timeout
 * while VT_CONFIG_OFFLOAD_QUEUE jobs are already submitted and not yet
 * collected (by vt_offload_wait() returning 0, or inside vt_offload()).
 * @param job  storage, not in use (never submitted, or its wait returned 0)
 * @param name shown in reports (debug panics, dumps); may be NULL
 * @return 0; VT_ETIMEDOUT, VT_EAGAIN (timeout 0): the queue stayed full;
 *         VT_ECANCELED; VT_EINVAL (NULL, @p job in use); VT_EPERM (not
 *         called from a vthread); VT_ENOMEM (the first submit found no heap
 *         for the background's stack, or on the host no worker thread)
 */
int vt_offload_submit(vt_offload_t *job, const char *name, vt_offload_fn_t fn, void *arg,
                      vt_tick_t timeout);

/**
 * @brief Wait at most @p timeout until @p job is over.
 * @param result receives fn's return value, or VT_ECANCELED for a job
 *        cancelled before it started; may be NULL
 * @return 0: the job is over and its storage free again; VT_ETIMEDOUT,
 *         VT_EAGAIN (timeout 0), VT_ECANCELED (the waiting thread was
 *         cancelled): the job is still queued or running and keeps its
 *         storage (wait again, or cancel it); VT_EINVAL (not submitted);
 *         VT_EBUSY (another thread waits for it)
 */
int vt_offload_wait(vt_offload_t *job, int *result, vt_tick_t timeout);

/**
 * @brief Cancel @p job. A queued job is removed and never runs: it is over
 * at once, and vt_offload_wait() collects it with result VT_ECANCELED. A
 * running job is asked to stop: vt_offload_cancelled() becomes true in it;
 * it is over when the function returns.
 * @return 0 (removed), VT_EBUSY (running: asked to stop), VT_EINVAL (not
 *         submitted, or already over)
 */
int vt_offload_cancel(vt_offload_t *job);

/**
 * @brief Run @p fn(@p arg) in the background and wait for its result: the
 * submit and the wait in one call, with the job's storage from
 * VT_CONFIG_OFFLOAD_QUEUE internal slots. The call returns only once the
 * function no longer runs, so @p arg may point to the caller's locals: on
 * timeout or cancellation a queued job is removed, a running one is asked
 * to stop (vt_offload_cancelled()) and waited for.
 * @param result receives fn's return value (when the call returns 0)
 * @param timeout for the whole call (queue room and run)
 * @return 0; VT_ETIMEDOUT; VT_EAGAIN (timeout 0 and no room); VT_ECANCELED;
 *         VT_EINVAL; VT_EPERM (not a vthread); VT_ENOMEM (as vt_offload_submit())
 */
int vt_offload(const char *name, vt_offload_fn_t fn, void *arg, int *result, vt_tick_t timeout);

/**
 * @brief From inside an offloaded function: has its job been cancelled (or
 * has vt_offload() timed out)? A long function checks it now and then and
 * returns early. @return 1 or 0 (0 outside an offloaded function)
 */
int vt_offload_cancelled(void);

/** Figures of the background machinery (vt_offload_stats()). */
typedef struct {
    uint32_t submitted;    /**< jobs queued since boot */
    uint32_t completed;    /**< jobs whose function returned */
    uint32_t cancelled;    /**< jobs removed before they ran */
    uint32_t preemptions;  /**< one core: times the kernel took the CPU back from a job */
    uint32_t preempt_us_max; /**< one core: longest from an interrupt's kick to the kernel
                                  having the CPU back, microseconds (resolution: 1) */
    uint32_t resumes;      /**< one core: times the idle loop resumed the background */
    uint16_t queued;       /**< submitted and not yet collected, now */
    uint16_t stack_used;   /**< one core: background stack high-water mark, bytes */
    uint16_t stack_size;   /**< one core: its size */
} vt_offload_stats_t;

/** @brief Copy the figures into @p s. */
void vt_offload_stats(vt_offload_stats_t *s);

#ifdef __cplusplus
}
#endif
#endif /* VT_OFFLOAD_H */
