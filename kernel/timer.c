/**
 * @file kernel/timer.c
 * @brief Timeouts and sleeps: a pairing heap of threads ordered by deadline,
 * and the work interrupt handlers defer to thread context.
 *
 * A pairing heap gives O(1) insert and O(log n) amortized removal of the
 * minimum or of any node, using three links per thread and no allocation.
 * The alarm is armed for the heap's minimum only, so there is no periodic
 * walk over sleepers and no tick while nothing is due (tickless).
 */
#include "kernel.h"

/* Meld two heap roots; the earlier deadline becomes the root (ties keep a). */
static vt_thread_t *meld(vt_thread_t *a, vt_thread_t *b)
{
    if (before(b->u.deadline, a->u.deadline)) {
        vt_thread_t *x = a;
        a = b;
        b = x;
    }
    b->hsib = a->hchild;
    if (a->hchild != NULL)
        a->hchild->hprev = b;
    b->hprev = a;
    a->hchild = b;
    return a;
}

/* Two-pass pairing of a child list into one heap. */
static vt_thread_t *merge_pairs(vt_thread_t *first)
{
    vt_thread_t *acc = NULL, *a, *b, *next, *r;

    /* pass 1, left to right: meld pairs, push results on acc (via hsib) */
    while (first != NULL) {
        a = first;
        b = a->hsib;
        if (b == NULL) {
            a->hsib = acc;
            acc = a;
            break;
        }
        next = b->hsib;
        r = meld(a, b);
        r->hsib = acc;
        acc = r;
        first = next;
    }
    if (acc == NULL)
        return NULL;
    /* pass 2, right to left: meld everything into the last pair */
    r = acc;
    acc = acc->hsib;
    while (acc != NULL) {
        next = acc->hsib;
        r = meld(r, acc);
        acc = next;
    }
    r->hsib = NULL;
    r->hprev = NULL;
    return r;
}

static void arm(void)
{
    vt_thread_t *min = k.timers;
    if (min != NULL && (!k.alarm_on || before(min->u.deadline, k.armed))) {
        k.armed = min->u.deadline;
        k.alarm_on = 1;
        board_alarm_set(k.armed);
    }
}

void timer_insert(vt_thread_t *t)
{
    t->hchild = t->hsib = t->hprev = NULL;
    t->flags |= F_TIMER;
    k.timers = (k.timers == NULL) ? t : meld(k.timers, t);
    k.timers->hsib = k.timers->hprev = NULL;
    arm();
}

void timer_remove(vt_thread_t *t)
{
    vt_thread_t *sub;

    t->flags &= (uint8_t)~F_TIMER;
    if (t == k.timers) {
        k.timers = merge_pairs(t->hchild);
        return;
    }
    if (t->hprev->hchild == t)
        t->hprev->hchild = t->hsib;
    else
        t->hprev->hsib = t->hsib;
    if (t->hsib != NULL)
        t->hsib->hprev = t->hprev;
    sub = merge_pairs(t->hchild);
    if (sub != NULL) {
        k.timers = meld(k.timers, sub);
        k.timers->hsib = k.timers->hprev = NULL;
    }
}

void timers_expire(vt_tick_t now)
{
    vt_thread_t *t;

    while ((t = k.timers) != NULL && !before(now, t->u.deadline)) {
        int rc = (t->state == S_SLEEP) ? 0 : VT_ETIMEDOUT;
        unwait(t);
        wake(t, rc);  /* removes it from the heap */
    }
    /* the alarm fired or is due: re-arm for the new minimum */
    k.alarm_on = 0;
    arm();
}

void vt_alarm_isr(void)
{
    k.pending = 1;
}

/* ---------------------------------------------------- ISR-deferred work */

void isr_work_post(vt_isr_work_t *w, uint8_t kind)
{
    arch_irq_state_t s = arch_irq_save();
    w->count++;
    w->kind = kind;
    if (!w->queued) {
        w->queued = 1;
        w->next = k.isr_list;
        k.isr_list = w;
    }
    k.pending = 1;
    arch_irq_restore(s);
}

void isr_work_run(void)
{
    vt_isr_work_t *w;
    arch_irq_state_t s;

    if (k.isr_list == NULL)
        return;
    s = arch_irq_save();
    w = k.isr_list;
    k.isr_list = NULL;
    arch_irq_restore(s);
    while (w != NULL) {
        vt_isr_work_t *next = w->next;
        unsigned n;
        s = arch_irq_save();
        n = w->count;
        w->count = 0;
        w->queued = 0;
        arch_irq_restore(s);
        if (w->kind == ISR_SEM) {
            vt_sem_t *sem = (vt_sem_t *)((char *)w - offsetof(vt_sem_t, isr));
            while (n-- > 0)
                vt_sem_post(sem);
        } else if (w->kind == ISR_EVENT) {
            vt_event_set((vt_event_t *)((char *)w - offsetof(vt_event_t, isr)));
        }
        w = next;
    }
}

vt_tick_t vt_now_ms(void) { return board_clock_ms(); }
uint64_t vt_now_us(void) { return board_clock_us(); }
