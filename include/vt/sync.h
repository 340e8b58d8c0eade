/* SPDX-License-Identifier: MIT */
/**
 * @file vt/sync.h
 * @brief Mutex, counting semaphore, event, condition variable and channel.
 *
 * Every blocking call takes a timeout in milliseconds: VT_FOREVER waits
 * without limit, VT_NOWAIT (0) makes it a try that returns VT_EAGAIN instead
 * of blocking. Short forms without the timeout (vt_sem_wait, ...) wait
 * forever; `try` forms do not wait. A blocked call returns VT_ECANCELED when
 * its thread is cancelled.
 *
 * Objects that are all-zero are valid and empty (a zeroed mutex is unlocked,
 * a zeroed semaphore counts 0), so static objects need no init call; a
 * channel needs vt_chan_init() for its buffer. A destroyed object makes
 * every later call return VT_EINVAL, and destroying it wakes its waiters
 * with VT_EINVAL.
 *
 * Only the calls whose names end in `_isr` may be called from interrupt
 * handlers. They never touch kernel lists: they record the request, and
 * the kernel applies it at the next scheduling point (vt/isr.h). Try forms
 * apply requests still pending before they report VT_EAGAIN, so a thread
 * that polls sees a post made from an interrupt.
 */
#ifndef VT_SYNC_H
#define VT_SYNC_H

#include "vt/isr.h"
#include "vt/thread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A queue of blocked threads (FIFO). Zero is an empty queue. */
typedef struct vt_waitq {
    vt_thread_t *head;
} vt_waitq_t;

/**
 * @brief Block the calling thread on @p q until a vt_waitq_wake_*() call or
 * until the deadline @p d passes: the one blocking helper for blocking calls
 * built outside the kernel (net/). Check the condition, wait, check again;
 * one deadline made at the start (vt_deadline_in()) keeps the whole loop to
 * its timeout, and the helper itself says when it has passed:
 * @code
 * vt_deadline_t d = vt_deadline_in(timeout);
 * while (!cond) {
 *     int rc = vt_waitq_wait_until(&q, &d);
 *     if (rc != 0)
 *         return rc;   // VT_ETIMEDOUT, VT_EAGAIN, VT_ECANCELED, an error from the waker
 * }
 * @endcode
 * A deadline that has passed (or VT_NOWAIT's) does not block: the call
 * first applies interrupt work still pending and returns 0 if there was
 * some (check again), else VT_ETIMEDOUT (VT_EAGAIN for VT_NOWAIT's).
 * @return 0 or the code the waker passed; VT_ETIMEDOUT; VT_EAGAIN;
 *         VT_ECANCELED (cancelled, also delivered by a try); VT_EINVAL
 *         (NULL or destroyed queue); VT_EPERM (a blocking wait outside a vthread)
 */
int vt_waitq_wait_until(vt_waitq_t *q, const vt_deadline_t *d);

/**
 * @brief vt_waitq_wait_until() with a relative timeout, for a single wait
 * (VT_NOWAIT: a try, VT_EAGAIN; a timeout that expires: VT_ETIMEDOUT).
 */
int vt_waitq_wait(vt_waitq_t *q, vt_tick_t timeout);

/**
 * @brief Optional: the code that blocks threads with vt_waitq_wait() may
 * define this (net/ does) so the thread dump says what such a thread waits
 * for ("tcp-read 10.0.2.2:40712") instead of "wait <address>". Write it
 * into @p buf and return its length, or return 0 if @p q is not yours.
 * Called from vt_dump(), so possibly from an interrupt or a fault: read
 * only, no locks, no allocation.
 */
int vt_waitq_describe(const vt_waitq_t *q, char *buf, size_t len);
/** @brief Wake the longest waiter of @p q; its wait returns @p code.
 *  @return 1 if a thread was woken, else 0 */
int vt_waitq_wake_one(vt_waitq_t *q, int code);
/** @brief Wake every waiter of @p q with @p code. */
void vt_waitq_wake_all(vt_waitq_t *q, int code);

/* ------------------------------------------------------------------ mutex */

/** Mutual exclusion with an owner. Not recursive. */
typedef struct vt_mutex {
    vt_waitq_t q;
    vt_thread_t *owner;
} vt_mutex_t;

/** @brief Make @p m an unlocked mutex. @return 0 or VT_EINVAL */
int vt_mutex_init(vt_mutex_t *m);
/** @brief Destroy @p m. @return 0, VT_EBUSY (locked), VT_EINVAL */
int vt_mutex_destroy(vt_mutex_t *m);
/**
 * @brief Lock @p m, waiting at most @p timeout ms.
 * @return 0, VT_ETIMEDOUT, VT_EAGAIN (timeout 0), VT_ECANCELED,
 *         VT_EDEADLK (caller owns it), VT_EINVAL
 */
int vt_mutex_lock_timeout(vt_mutex_t *m, vt_tick_t timeout);
/**
 * @brief Lock @p m, waiting until the deadline @p d at most (vt_deadline_in):
 * for a call that takes the mutex as one step of several under one timeout.
 * @return 0, VT_ETIMEDOUT (the deadline passed), VT_EAGAIN (VT_NOWAIT's
 *         deadline), VT_ECANCELED, VT_EDEADLK (caller owns it), VT_EINVAL
 */
int vt_mutex_lock_until(vt_mutex_t *m, const vt_deadline_t *d);
/** @brief Unlock; the longest waiter becomes the owner.
 *  @return 0, VT_EPERM (caller is not the owner), VT_EINVAL */
int vt_mutex_unlock(vt_mutex_t *m);
static inline int vt_mutex_lock(vt_mutex_t *m) { return vt_mutex_lock_timeout(m, VT_FOREVER); }
static inline int vt_mutex_trylock(vt_mutex_t *m) { return vt_mutex_lock_timeout(m, VT_NOWAIT); }

/* -------------------------------------------------------------- semaphore */

/** Counting semaphore; vt_sem_post_isr() may be called from interrupts. */
typedef struct vt_sem {
    vt_waitq_t q;
    int32_t count;
    vt_work_t isr;   /**< posts from interrupts, applied at a scheduling point */
} vt_sem_t;

/** @brief Make @p s a semaphore with @p count units. @return 0 or VT_EINVAL */
int vt_sem_init(vt_sem_t *s, int32_t count);
/** @brief Destroy @p s, waking waiters with VT_EINVAL. */
int vt_sem_destroy(vt_sem_t *s);
/** @brief Take one unit, waiting at most @p timeout ms.
 *  @return 0, VT_ETIMEDOUT, VT_EAGAIN, VT_ECANCELED, VT_EINVAL */
int vt_sem_wait_timeout(vt_sem_t *s, vt_tick_t timeout);
/** @brief Give one unit (wakes the longest waiter). @return 0 or VT_EINVAL */
int vt_sem_post(vt_sem_t *s);
/** @brief vt_sem_post() for interrupt handlers (and any interrupt-like
 *  context, vt/isr.h): applied at the next scheduling point, where the
 *  longest waiter gets the unit; no post is ever lost (up to 2^32 - 1 of
 *  them between two scheduling points). */
void vt_sem_post_isr(vt_sem_t *s);
/** @brief Units available now (posts from interrupts not yet applied excluded). */
int32_t vt_sem_count(const vt_sem_t *s);
static inline int vt_sem_wait(vt_sem_t *s) { return vt_sem_wait_timeout(s, VT_FOREVER); }
static inline int vt_sem_trywait(vt_sem_t *s) { return vt_sem_wait_timeout(s, VT_NOWAIT); }

/* ------------------------------------------------------------------ event */

/** A flag threads wait on: set wakes every waiter and stays set until cleared. */
typedef struct vt_event {
    vt_waitq_t q;
    uint8_t set;
    vt_work_t isr;   /**< sets from interrupts, applied at a scheduling point */
} vt_event_t;

int vt_event_init(vt_event_t *e);
int vt_event_destroy(vt_event_t *e);
/** @brief Set the flag and wake every waiter. */
int vt_event_set(vt_event_t *e);
/** @brief vt_event_set() for interrupt handlers. */
void vt_event_set_isr(vt_event_t *e);
/** @brief Clear the flag. */
int vt_event_clear(vt_event_t *e);
/** @brief Is the flag set? */
int vt_event_is_set(const vt_event_t *e);
/** @brief Wait until the flag is set. @return 0, VT_ETIMEDOUT, VT_EAGAIN, VT_ECANCELED, VT_EINVAL */
int vt_event_wait_timeout(vt_event_t *e, vt_tick_t timeout);
static inline int vt_event_wait(vt_event_t *e) { return vt_event_wait_timeout(e, VT_FOREVER); }
static inline int vt_event_trywait(vt_event_t *e) { return vt_event_wait_timeout(e, VT_NOWAIT); }

/* -------------------------------------------------------------- condition */

/** Condition variable, used with a vt_mutex_t. */
typedef struct vt_cond {
    vt_waitq_t q;
} vt_cond_t;

int vt_cond_init(vt_cond_t *c);
int vt_cond_destroy(vt_cond_t *c);
/**
 * @brief Unlock @p m, wait for a signal, lock @p m again (always, even on
 * timeout or cancellation, before returning).
 * @return 0, VT_ETIMEDOUT, VT_EAGAIN, VT_ECANCELED, VT_EPERM (m not owned), VT_EINVAL
 */
int vt_cond_wait_timeout(vt_cond_t *c, vt_mutex_t *m, vt_tick_t timeout);
static inline int vt_cond_wait(vt_cond_t *c, vt_mutex_t *m) { return vt_cond_wait_timeout(c, m, VT_FOREVER); }
/** @brief Wake the longest waiter. */
int vt_cond_signal(vt_cond_t *c);
/** @brief Wake every waiter. */
int vt_cond_broadcast(vt_cond_t *c);

/* ---------------------------------------------------------------- channel */

/** Bounded FIFO of fixed-size items, copied in and out (never by pointer). */
typedef struct vt_chan {
    vt_waitq_t recvq, sendq;
    uint8_t *buf;
    uint16_t item_size, cap, head, count;
    uint8_t closed;
} vt_chan_t;

/**
 * @brief Make @p ch a channel of @p cap items of @p item_size bytes stored
 * in @p buf (at least item_size * cap bytes).
 * @return 0 or VT_EINVAL (NULL, zero sizes, more than 65535 items or bytes per item)
 */
int vt_chan_init(vt_chan_t *ch, void *buf, size_t item_size, size_t cap);
/** @brief Destroy @p ch, waking every waiter with VT_EINVAL. */
int vt_chan_destroy(vt_chan_t *ch);
/** @brief Copy one item in, waiting while full.
 *  @return 0, VT_ECLOSED, VT_ETIMEDOUT, VT_EAGAIN, VT_ECANCELED, VT_EINVAL */
int vt_chan_send_timeout(vt_chan_t *ch, const void *item, vt_tick_t timeout);
/** @brief Copy one item out, waiting while empty; after close, items left
 *  are still delivered, then VT_ECLOSED.
 *  @return 0, VT_ECLOSED, VT_ETIMEDOUT, VT_EAGAIN, VT_ECANCELED, VT_EINVAL */
int vt_chan_recv_timeout(vt_chan_t *ch, void *item, vt_tick_t timeout);
/** @brief Close: senders get VT_ECLOSED from now on, receivers drain then get it. */
int vt_chan_close(vt_chan_t *ch);
/** @brief Items queued now. */
size_t vt_chan_len(const vt_chan_t *ch);
static inline int vt_chan_send(vt_chan_t *ch, const void *item) { return vt_chan_send_timeout(ch, item, VT_FOREVER); }
static inline int vt_chan_trysend(vt_chan_t *ch, const void *item) { return vt_chan_send_timeout(ch, item, VT_NOWAIT); }
static inline int vt_chan_recv(vt_chan_t *ch, void *item) { return vt_chan_recv_timeout(ch, item, VT_FOREVER); }
static inline int vt_chan_tryrecv(vt_chan_t *ch, void *item) { return vt_chan_recv_timeout(ch, item, VT_NOWAIT); }

#ifdef __cplusplus
}
#endif
#endif /* VT_SYNC_H */
