/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/sched.c
 * @brief Threads and the scheduler.
 *
 * The ready threads and the running one form a ring (next/prev) anchored at
 * vt_kernel.current. Yield is "current = current->next"; a thread that wakes
 * is put just before current, that is, at the end of the round. A blocked thread is
 * on exactly one wait queue (another ring, same links) and, when it has a
 * timeout, in the timer heap. When the ring is empty the kernel switches to
 * the context of vt_run() (main), which idles until an interrupt, or gives
 * the CPU to vt_offload()'s background context meanwhile.
 *
 * Interrupt handlers never touch these lists. They set vt_kernel.pending
 * (and post work, kernel/isr.c); every scheduling point checks that byte.
 *
 * Stack strategy boundary: a thread's stack is touched only by
 * thread_stack_init() and switch_to(). Threads that share a run stack (and
 * copy their live part out when suspended) plug in there.
 */
#include <string.h>

#include "kernel.h"

struct kernel vt_kernel = {.work_tailp = &vt_kernel.work_head};
VT_ARCH_BG_LOCAL volatile uint8_t vt_bg_active;

/* --------------------------------------------------------- the ready ring */

/* Take @p t out of the ready ring; when it is the anchor, the anchor moves on. */
static ALWAYS_INLINE void ring_remove(vt_thread_t *t)
{
    vt_thread_t *next = t->next;
    if (next == t) {
        vt_kernel.current = NULL;
    } else {
        t->prev->next = next;
        next->prev = t->prev;
        if (vt_kernel.current == t)
            vt_kernel.current = next;
    }
}

/* The rare cases of wake(): a timer to cancel, a thread suspended while it
 * waited (it keeps its result and stays out of the ring until resumed). */
void wake_slow(vt_thread_t *t, int result)
{
    if (t->flags & F_TIMER)
        timer_remove(t);
    t->u.result = result;
    if (t->flags & F_SUSPEND) {
        t->flags &= (uint8_t)~F_SUSPEND;
        t->state = S_SUSPENDED;
        return;
    }
    ready_insert(t);
}

void wake(vt_thread_t *t, int result) { wake_inline(t, result); }

vt_thread_t *wake_one(vt_waitq_t *q, int result)
{
    vt_thread_t *t;
    SHARED_CHECK_PTR(q, sizeof *q);
    t = wq_pop(q);
    if (t != NULL)
        wake_inline(t, result);
    return t;
}

void wake_all(vt_waitq_t *q, int result)
{
    while (wake_one(q, result) != NULL) {
    }
}

void wq_kill(vt_waitq_t *q)
{
    if (!wq_dead(q))
        wake_all(q, VT_EINVAL);
    q->head = WQ_DEAD;
}

/* The one place where a thread's stack is left and another's entered. */
static ALWAYS_INLINE void switch_to(void **from_sp, vt_thread_t *to)
{
    if (COUNT_SWITCHES)
        vt_kernel.switches++;
#if VT_CONFIG_THREAD_STATS
    to->switches++;
#endif
    if (VT_CONFIG_DEBUG) { /* the overflow report's copy (kernel.h) */
        vt_kernel.shadow.thread = to;
        vt_kernel.shadow.name = to->name;
        vt_kernel.shadow.lo = to->stack_lo;
        vt_kernel.shadow.units = to->stack_units;
        vt_kernel.shadow.flags = to->flags;
    }
    if (VT_CONFIG_MPU_GUARD)
        arch_stack_guard_set(STACK_MPU_BASE(to->stack_lo));
    arch_switch(from_sp, &to->sp);
}

/* An overrun stack cannot be trusted to run the report: leave it for the
 * context of vt_run(), which reports on its own stack. Never returns, but
 * is not known to (noipa: GCC would find out), so that the yield reaches it
 * by a branch and stays a leaf function (GCC keeps a frame for a call to a
 * noreturn function). */
static void __attribute__((noipa)) guard_broken(vt_thread_t *t)
{
    vt_kernel.overflowed = t;
    arch_switch(&t->sp, &vt_kernel.idle_sp);
    for (;;) {
    }
}

/* The running thread's guard word. Debug builds find it through the copy
 * made at switch-in (kernel.h): an overflow that hit the struct must not
 * send the check to a wild address. A shared-stack thread's stack fields
 * change as it runs (shared.c): its struct's. */
static ALWAYS_INLINE int guard_ok(const vt_thread_t *t)
{
    const void *lo = t->stack_lo;
    if (VT_CONFIG_DEBUG && vt_kernel.shadow.thread == t && !(vt_kernel.shadow.flags & F_SHARED))
        lo = vt_kernel.shadow.lo;
    return !VT_CONFIG_STACK_GUARD || *(const uint32_t *)lo == STACK_GUARD;
}

/* The switch of a yield: the next thread of the ring, if there is one. */
static ALWAYS_INLINE void yield_step(void)
{
    vt_thread_t *cur = vt_kernel.current, *next = cur->next;

    if (!guard_ok(cur)) { /* every yield, whether it switches or not */
        guard_broken(cur);
        return;
    }
    if (next != cur) {
        vt_kernel.current = next;
        switch_to(&cur->sp, next);
    } else if (VT_CONFIG_HOG_MS) {
        vt_kernel.passes++;  /* a scheduling point, though nobody else was ready */
    }
}

/* Interrupt work is pending: apply it (it may make threads ready), then yield. */
static void __attribute__((noinline)) yield_serviced(void)
{
    service();
    yield_step();
}

void vt_yield(void)
{
    ASSERT_THREAD_CONTEXT();
    if (VT_CONFIG_DEBUG && !vt_kernel.in_thread)
        vt_panic("vt_yield called outside a vthread");
    if (vt_kernel.pending) {
        yield_serviced();  /* apart: the common path stays a leaf */
        return;
    }
    yield_step();
}

/* Take the running thread out of the ready ring; vt_kernel.current moves on. */
static ALWAYS_INLINE void leave_ring(vt_thread_t *cur)
{
    if (!guard_ok(cur))
        guard_broken(cur);
    ring_remove(cur);
}

/* Run whatever is next after the caller left the ring: a thread, or idle. */
static ALWAYS_INLINE void run_next(vt_thread_t *cur)
{
    if (vt_kernel.pending)
        service();  /* may have woken cur itself: then just go on */
    if (vt_kernel.current == NULL) {
        if (COUNT_SWITCHES)
            vt_kernel.switches++;
        arch_switch(&cur->sp, &vt_kernel.idle_sp);
    } else if (vt_kernel.current != cur) {
        switch_to(&cur->sp, vt_kernel.current);
    }
}

static int take_cancel(vt_thread_t *cur)
{
    if (cur->flags & F_CANCEL) {
        cur->flags &= (uint8_t)~F_CANCEL;
        return 1;
    }
    return 0;
}

/* do_block()'s @p how: the state, and TIMED for a wait with a deadline. */
#define TIMED 0x100u

/* Block the running thread in state (how & 0xFF), until @p deadline when
 * how has TIMED. Four register arguments, so that block(), block_until()
 * and the sleeps reach it by a tail call: a blocked thread's stack holds
 * no frame of theirs. */
static int do_block(vt_waitq_t *q, unsigned how, void *obj, vt_tick_t deadline)
{
    vt_thread_t *cur = vt_kernel.current;

    if (take_cancel(cur))
        return VT_ECANCELED;
    cur->state = (uint8_t)how;
    cur->w.wait_obj = obj;
    leave_ring(cur);  /* first: the wait queue reuses the ring links */
    if (q != NULL)
        wq_push(q, cur);
    if (how & TIMED) {
        cur->u.deadline = deadline;
        timer_insert(cur);
    }
    run_next(cur);
    return cur->u.result;
}

/* A wait that may not block (a try, or a deadline already passed): a
 * pending cancel is delivered; pending interrupt work is applied and the
 * caller told to look again (it may have made the condition true). */
static int no_wait(int code)
{
    if (vt_kernel.in_thread && take_cancel(vt_kernel.current))
        return VT_ECANCELED;
    if (vt_kernel.pending) {
        service();
        return WAIT_RECHECK;
    }
    return code;
}

static int __attribute__((noinline)) block_timed(vt_waitq_t *q, uint8_t state, void *obj,
                                                 vt_tick_t timeout)
{
    /* +1: the current millisecond is partly gone; wait at least `timeout` */
    return do_block(q, state | TIMED, obj, board_clock_ms() + timeout + 1u);
}

int block(vt_waitq_t *q, uint8_t state, void *obj, vt_tick_t timeout)
{
    ASSERT_THREAD_CONTEXT();
    SHARED_CHECK_PTR(q, sizeof *q);
    if (timeout == VT_NOWAIT)
        return no_wait(VT_EAGAIN);
    if (!vt_kernel.in_thread)
        return VT_EPERM;
    if (timeout == VT_FOREVER)
        return do_block(q, state, obj, 0);
    return block_timed(q, state, obj, timeout);
}

int block_until(vt_waitq_t *q, uint8_t state, void *obj, const vt_deadline_t *d)
{
    ASSERT_THREAD_CONTEXT();
    SHARED_CHECK_PTR(q, sizeof *q);
    if (d->kind == VT_DL_NOW)
        return no_wait(VT_EAGAIN);
    if (d->kind == VT_DL_AT && !before(board_clock_ms(), d->at))
        return no_wait(VT_ETIMEDOUT);
    if (!vt_kernel.in_thread)
        return VT_EPERM;
    return do_block(q, d->kind == VT_DL_AT ? state | TIMED : state, obj, d->at);
}

void unwait(vt_thread_t *t)
{
    if (t->state >= S_MUTEX && t->state <= S_BLOCKED_LAST)
        wq_remove((vt_waitq_t *)t->w.wait_obj, t);
    else if (t->state == S_JOIN)
        ((vt_thread_t *)t->w.wait_obj)->joiner = NULL;
}

int vt_sleep_until(vt_tick_t deadline)
{
    ASSERT_THREAD_CONTEXT();
    if (!vt_kernel.in_thread)
        return VT_EPERM;
    return do_block(NULL, S_SLEEP | TIMED, NULL, deadline);
}

int vt_sleep(vt_tick_t ms)
{
    ASSERT_THREAD_CONTEXT();
    if (ms == VT_FOREVER) { /* no deadline: until cancelled */
        if (!vt_kernel.in_thread)
            return VT_EPERM;
        return do_block(NULL, S_SLEEP, NULL, 0);
    }
    /* +1: sleep at least `ms` whole milliseconds (0 just yields to timers) */
    return vt_sleep_until(board_clock_ms() + ms + (ms > 0));
}

/* -------------------------------------------------------------- suspend */

/* The check of calls that act on a thread that has not exited: 0,
 * VT_EINVAL (NULL), VT_ESRCH (exited or free). */
static int check_live(const vt_thread_t *t)
{
    ASSERT_THREAD_CONTEXT();
    if (t == NULL)
        return VT_EINVAL;
    if (t->state == S_FREE || t->state == S_EXITED)
        return VT_ESRCH;
    return 0;
}

int vt_thread_suspend(vt_thread_t *t)
{
    int rc = check_live(t);
    if (rc != 0)
        return rc;
    if (t == vt_kernel.current && vt_kernel.in_thread)
        return do_block(NULL, S_SUSPENDED, NULL, 0); /* resume wakes us with 0 */
    if (t->state == S_READY) {
        ring_remove(t);
        t->state = S_SUSPENDED;
    } else if (t->state != S_SUSPENDED) {
        t->flags |= F_SUSPEND; /* blocked: parked when its wait ends (wake) */
    }
    return 0;
}

int vt_thread_resume(vt_thread_t *t)
{
    int rc = check_live(t);
    if (rc != 0)
        return rc;
    if (t->state == S_SUSPENDED) {
        ready_insert(t); /* u.result: what its wait returns, if it was in one */
        return 0;
    }
    if (t->flags & F_SUSPEND) {
        t->flags &= (uint8_t)~F_SUSPEND; /* still blocked: it just goes on waiting */
        return 0;
    }
    return VT_EINVAL;
}

/* ------------------------------------------------------- thread lifecycle */

#define THREAD_FLAGS (VT_THREAD_DETACHED | VT_THREAD_SUSPENDED)

#if VT_CONFIG_SPAWN_SLOTS > 0
static vt_thread_t spawn_tcb[VT_CONFIG_SPAWN_SLOTS];
static uint8_t spawn_stack[VT_CONFIG_SPAWN_SLOTS][VT_CONFIG_SPAWN_STACK]
    __attribute__((aligned(16)));
#endif

/* The registry (VT_CONFIG_REGISTRY): every created thread until its storage
 * is released, newest first, for vt_dump() and the GDB script. */
static void registry_add(vt_thread_t *t)
{
#if VT_CONFIG_REGISTRY
    t->reg_next = vt_kernel.registry;
    vt_kernel.registry = t;
#else
    (void)t;
#endif
}

static void registry_remove(vt_thread_t *t)
{
#if VT_CONFIG_REGISTRY
    vt_thread_t **p = &vt_kernel.registry;
    while (*p != NULL && *p != t)
        p = &(*p)->reg_next;
    if (*p != NULL)
        *p = t->reg_next;
#else
    (void)t;
#endif
}

static void release(vt_thread_t *t)
{
    if (VT_CONFIG_DEBUG && vt_kernel.shadow.thread == t)
        vt_kernel.shadow.thread = NULL; /* its struct may be reused: no copy of it */
    t->state = S_FREE;
    registry_remove(t);
    if (t->flags & F_SHARED)
        vt_kernel.shared->release(t);
}

void thread_admit(vt_thread_t *t, unsigned flags)
{
    vt_kernel.alive++;
    registry_add(t);
    if (flags & VT_THREAD_SUSPENDED)
        t->state = S_SUSPENDED;
    else
        ready_insert(t);
}

static void thread_stack_init(vt_thread_t *t, void *stack, size_t size, vt_entry_t entry,
                              void *arg)
{
    uintptr_t lo = (uintptr_t)stack;
    uintptr_t hi = ((uintptr_t)stack + size) & ~(uintptr_t)(VT_ARCH_STACK_ALIGN - 1);

    if (VT_CONFIG_STACK_FILL)
        memset((void *)lo, STACK_FILL, hi - lo);
    *(uint32_t *)lo = STACK_GUARD;
    t->stack_lo = (void *)lo;
    t->stack_units = (uint16_t)((hi - lo) / 8u);
    t->sp = arch_context_init((void *)hi, entry, arg);
}

/* @p t inside its own stack [lo, hi), or (with the registry: debug builds)
 * that stack overlapping a live thread's: two threads on one stack corrupt
 * each other and the fault later blames the victim. Threads on shared run
 * stacks are left out (they share by design; vt_thread_create_shared). */
static int stack_overlaps(const vt_thread_t *t, uintptr_t lo, uintptr_t hi)
{
    if ((uintptr_t)t < hi && (uintptr_t)(t + 1) > lo)
        return 1;
#if VT_CONFIG_REGISTRY
    for (const vt_thread_t *o = vt_kernel.registry; o != NULL; o = o->reg_next) {
        uintptr_t olo = (uintptr_t)o->stack_lo, ohi = olo + (size_t)o->stack_units * 8u;
        if (o->state != S_EXITED && !(o->flags & F_SHARED) && lo < ohi && olo < hi)
            return 1;
    }
#endif
    return 0;
}

int vt_thread_create(vt_thread_t *t, void *stack, size_t stack_size, const char *name,
                     vt_entry_t entry, void *arg, unsigned flags)
{
    ASSERT_THREAD_CONTEXT();
    if (t == NULL || stack == NULL || entry == NULL || (flags & ~THREAD_FLAGS) != 0)
        return VT_EINVAL;
    if (((uintptr_t)stack & 7u) != 0)
        return VT_EINVAL;  /* misaligned: the ABI needs at least 8 */
    if (stack_size < VT_THREAD_STACK_MIN || stack_size >= 8u * 65536u)
        return VT_EINVAL;
    if (t->state != S_FREE)
        return VT_EINVAL;  /* storage of a live or unjoined thread */
    if (stack_overlaps(t, (uintptr_t)stack, (uintptr_t)stack + stack_size))
        return VT_EOVERLAP;
    memset(t, 0, sizeof *t);
    t->name = name;
    t->flags = (flags & VT_THREAD_DETACHED) ? F_DETACHED : 0;
    thread_stack_init(t, stack, stack_size, entry, arg);
    thread_admit(t, flags);
    return 0;
}

int vt_spawn(vt_thread_t **out, const char *name, vt_entry_t entry, void *arg, unsigned flags)
{
    ASSERT_THREAD_CONTEXT();
#if VT_CONFIG_SPAWN_SLOTS > 0
    for (unsigned i = 0; i < VT_CONFIG_SPAWN_SLOTS; i++) {
        vt_thread_t *t = &spawn_tcb[i];
        if (t->state == S_FREE) {
            int rc = vt_thread_create(t, spawn_stack[i], sizeof spawn_stack[i], name, entry,
                                      arg, flags);
            if (rc == 0) {
                t->flags |= F_SPAWNED;
                if (out)
                    *out = t;
            }
            return rc;
        }
    }
    return VT_ENOMEM;
#else
    (void)out, (void)name, (void)entry, (void)arg, (void)flags;
    return VT_ENOMEM;
#endif
}

void vt_exit(int code)
{
    vt_thread_t *cur = vt_kernel.current;

    ASSERT_THREAD_CONTEXT();
    if (!vt_kernel.in_thread)
        vt_panic("vt_exit called outside a vthread");
    vt_kernel.alive--;
    if (cur->joiner != NULL) {
        wake(cur->joiner, 0);
        cur->joiner = NULL;
    }
    cur->w.exit_code = code;
    if (cur->flags & F_SHARED)
        vt_kernel.shared->exit(cur); /* its run stack is free from now on */
    /* a detached thread's storage is free once we switch away; nothing can
     * reuse it before that, since no other thread runs until then */
    if (cur->flags & F_DETACHED)
        release(cur);
    else
        cur->state = S_EXITED;
    leave_ring(cur);
    run_next(cur);
    vt_panic("exited thread resumed");
}

int vt_thread_join(vt_thread_t *t, int *exit_code, vt_tick_t timeout)
{
    vt_thread_t *cur = vt_kernel.current;
    int rc;

    ASSERT_THREAD_CONTEXT();
    if (t == NULL)
        return VT_EINVAL;
    if (t == cur && vt_kernel.in_thread)
        return VT_EDEADLK;
    if (t->state == S_FREE)
        return VT_ESRCH;
    if (t->flags & F_DETACHED)
        return VT_EINVAL;
    if (t->state != S_EXITED) {
        if (!vt_kernel.in_thread)
            return VT_EPERM;  /* main may only collect threads that exited */
        if (t->joiner != NULL)
            return VT_EBUSY;
        t->joiner = cur;
        rc = block(NULL, S_JOIN, t, timeout);
        if (rc != 0) {
            if (t->joiner == cur)
                t->joiner = NULL;
            return rc;
        }
    }
    if (exit_code != NULL)
        *exit_code = t->w.exit_code;
    release(t);
    return 0;
}

int vt_thread_detach(vt_thread_t *t)
{
    ASSERT_THREAD_CONTEXT();
    if (t == NULL)
        return VT_EINVAL;
    if (t->state == S_FREE)
        return VT_ESRCH;
    if (t->flags & F_DETACHED)
        return VT_EINVAL;
    if (t->joiner != NULL)
        return VT_EBUSY;
    if (t->state == S_EXITED)
        release(t);
    else
        t->flags |= F_DETACHED;
    return 0;
}

int vt_thread_cancel(vt_thread_t *t)
{
    int rc = check_live(t);
    if (rc != 0)
        return rc;
    if (t->state >= S_BLOCKED_FIRST && t->state <= S_BLOCKED_LAST) {
        unwait(t);
        wake(t, VT_ECANCELED); /* suspended meanwhile: it returns that once resumed */
    } else {
        t->flags |= F_CANCEL;  /* ready, running or suspended: its next blocking call */
    }
    return 0;
}

/* A background context of vt_offload() is no thread: on one core it runs
 * with in_thread clear; on the host it runs on another OS thread while a
 * thread may run on the kernel's. */
#define IN_THREAD() (vt_kernel.in_thread && !(VT_ARCH_BG_THREADS && vt_bg_active))
vt_thread_t *vt_self(void) { return IN_THREAD() ? vt_kernel.current : NULL; }
vt_thread_t *vt_current_unsafe(void) { return IN_THREAD() ? vt_kernel.current : NULL; }

const char *vt_thread_name(const vt_thread_t *t)
{
    /* the running thread: debug builds' copy, out of an overflow's reach */
    const char *name = VT_CONFIG_DEBUG && t != NULL && t == vt_kernel.shadow.thread
                           ? vt_kernel.shadow.name : t != NULL ? t->name : NULL;
    return name != NULL ? name : "?";
}

unsigned vt_thread_count(void) { return vt_kernel.alive; }
uint32_t vt_switch_count(void) { return COUNT_SWITCHES ? vt_kernel.switches : 0; }

/* ----------------------------------------------------------------- vt_run */

int vt_run(void)
{
    if (vt_kernel.in_thread || arch_in_isr())
        return VT_EPERM;
    arch_run_prepare();
    if (VT_CONFIG_HOG_MS)
        board_hog_timer(HOG_PERIOD_MS);
    while (vt_kernel.alive > 0) {
        if (vt_kernel.pending)
            service();
        if (vt_kernel.current != NULL) {
            vt_kernel.in_thread = 1;
            switch_to(&vt_kernel.idle_sp, vt_kernel.current);
            vt_kernel.in_thread = 0;
            if (VT_CONFIG_MPU_GUARD)
                arch_stack_guard_set(0);
            if (vt_kernel.overflowed != NULL)
                vt_stack_overflow(vt_kernel.overflowed);
            continue;
        }
        if (offload_idle != NULL && offload_idle())
            continue; /* the background ran until the kernel had work (offload.c) */
        {
            arch_irq_state_t s = arch_irq_save();
            if (!vt_kernel.pending) {
                if (board_idle)
                    board_idle();
                arch_wait_irq();
            }
            arch_irq_restore(s);
        }
    }
    if (VT_CONFIG_HOG_MS)
        board_hog_timer(0);
    return 0;
}

