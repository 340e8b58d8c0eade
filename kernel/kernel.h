/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/kernel.h
 * @brief Private kernel interface shared by the kernel's .c files.
 */
#ifndef VT_KERNEL_KERNEL_H
#define VT_KERNEL_KERNEL_H

#include "vt/vt.h"
#include "port.h"

/** For the few small helpers of the fast paths that -Os would leave as calls. */
#define ALWAYS_INLINE inline __attribute__((always_inline))

/** Thread states. Blocked states lie between S_BLOCKED_FIRST and S_BLOCKED_LAST
 *  and name what the thread waits on (used by vt_dump()). */
enum {
    S_FREE = 0,      /* storage unused (never created, or joined) */
    S_READY,         /* in the ready ring (includes the running thread) */
    S_SLEEP,         /* vt_sleep: timer only (none for VT_FOREVER) */
    S_JOIN,          /* w.wait_obj is the thread being joined */
    S_MUTEX,         /* the rest: w.wait_obj is a vt_waitq_t */
    S_SEM,
    S_EVENT,
    S_COND,
    S_CHAN_RECV,
    S_CHAN_SEND,
    S_POOL,
    S_GROUP,
    S_WAITQ,         /* vt_waitq_wait(): extensions such as net/ */
    S_MEMPOOL,       /* vt_mempool_alloc() */
    S_EXITED,        /* exited, waiting to be joined */
    S_SUSPENDED,     /* out of the ready ring until vt_thread_resume() */
};
#define S_BLOCKED_FIRST S_SLEEP
#define S_BLOCKED_LAST S_MEMPOOL

/** Thread flags. */
enum {
    F_DETACHED = 0x01,
    F_CANCEL = 0x02,   /* cancel requested, not yet delivered */
    F_TIMER = 0x04,    /* in the timer heap */
    F_SPAWNED = 0x08,  /* storage from the vt_spawn() pool */
    F_SHARED = 0x10,   /* runs on a shared run stack (shared.c) */
    F_SUSPEND = 0x20,  /* suspended while blocked: park at wake-up (wake()) */
};

/* Shared-stack threads (kernel/shared.c) reach the rest of the kernel only
 * through these hooks, set when the first run stack is made: a program that
 * never uses them does not link shared.c (nor its copier stack). */
struct shared_hooks {
    void (*exit)(vt_thread_t *t);                 /* the thread exits */
    void (*release)(vt_thread_t *t);              /* storage released */
    void (*check_ptr)(const void *p, size_t len); /* debug: pointer rule */
    /* a suspended thread whose frames are in a save area: its run stack's
     * size, that stack's high-water mark, the save area's size */
    void (*stack_info)(const vt_thread_t *t, size_t *size, size_t *used, size_t *saved);
    void (*stats)(vt_shared_stats_t *s);
};

/** Guard word at the low end of every stack. The same byte four times: an
 *  immediate operand of a Thumb-2 compare, one instruction fewer per switch
 *  than a literal load (and unlike the 0xA5 fill of unused stack). */
#define STACK_GUARD 0x5A5A5A5Au
/** Fill byte for unused stack. */
#define STACK_FILL 0xA5u

/** The poison value of a destroyed wait queue. */
#define WQ_DEAD ((vt_thread_t *)(uintptr_t)1)

/** Switches are counted (vt_kernel.switches, vt_switch_count()) in builds that show
 *  them or need them: the thread statistics (debug default) and the CPU-hog
 *  detector, which watches the count. Release builds keep the yield path
 *  free of the increment. */
#define COUNT_SWITCHES (VT_CONFIG_THREAD_STATS || VT_CONFIG_HOG_MS > 0)

/** Debug builds: what the stack overflow report needs of the running
 *  thread, copied from its struct when it is switched in (switch_to). An
 *  overflow may overwrite the struct (it often lies just below the stack);
 *  it cannot reach this copy, so the report names the thread and its stack
 *  right, and can tell that the struct was hit (stack.c). */
struct stack_shadow {
    const vt_thread_t *thread;
    const char *name;
    void *lo;
    uint16_t units;
    uint8_t flags;
};

/** The kernel's state: one object, `vt_kernel`, read by the debug tools
 *  (scripts/gdb/vthread.py) by that name. Private to the kernel. */
struct kernel {
    vt_thread_t *current;      /* running thread; the ready ring's anchor */
    volatile uint8_t pending;  /* set by ISRs: work posted or alarm fired */
    volatile uint8_t alarm;    /* set by vt_alarm_isr(): timers may be due */
    uint8_t in_thread;         /* a vthread runs (not main/idle) */
    uint8_t alarm_on;          /* armed is valid */
    vt_work_t *work_head;      /* posted interrupt work, FIFO (isr.c) */
    vt_work_t **work_tailp;    /* where the next post links: &work_head or &last->next */
    uint32_t alive;            /* created and not exited */
    uint32_t switches;         /* COUNT_SWITCHES builds */
    vt_thread_t *timers;       /* root of the timer pairing heap */
    vt_tick_t armed;           /* deadline the alarm is set for */
    void *idle_sp;             /* vt_run()'s saved context */
    vt_thread_t *overflowed;   /* thread whose stack guard was found broken */
    uint32_t passes;           /* yields with nobody else ready (CPU-hog detector) */
    vt_thread_t *registry;     /* every created thread (VT_CONFIG_REGISTRY) */
    const struct shared_hooks *shared; /* NULL until a run stack exists */
    struct stack_shadow shadow; /* debug builds: the running thread's identity */
};
extern struct kernel vt_kernel;

/* ---- background contexts of vt_offload() (offload.c) ---- */
#ifndef VT_ARCH_BG_THREADS
#define VT_ARCH_BG_THREADS 0 /* one core: the kernel's executor (offload_cpu.c) */
#endif
#ifndef VT_ARCH_BG_LOCAL
#define VT_ARCH_BG_LOCAL /* one core: one background context, one flag */
#endif
/** Non-zero in a background context running offloaded functions (and, on
 *  one core, in the interrupts taken from it). Per OS thread on the host. */
extern VT_ARCH_BG_LOCAL volatile uint8_t vt_bg_active;
/** The kernel's two calls into vt_offload's machinery; weak, so a program
 *  that does not offload does not link it. offload_idle(): from vt_run()'s
 *  idle loop, give the CPU to the background context (returns 0 when it
 *  has nothing to do). offload_kick_isr(): the kernel has work (vt_kernel.pending
 *  was just set): if the caller is a background context or an interrupt of
 *  it, make the kernel's context run now. */
int offload_idle(void) __attribute__((weak));
void offload_kick_isr(void) __attribute__((weak));

/** Debug-build check that a thread-only call is made neither from an ISR
 *  nor from an offloaded function; the report names the call. */
#define ASSERT_THREAD_CONTEXT()                                                   \
    do {                                                                          \
        if (VT_CONFIG_DEBUG && (arch_in_isr() || vt_bg_active))                   \
            context_panic(__func__);                                              \
    } while (0)
/** Report a thread-only call @p call made from the wrong context, stop (diag.c). */
void context_panic(const char *call) __attribute__((noreturn, cold));
/** The name of the offloaded job running in the calling background context,
 *  or NULL (offload.c; weak for diag.c). */
const char *offload_job_name(void) __attribute__((weak));
/** One line on the background for vt_dump() (offload.c; weak): its length. */
int offload_describe(char *buf, size_t len) __attribute__((weak));

/* ---- hardware stack guard (VT_CONFIG_MPU_GUARD) ---- */
#if VT_CONFIG_MPU_GUARD && VT_ARCH_MPU_GUARD_SIZE == 0
#error "VT_CONFIG_MPU_GUARD: this port has no MPU guard region (ARMv7-M only; ARMv8-M uses PSPLIM)"
#endif
/** Lowest address of the no-access region of a stack: just above the guard
 *  word, aligned to the region size (the MPU requires it). */
#define STACK_MPU_BASE(lo) \
    (((uintptr_t)(lo) + 4u + VT_ARCH_MPU_GUARD_SIZE - 1u) & ~(uintptr_t)(VT_ARCH_MPU_GUARD_SIZE - 1u))
/** First stack byte above the guard word and the region: what the
 *  high-water scan may read while the region is armed. */
#define STACK_SCAN_START(lo) \
    (VT_CONFIG_MPU_GUARD ? STACK_MPU_BASE(lo) + VT_ARCH_MPU_GUARD_SIZE : (uintptr_t)(lo) + 4u)

/* ---- CPU-hog detector (hog.c): the board's periodic interrupt period ---- */
#define HOG_PERIOD_MS (VT_CONFIG_HOG_MS >= 8 ? VT_CONFIG_HOG_MS / 4 : 1)

static inline int before(vt_tick_t a, vt_tick_t b) { return (int32_t)(a - b) < 0; }

/* ---- wait queues: rings of threads through next/prev, FIFO ---- */

static inline int wq_empty(const vt_waitq_t *q) { return q->head == NULL; }

static ALWAYS_INLINE void wq_push(vt_waitq_t *q, vt_thread_t *t)
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

static ALWAYS_INLINE void wq_remove(vt_waitq_t *q, vt_thread_t *t)
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

/** The longest waiter of @p q, taken off it; NULL when empty or destroyed. */
static ALWAYS_INLINE vt_thread_t *wq_pop(vt_waitq_t *q)
{
    vt_thread_t *t = q->head;
    if (t == NULL || t == WQ_DEAD)
        return NULL;
    wq_remove(q, t);
    return t;
}

/** What block() and block_until() return, besides 0 and errors, when the
 *  deadline did not let them wait but they applied pending interrupt work:
 *  the caller checks its condition again (a try that sees an ISR's post). */
#define WAIT_RECHECK 1

/**
 * Block the running thread in @p state (waiting on queue @p q, which may be
 * NULL for sleep/join; @p obj is what the dump shows) until woken or until
 * @p timeout ms pass; reads the clock only for a finite timeout. Returns
 * what the waker passed (0 or an error), VT_ETIMEDOUT, VT_ECANCELED,
 * VT_EPERM outside a vthread; with VT_NOWAIT, VT_EAGAIN or WAIT_RECHECK.
 */
int block(vt_waitq_t *q, uint8_t state, void *obj, vt_tick_t timeout);
/** block() until the deadline @p d; a deadline that has passed gives
 *  VT_ETIMEDOUT (VT_EAGAIN for VT_DL_NOW) or WAIT_RECHECK. */
int block_until(vt_waitq_t *q, uint8_t state, void *obj, const vt_deadline_t *d);
/** Take a blocked thread off whatever it waits on (not the timer heap). */
void unwait(vt_thread_t *t);
/** Make @p t ready at the end of the round (the ready ring is a ring of
 *  threads through next/prev, anchored at the running one). */
static ALWAYS_INLINE void ready_insert(vt_thread_t *t)
{
    vt_thread_t *c = vt_kernel.current;
    t->state = S_READY;
    if (c == NULL) {
        vt_kernel.current = t->next = t->prev = t;
    } else {
        t->next = c;
        t->prev = c->prev;
        c->prev->next = t;
        c->prev = t;
    }
}

/** wake() for a thread with a timer to cancel or suspended while it waited. */
void wake_slow(vt_thread_t *t, int result);

/** Make @p t ready with @p result as its wait's return (t already off any
 *  queue). Inline on the hot paths (wake_one(), semaphore posts); wake()
 *  is the same out of line, for the others. */
static ALWAYS_INLINE void wake_inline(vt_thread_t *t, int result)
{
    if (t->flags & (F_TIMER | F_SUSPEND)) { /* one test for both */
        wake_slow(t, result);
        return;
    }
    t->u.result = result;
    ready_insert(t);
}
void wake(vt_thread_t *t, int result);
/** Wake the first waiter of @p q with @p result; returns it or NULL. */
vt_thread_t *wake_one(vt_waitq_t *q, int result);
/** Wake every waiter of @p q with @p result. */
void wake_all(vt_waitq_t *q, int result);
/** Destroy: wake all with VT_EINVAL and poison the queue. */
void wq_kill(vt_waitq_t *q);

/** Debug builds: stop when @p p (@p len bytes) lies in a shared run stack
 *  where it may hold another thread's frames (docs/shared-stacks.md). */
#define SHARED_CHECK_PTR(p, len)                                                  \
    do {                                                                          \
        if (VT_CONFIG_DEBUG && vt_kernel.shared != NULL)                                  \
            vt_kernel.shared->check_ptr((p), (len));                                      \
    } while (0)

/** An object's first check (destroyed?), so also where debug builds catch a
 *  pointer into another thread's shared-stack frames, before it is read. */
static inline int wq_dead(const vt_waitq_t *q)
{
    SHARED_CHECK_PTR(q, sizeof *q);
    return q->head == WQ_DEAD;
}

/** From an interrupt (the alarm, the CPU-hog tick), debug builds: stop
 *  with the overflow report when the running thread's guard word is
 *  broken, for a thread that overflows and never reaches a scheduling
 *  point (stack.c). */
void stack_check_isr(void);
/** Debug builds: @p t is the running thread and its struct no longer
 *  matches the copy made at switch-in: an overflow overwrote it (stack.c). */
int stack_struct_hit(const vt_thread_t *t);

/** Count a newly created thread and make it ready, or suspended when
 *  @p flags has VT_THREAD_SUSPENDED (sched.c). */
void thread_admit(vt_thread_t *t, unsigned flags);

/** Apply what interrupt handlers recorded (posted work, a fired alarm);
 *  every scheduling point calls it when vt_kernel.pending is set (isr.c). */
void service(void);

/* ---- timers (timer.c) ---- */
void timer_insert(vt_thread_t *t);
void timer_remove(vt_thread_t *t);
/** The alarm fired: wake the threads whose deadline passed, re-arm. */
void timers_due(void);

/* ---- vt_offload()'s executor: kernel/offload_cpu.c on one-core ports,
 * the port's own on the others (arch/host/offload.c: OS threads) ---- */
/** Before the first job is queued (thread context): 0, or VT_ENOMEM when
 *  the background's storage (stack, OS threads) could not be had. */
int bg_start(void);
/** A job was queued (thread context). */
void bg_notify(void);
/** In a background context, with no job queued: return when one may be. */
void bg_wait(void);
/** Executor figures for vt_offload_stats(). */
void bg_stats(vt_offload_stats_t *s);
/** (offload.c) What every background context runs: take jobs, run them. */
void bg_main(void) __attribute__((noreturn));
/** (offload.c) A job is queued (read by the executor). */
int bg_queued(void);

/* ---- interrupt work (isr.c) ---- */

/** Post @p w with @p fn as its function: the body of every `_isr` call
 *  (a zeroed object needs no init: the function comes with the post). An
 *  item is on the FIFO exactly while its count is non-zero, so a post
 *  appends it only the first time; the count saturates rather than wrap to
 *  zero, which would append it twice. A program that offloads learns of
 *  the post (offload_kick_isr): a background job it interrupted yields to
 *  the threads; in the others the weak symbol's address is 0, one test. */
static ALWAYS_INLINE void work_post(vt_work_t *w, vt_work_fn_t fn)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t c = w->count;
    if (c == 0) {
        w->fn = fn;
        w->next = NULL;
        *vt_kernel.work_tailp = w;
        vt_kernel.work_tailp = &w->next;
    }
    if (c != UINT32_MAX)
        w->count = c + 1u;
    vt_kernel.pending = 1;
    if (offload_kick_isr != NULL)
        offload_kick_isr(); /* preempt a background job: a thread may wake */
    arch_irq_restore(s);
}

#endif /* VT_KERNEL_KERNEL_H */
