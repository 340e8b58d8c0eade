/**
 * @file kernel/sched.c
 * @brief Threads and the scheduler.
 *
 * The ready threads and the running one form a ring (next/prev) anchored at
 * k.current. Yield is "current = current->next"; a thread that wakes is put
 * just before current, that is, at the end of the round. A blocked thread is
 * on exactly one wait queue (another ring, same links) and, when it has a
 * timeout, in the timer heap. When the ring is empty the kernel switches to
 * the context of vt_run() (main), which idles until an interrupt.
 *
 * Interrupt handlers never touch these lists. They set k.pending (and queue
 * deferred work); every scheduling point checks that one byte.
 *
 * Stack strategy boundary: a thread's stack is touched only by
 * thread_stack_init() and switch_to(). Threads that share a run stack (and
 * copy their live part out when suspended) plug in there.
 */
#include <string.h>

#include "kernel.h"

struct kernel k;

/* ------------------------------------------------------------ wait queues */

void wq_push(vt_waitq_t *q, vt_thread_t *t)
{
    vt_thread_t *h = q->head;
    if (h == NULL) {
        q->head = t->next = t->prev = t;
    } else {
        t->next = h;
        t->prev = h->prev;
        h->prev->next = t;
        h->prev = t;
    }
}

void wq_remove(vt_waitq_t *q, vt_thread_t *t)
{
    if (t->next == t) {
        q->head = NULL;
    } else {
        t->prev->next = t->next;
        t->next->prev = t->prev;
        if (q->head == t)
            q->head = t->next;
    }
}

vt_thread_t *wq_pop(vt_waitq_t *q)
{
    vt_thread_t *t = q->head;
    if (t != NULL && t != WQ_DEAD)
        wq_remove(q, t);
    else
        t = NULL;
    return t;
}

/* --------------------------------------------------------- the ready ring */

static void ready_insert(vt_thread_t *t)
{
    vt_thread_t *c = k.current;
    t->state = S_READY;
    if (c == NULL) {
        k.current = t->next = t->prev = t;
    } else {
        t->next = c;
        t->prev = c->prev;
        c->prev->next = t;
        c->prev = t;
    }
}

void wake(vt_thread_t *t, int result)
{
    if (t->flags & F_TIMER)
        timer_remove(t);
    t->u.result = result;
    ready_insert(t);
}

vt_thread_t *wake_one(vt_waitq_t *q, int result)
{
    vt_thread_t *t;
    SHARED_CHECK_PTR(q, sizeof *q);
    t = wq_pop(q);
    if (t != NULL)
        wake(t, result);
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

/* Apply what interrupt handlers recorded: deferred wake-ups and timers. */
static void service(void)
{
    k.pending = 0;
    isr_work_run();
    timers_expire(board_clock_ms());
}

/* The one place where a thread's stack is left and another's entered. */
static inline void switch_to(void **from_sp, vt_thread_t *to)
{
    k.switches++;
#if VT_CONFIG_THREAD_STATS
    to->switches++;
#endif
    if (VT_CONFIG_MPU_GUARD)
        arch_stack_guard_set(STACK_MPU_BASE(to->stack_lo));
    arch_switch(from_sp, to->sp);
}

/* An overrun stack cannot be trusted to run the report: leave it for the
 * context of vt_run(), which reports on its own stack. */
static void __attribute__((noinline, noreturn)) guard_broken(vt_thread_t *t)
{
    k.overflowed = t;
    arch_switch(&t->sp, k.idle_sp);
    for (;;) {
    }
}

static inline void check_guard(vt_thread_t *t)
{
    if (VT_CONFIG_STACK_GUARD && *(const uint32_t *)t->stack_lo != STACK_GUARD)
        guard_broken(t);
}

void vt_yield(void)
{
    vt_thread_t *cur = k.current, *next;

    ASSERT_THREAD_CONTEXT();
    if (VT_CONFIG_DEBUG && !k.in_thread)
        vt_panic("vt_yield called outside a vthread");
    if (k.pending)
        service();
    next = cur->next;
    if (next != cur) {
        check_guard(cur);
        k.current = next;
        switch_to(&cur->sp, next);
    } else if (VT_CONFIG_HOG_MS) {
        k.passes++;  /* a scheduling point, though nobody else was ready */
    }
}

/* Take the running thread out of the ready ring; k.current moves on. */
static void leave_ring(vt_thread_t *cur)
{
    vt_thread_t *next = cur->next;

    check_guard(cur);
    if (next == cur) {
        k.current = NULL;
    } else {
        cur->prev->next = next;
        next->prev = cur->prev;
        k.current = next;
    }
}

/* Run whatever is next after the caller left the ring: a thread, or idle. */
static void run_next(vt_thread_t *cur)
{
    if (k.pending)
        service();  /* may have woken cur itself: then just go on */
    if (k.current == NULL) {
        k.switches++;
        arch_switch(&cur->sp, k.idle_sp);
    } else if (k.current != cur) {
        switch_to(&cur->sp, k.current);
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

static int do_block(vt_waitq_t *q, uint8_t state, void *obj, int timed, vt_tick_t deadline)
{
    vt_thread_t *cur = k.current;

    if (take_cancel(cur))
        return VT_ECANCELED;
    cur->state = state;
    cur->w.wait_obj = obj;
    leave_ring(cur);  /* first: the wait queue reuses the ring links */
    if (q != NULL)
        wq_push(q, cur);
    if (timed) {
        cur->u.deadline = deadline;
        timer_insert(cur);
    }
    run_next(cur);
    return cur->u.result;
}

int block(vt_waitq_t *q, uint8_t state, void *obj, vt_tick_t timeout)
{
    ASSERT_THREAD_CONTEXT();
    if (!k.in_thread)
        return VT_EPERM;
    SHARED_CHECK_PTR(q, sizeof *q);
    if (timeout == VT_NOWAIT)
        return take_cancel(k.current) ? VT_ECANCELED : VT_EAGAIN;
    /* +1: the current millisecond is partly gone; wait at least `timeout` */
    return do_block(q, state, obj, timeout != VT_FOREVER, board_clock_ms() + timeout + 1);
}

void unwait(vt_thread_t *t)
{
    if (t->state >= S_MUTEX)
        wq_remove((vt_waitq_t *)t->w.wait_obj, t);
    else if (t->state == S_JOIN)
        ((vt_thread_t *)t->w.wait_obj)->joiner = NULL;
}

int vt_sleep_until(vt_tick_t deadline)
{
    ASSERT_THREAD_CONTEXT();
    if (!k.in_thread)
        return VT_EPERM;
    return do_block(NULL, S_SLEEP, NULL, 1, deadline);
}

int vt_sleep(vt_tick_t ms)
{
    ASSERT_THREAD_CONTEXT();
    /* +1: sleep at least `ms` whole milliseconds (0 just yields to timers) */
    return vt_sleep_until(board_clock_ms() + ms + (ms > 0));
}

/* ------------------------------------------------------- thread lifecycle */

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
    t->reg_next = k.registry;
    k.registry = t;
#else
    (void)t;
#endif
}

static void registry_remove(vt_thread_t *t)
{
#if VT_CONFIG_REGISTRY
    vt_thread_t **p = &k.registry;
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
    t->state = S_FREE;
    registry_remove(t);
    if (t->flags & F_SHARED)
        k.shared->release(t);
}

void thread_admit(vt_thread_t *t)
{
    k.alive++;
    registry_add(t);
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

int vt_thread_create(vt_thread_t *t, void *stack, size_t stack_size, const char *name,
                     vt_entry_t entry, void *arg, unsigned flags)
{
    ASSERT_THREAD_CONTEXT();
    if (t == NULL || stack == NULL || entry == NULL || (flags & ~VT_THREAD_DETACHED) != 0)
        return VT_EINVAL;
    if (((uintptr_t)stack & 7u) != 0)
        return VT_EINVAL;  /* misaligned: the ABI needs at least 8 */
    if (stack_size < VT_CONFIG_STACK_MIN + VT_ARCH_CONTEXT_BYTES + 2 * VT_ARCH_STACK_ALIGN +
                         (VT_CONFIG_MPU_GUARD ? 2u * VT_ARCH_MPU_GUARD_SIZE : 0u) ||
        stack_size >= 8u * 65536u)
        return VT_EINVAL;
    if (t->state != S_FREE)
        return VT_EINVAL;  /* storage of a live or unjoined thread */
    memset(t, 0, sizeof *t);
    t->name = name;
    t->flags = (flags & VT_THREAD_DETACHED) ? F_DETACHED : 0;
    thread_stack_init(t, stack, stack_size, entry, arg);
    thread_admit(t);
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
    vt_thread_t *cur = k.current;

    ASSERT_THREAD_CONTEXT();
    if (!k.in_thread)
        vt_panic("vt_exit called outside a vthread");
    k.alive--;
    if (cur->joiner != NULL) {
        wake(cur->joiner, 0);
        cur->joiner = NULL;
    }
    cur->w.exit_code = code;
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
    vt_thread_t *cur = k.current;
    int rc;

    ASSERT_THREAD_CONTEXT();
    if (t == NULL)
        return VT_EINVAL;
    if (t == cur && k.in_thread)
        return VT_EDEADLK;
    if (t->state == S_FREE)
        return VT_ESRCH;
    if (t->flags & F_DETACHED)
        return VT_EINVAL;
    if (t->state != S_EXITED) {
        if (!k.in_thread)
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
    ASSERT_THREAD_CONTEXT();
    if (t == NULL)
        return VT_EINVAL;
    if (t->state == S_FREE || t->state == S_EXITED)
        return VT_ESRCH;
    if (t->state >= S_BLOCKED_FIRST && t->state <= S_BLOCKED_LAST) {
        unwait(t);
        wake(t, VT_ECANCELED);
    } else {
        t->flags |= F_CANCEL;
    }
    return 0;
}

vt_thread_t *vt_self(void) { return k.in_thread ? k.current : NULL; }
vt_thread_t *vt_current_unsafe(void) { return k.in_thread ? k.current : NULL; }

const char *vt_thread_name(const vt_thread_t *t)
{
    return (t != NULL && t->name != NULL) ? t->name : "?";
}

unsigned vt_thread_count(void) { return k.alive; }
uint32_t vt_switch_count(void) { return k.switches; }

/* ----------------------------------------------------------------- vt_run */

int vt_run(void)
{
    if (k.in_thread || arch_in_isr())
        return VT_EPERM;
    arch_run_prepare();
    if (VT_CONFIG_HOG_MS)
        board_hog_timer(HOG_PERIOD_MS);
    while (k.alive > 0) {
        if (k.pending)
            service();
        if (k.current != NULL) {
            k.in_thread = 1;
            k.switches++;
#if VT_CONFIG_THREAD_STATS
            k.current->switches++;
#endif
            if (VT_CONFIG_MPU_GUARD)
                arch_stack_guard_set(STACK_MPU_BASE(k.current->stack_lo));
            arch_switch(&k.idle_sp, k.current->sp);
            k.in_thread = 0;
            if (VT_CONFIG_MPU_GUARD)
                arch_stack_guard_set(0);
            if (k.overflowed != NULL)
                vt_stack_overflow(k.overflowed);
            continue;
        }
        {
            arch_irq_state_t s = arch_irq_save();
            if (!k.pending)
                arch_wait_irq();
            arch_irq_restore(s);
        }
    }
    if (VT_CONFIG_HOG_MS)
        board_hog_timer(0);
    return 0;
}

