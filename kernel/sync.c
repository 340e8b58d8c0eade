/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/sync.c
 * @brief Mutex, semaphore, event, condition variable, channel.
 *
 * Each object is a wait queue plus its state. Waking hands the resource to
 * the woken thread where that is possible (mutex ownership, a semaphore
 * unit), so a thread that barges in between the wake and the woken thread's
 * turn cannot steal it.
 *
 * Fast paths come first and touch only the object: no clock read (a
 * deadline is made only when a call is about to wait with a finite
 * timeout), no kernel call when nobody waits. A try that is about to fail
 * applies pending interrupt work first and looks again (WAIT_RECHECK), so a
 * post from an interrupt is seen by a thread that only polls.
 */
#include <string.h>

#include "kernel.h"

/* ------------------------------------------------------------------ mutex */

int vt_mutex_init(vt_mutex_t *m)
{
    ASSERT_THREAD_CONTEXT();
    if (m == NULL)
        return VT_EINVAL;
    m->q.head = NULL;
    m->owner = NULL;
    return 0;
}

int vt_mutex_destroy(vt_mutex_t *m)
{
    ASSERT_THREAD_CONTEXT();
    if (m == NULL || wq_dead(&m->q))
        return VT_EINVAL;
    if (m->owner != NULL)
        return VT_EBUSY;
    wq_kill(&m->q);
    return 0;
}

int vt_mutex_lock_until(vt_mutex_t *m, const vt_deadline_t *d)
{
    vt_thread_t *self = vt_kernel.current;
    int rc;

    ASSERT_THREAD_CONTEXT();
    if (m == NULL || d == NULL || wq_dead(&m->q))
        return VT_EINVAL;
    if (!vt_kernel.in_thread)
        return VT_EPERM;
    do {
        if (m->owner == NULL) {
            m->owner = self;
            return 0;
        }
        if (m->owner == self)
            return VT_EDEADLK;
        /* on success the unlocker has already made us the owner */
        rc = block_until(&m->q, S_MUTEX, &m->q, d);
    } while (rc == WAIT_RECHECK);
    return rc;
}

int vt_mutex_lock_timeout(vt_mutex_t *m, vt_tick_t timeout)
{
    vt_deadline_t d = vt_deadline_in(timeout);
    return vt_mutex_lock_until(m, &d);
}

int vt_mutex_unlock(vt_mutex_t *m)
{
    ASSERT_THREAD_CONTEXT();
    if (m == NULL || wq_dead(&m->q))
        return VT_EINVAL;
    if (m->owner == NULL || m->owner != vt_self())
        return VT_EPERM;
    m->owner = wake_one(&m->q, 0);
    return 0;
}

/* -------------------------------------------------------------- semaphore */

int vt_sem_init(vt_sem_t *s, int32_t count)
{
    ASSERT_THREAD_CONTEXT();
    if (s == NULL || count < 0)
        return VT_EINVAL;
    memset(s, 0, sizeof *s);
    s->count = count;
    return 0;
}

int vt_sem_destroy(vt_sem_t *s)
{
    ASSERT_THREAD_CONTEXT();
    if (s == NULL || wq_dead(&s->q))
        return VT_EINVAL;
    wq_kill(&s->q);
    return 0;
}

int vt_sem_wait_timeout(vt_sem_t *s, vt_tick_t timeout)
{
    int rc;

    ASSERT_THREAD_CONTEXT();
    if (s == NULL || wq_dead(&s->q))
        return VT_EINVAL;
    do {
        if (s->count > 0) {
            s->count--;
            return 0;
        }
        /* woken with 0: the poster handed its unit to us */
        rc = block(&s->q, S_SEM, &s->q, timeout);
    } while (rc == WAIT_RECHECK);
    return rc;
}

/* Give @p n (>= 1) units: to the longest waiters first, the rest to the
 * count, which saturates. A destroyed semaphore has no waiters (wq_pop). */
static ALWAYS_INLINE void sem_give(vt_sem_t *s, uint32_t n)
{
    vt_thread_t *t;
    while ((t = wq_pop(&s->q)) != NULL) {
        wake_inline(t, 0);
        if (--n == 0)
            return;
    }
    s->count = n > (uint32_t)(INT32_MAX - s->count) ? INT32_MAX : s->count + (int32_t)n;
}

/* sem_give() out of line: a post that finds waiters */
static void __attribute__((noinline)) sem_give_n(vt_sem_t *s, uint32_t n) { sem_give(s, n); }

int vt_sem_post(vt_sem_t *s)
{
    ASSERT_THREAD_CONTEXT();
    if (s == NULL || wq_dead(&s->q))
        return VT_EINVAL;
    if (s->q.head == NULL) { /* nobody waits: the common case */
        if (s->count < INT32_MAX)
            s->count++;
        return 0;
    }
    sem_give_n(s, 1);
    return 0;
}

/* Interrupt posts, applied at a scheduling point: all n at once. */
static void sem_isr_apply(vt_work_t *w, uint32_t n)
{
    sem_give((vt_sem_t *)(void *)((char *)w - offsetof(vt_sem_t, isr)), n);
}

void vt_sem_post_isr(vt_sem_t *s)
{
    work_post(&s->isr, sem_isr_apply);
}

int32_t vt_sem_count(const vt_sem_t *s) { return s->count; }

/* ------------------------------------------------------------------ event */

int vt_event_init(vt_event_t *e)
{
    ASSERT_THREAD_CONTEXT();
    if (e == NULL)
        return VT_EINVAL;
    memset(e, 0, sizeof *e);
    return 0;
}

int vt_event_destroy(vt_event_t *e)
{
    ASSERT_THREAD_CONTEXT();
    if (e == NULL || wq_dead(&e->q))
        return VT_EINVAL;
    wq_kill(&e->q);
    return 0;
}

int vt_event_set(vt_event_t *e)
{
    ASSERT_THREAD_CONTEXT();
    if (e == NULL || wq_dead(&e->q))
        return VT_EINVAL;
    e->set = 1;
    wake_all(&e->q, 0);
    return 0;
}

static void event_isr_apply(vt_work_t *w, uint32_t n)
{
    vt_event_t *e = (vt_event_t *)(void *)((char *)w - offsetof(vt_event_t, isr));
    (void)n; /* setting a set flag again changes nothing */
    if (!wq_dead(&e->q)) {
        e->set = 1;
        wake_all(&e->q, 0);
    }
}

void vt_event_set_isr(vt_event_t *e)
{
    work_post(&e->isr, event_isr_apply);
}

int vt_event_clear(vt_event_t *e)
{
    ASSERT_THREAD_CONTEXT();
    if (e == NULL || wq_dead(&e->q))
        return VT_EINVAL;
    e->set = 0;
    return 0;
}

int vt_event_is_set(const vt_event_t *e) { return e->set; }

int vt_event_wait_timeout(vt_event_t *e, vt_tick_t timeout)
{
    int rc;

    ASSERT_THREAD_CONTEXT();
    if (e == NULL || wq_dead(&e->q))
        return VT_EINVAL;
    do {
        if (e->set)
            return 0;
        rc = block(&e->q, S_EVENT, &e->q, timeout);
    } while (rc == WAIT_RECHECK);
    return rc;
}

/* -------------------------------------------------------------- condition */

int vt_cond_init(vt_cond_t *c)
{
    ASSERT_THREAD_CONTEXT();
    if (c == NULL)
        return VT_EINVAL;
    c->q.head = NULL;
    return 0;
}

int vt_cond_destroy(vt_cond_t *c)
{
    ASSERT_THREAD_CONTEXT();
    if (c == NULL || wq_dead(&c->q))
        return VT_EINVAL;
    wq_kill(&c->q);
    return 0;
}

int vt_cond_wait_timeout(vt_cond_t *c, vt_mutex_t *m, vt_tick_t timeout)
{
    vt_thread_t *self = vt_self();
    int rc, rc2;

    ASSERT_THREAD_CONTEXT();
    if (c == NULL || m == NULL || wq_dead(&c->q) || wq_dead(&m->q))
        return VT_EINVAL;
    if (self == NULL || m->owner != self)
        return VT_EPERM;
    if (timeout == VT_NOWAIT)
        return VT_EAGAIN; /* nothing to wait for without letting go of m */
    vt_mutex_unlock(m);
    rc = block(&c->q, S_COND, &c->q, timeout);
    /* take the mutex back whatever happened; a cancel request that arrives
     * meanwhile stays pending for the caller's next blocking call */
    while ((rc2 = vt_mutex_lock(m)) == VT_ECANCELED)
        rc = VT_ECANCELED;
    if (rc2 != 0 && rc == 0)
        rc = rc2;
    return rc;
}

int vt_cond_signal(vt_cond_t *c)
{
    ASSERT_THREAD_CONTEXT();
    if (c == NULL || wq_dead(&c->q))
        return VT_EINVAL;
    wake_one(&c->q, 0);
    return 0;
}

int vt_cond_broadcast(vt_cond_t *c)
{
    ASSERT_THREAD_CONTEXT();
    if (c == NULL || wq_dead(&c->q))
        return VT_EINVAL;
    wake_all(&c->q, 0);
    return 0;
}

/* ---------------------------------------------------------------- channel */

int vt_chan_init(vt_chan_t *ch, void *buf, size_t item_size, size_t cap)
{
    ASSERT_THREAD_CONTEXT();
    if (ch == NULL || buf == NULL || item_size == 0 || cap == 0 || item_size > 0xFFFF ||
        cap > 0xFFFF)
        return VT_EINVAL;
    memset(ch, 0, sizeof *ch);
    ch->buf = buf;
    ch->item_size = (uint16_t)item_size;
    ch->cap = (uint16_t)cap;
    return 0;
}

int vt_chan_destroy(vt_chan_t *ch)
{
    ASSERT_THREAD_CONTEXT();
    if (ch == NULL || ch->buf == NULL || wq_dead(&ch->recvq))
        return VT_EINVAL;
    wq_kill(&ch->recvq);
    wq_kill(&ch->sendq);
    ch->buf = NULL;
    return 0;
}

static ALWAYS_INLINE int chan_bad(const vt_chan_t *ch)
{
    return ch == NULL || ch->buf == NULL || wq_dead(&ch->recvq);
}

/* Items are copied by words when both ends and the size allow it (the
 * usual case: structs of words): newlib-nano's memcpy goes byte by byte. */
static ALWAYS_INLINE void item_copy(void *dst, const void *src, size_t n)
{
    if ((((uintptr_t)dst | (uintptr_t)src | n) & 3u) == 0) {
        uint32_t *d = dst;
        const uint32_t *s = src;
        for (; n > 0; n -= 4)
            *d++ = *s++;
    } else {
        memcpy(dst, src, n);
    }
}

static ALWAYS_INLINE void chan_put(vt_chan_t *ch, const void *item)
{
    unsigned tail = ch->head + ch->count;
    if (tail >= ch->cap)
        tail -= ch->cap;
    item_copy(ch->buf + (size_t)tail * ch->item_size, item, ch->item_size);
    ch->count++;
    if (ch->recvq.head != NULL)
        wake_one(&ch->recvq, 0);
}

static ALWAYS_INLINE void chan_get(vt_chan_t *ch, void *item)
{
    item_copy(item, ch->buf + (size_t)ch->head * ch->item_size, ch->item_size);
    if (++ch->head == ch->cap)
        ch->head = 0;
    ch->count--;
    if (ch->sendq.head != NULL)
        wake_one(&ch->sendq, 0);
    /* a receiver woken for an item another thread took must not be the
     * last to know more items remain */
    if (ch->count > 0 && ch->recvq.head != NULL)
        wake_one(&ch->recvq, 0);
}

/* The channel is full (or closed): wait for room until the deadline. */
static int __attribute__((noinline)) chan_send_wait(vt_chan_t *ch, const void *item,
                                                    vt_tick_t timeout)
{
    vt_deadline_t d = vt_deadline_in(timeout);
    for (;;) {
        int rc;
        if (ch->closed)
            return VT_ECLOSED;
        if (ch->count < ch->cap) {
            chan_put(ch, item);
            return 0;
        }
        rc = block_until(&ch->sendq, S_CHAN_SEND, &ch->sendq, &d);
        if (rc != 0 && rc != WAIT_RECHECK)
            return rc;
        if (chan_bad(ch))
            return VT_EINVAL;
    }
}

int vt_chan_send_timeout(vt_chan_t *ch, const void *item, vt_tick_t timeout)
{
    ASSERT_THREAD_CONTEXT();
    if (chan_bad(ch) || item == NULL)
        return VT_EINVAL;
    SHARED_CHECK_PTR(item, ch->item_size);
    SHARED_CHECK_PTR(ch->buf, (size_t)ch->item_size * ch->cap);
    if (!ch->closed && ch->count < ch->cap) {
        chan_put(ch, item);
        return 0;
    }
    return chan_send_wait(ch, item, timeout);
}

/* The channel is empty: wait for an item until the deadline. */
static int __attribute__((noinline)) chan_recv_wait(vt_chan_t *ch, void *item,
                                                    vt_tick_t timeout)
{
    vt_deadline_t d = vt_deadline_in(timeout);
    for (;;) {
        int rc;
        if (ch->count > 0) {
            chan_get(ch, item);
            return 0;
        }
        if (ch->closed)
            return VT_ECLOSED;
        rc = block_until(&ch->recvq, S_CHAN_RECV, &ch->recvq, &d);
        if (rc != 0 && rc != WAIT_RECHECK)
            return rc;
        if (chan_bad(ch))
            return VT_EINVAL;
    }
}

int vt_chan_recv_timeout(vt_chan_t *ch, void *item, vt_tick_t timeout)
{
    ASSERT_THREAD_CONTEXT();
    if (chan_bad(ch) || item == NULL)
        return VT_EINVAL;
    SHARED_CHECK_PTR(item, ch->item_size);
    SHARED_CHECK_PTR(ch->buf, (size_t)ch->item_size * ch->cap);
    if (ch->count > 0) {
        chan_get(ch, item);
        return 0;
    }
    return chan_recv_wait(ch, item, timeout);
}

int vt_chan_close(vt_chan_t *ch)
{
    ASSERT_THREAD_CONTEXT();
    if (chan_bad(ch))
        return VT_EINVAL;
    ch->closed = 1;
    wake_all(&ch->recvq, 0);
    wake_all(&ch->sendq, 0);
    return 0;
}

size_t vt_chan_len(const vt_chan_t *ch) { return ch->count; }

/* ------------------------------------------------- wait queues (public) */

int vt_waitq_wait_until(vt_waitq_t *q, const vt_deadline_t *d)
{
    int rc;
    ASSERT_THREAD_CONTEXT();
    if (q == NULL || d == NULL || wq_dead(q))
        return VT_EINVAL;
    rc = block_until(q, S_WAITQ, q, d);
    return rc == WAIT_RECHECK ? 0 : rc; /* interrupt work applied: look again */
}

int vt_waitq_wait(vt_waitq_t *q, vt_tick_t timeout)
{
    int rc;
    ASSERT_THREAD_CONTEXT();
    if (q == NULL || wq_dead(q))
        return VT_EINVAL;
    rc = block(q, S_WAITQ, q, timeout);
    return rc == WAIT_RECHECK ? 0 : rc;
}

int vt_waitq_wake_one(vt_waitq_t *q, int code)
{
    ASSERT_THREAD_CONTEXT();
    return q != NULL && wake_one(q, code) != NULL;
}

void vt_waitq_wake_all(vt_waitq_t *q, int code)
{
    ASSERT_THREAD_CONTEXT();
    if (q != NULL)
        wake_all(q, code);
}
