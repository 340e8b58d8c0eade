/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/timer.c
 * @brief Timeouts and sleeps: a pairing heap of threads ordered by deadline.
 *
 * A pairing heap gives O(1) insert and O(log n) amortized removal of the
 * minimum or of any node, using three links per thread and no allocation.
 * The alarm is armed for the heap's minimum only, so there is no periodic
 * walk over sleepers and no tick while nothing is due (tickless). It is
 * programmed again only when an earlier deadline arrives or when it has
 * fired; a thread woken before its deadline leaves the alarm as it is (if
 * that deadline was the earliest, the alarm fires once for nothing and is
 * then set for the next one): a wake-up never reprograms the hardware.
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
    vt_thread_t *min = vt_kernel.timers;
    if (min != NULL && (!vt_kernel.alarm_on || before(min->u.deadline, vt_kernel.armed))) {
        vt_kernel.armed = min->u.deadline;
        vt_kernel.alarm_on = 1;
        board_alarm_set(vt_kernel.armed);
    }
}

void timer_insert(vt_thread_t *t)
{
    t->hchild = t->hsib = t->hprev = NULL;
    t->flags |= F_TIMER;
    vt_kernel.timers = (vt_kernel.timers == NULL) ? t : meld(vt_kernel.timers, t);
    vt_kernel.timers->hsib = vt_kernel.timers->hprev = NULL;
    arm();
}

void timer_remove(vt_thread_t *t)
{
    vt_thread_t *sub;

    t->flags &= (uint8_t)~F_TIMER;
    if (t == vt_kernel.timers) {
        vt_kernel.timers = merge_pairs(t->hchild);
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
        vt_kernel.timers = meld(vt_kernel.timers, sub);
        vt_kernel.timers->hsib = vt_kernel.timers->hprev = NULL;
    }
}

/* The alarm fired (vt_alarm_isr): wake every thread whose deadline has
 * passed, then arm for the new earliest one (the hardware alarm is spent,
 * or fired early: boards may cap how far ahead they can set it). */
void timers_due(void)
{
    vt_tick_t now = board_clock_ms();
    vt_thread_t *t;

    while ((t = vt_kernel.timers) != NULL && !before(now, t->u.deadline)) {
        int rc = (t->state == S_SLEEP) ? 0 : VT_ETIMEDOUT;
        unwait(t);
        wake(t, rc);  /* removes it from the heap */
    }
    vt_kernel.alarm_on = 0;
    arm();
}

/* Interrupt context: only two flags; the next scheduling point does the rest. */
void vt_alarm_isr(void)
{
    if (VT_CONFIG_DEBUG)
        stack_check_isr();
    vt_kernel.alarm = 1;
    vt_kernel.pending = 1;
    if (offload_kick_isr != NULL)
        offload_kick_isr(); /* preempt a background job: threads are due */
}

vt_tick_t vt_now_ms(void) { return board_clock_ms(); }
uint64_t vt_now_us(void) { return board_clock_us(); }
