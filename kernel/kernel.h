/**
 * @file kernel/kernel.h
 * @brief Private kernel interface shared by the kernel's .c files.
 */
#ifndef VT_KERNEL_KERNEL_H
#define VT_KERNEL_KERNEL_H

#include "vt/vt.h"
#include "port.h"

/** Thread states. Blocked states lie between S_BLOCKED_FIRST and S_BLOCKED_LAST
 *  and name what the thread waits on (used by vt_dump()). */
enum {
    S_FREE = 0,      /* storage unused (never created, or joined) */
    S_READY,         /* in the ready ring (includes the running thread) */
    S_SLEEP,         /* vt_sleep: timer only */
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
    S_EXITED,        /* exited, waiting to be joined */
};
#define S_BLOCKED_FIRST S_SLEEP
#define S_BLOCKED_LAST S_WAITQ

/** Thread flags. */
enum {
    F_DETACHED = 0x01,
    F_CANCEL = 0x02,   /* cancel requested, not yet delivered */
    F_TIMER = 0x04,    /* in the timer heap */
    F_SPAWNED = 0x08,  /* storage from the vt_spawn() pool */
    F_SHARED = 0x10,   /* runs on a shared run stack (shared.c) */
};

/* Shared-stack threads (kernel/shared.c) reach the rest of the kernel only
 * through these hooks, set when the first run stack is made: a program that
 * never uses them does not link shared.c (nor its copier stack). */
struct shared_hooks {
    void (*release)(vt_thread_t *t);              /* storage released */
    void (*check_ptr)(const void *p, size_t len); /* debug: pointer rule */
    /* a suspended thread whose frames are in a save area: its run stack's
     * size, that stack's high-water mark, the save area's size */
    void (*stack_info)(const vt_thread_t *t, size_t *size, size_t *used, size_t *saved);
    void (*stats)(vt_shared_stats_t *s);
};

/** Guard word at the low end of every stack. */
#define STACK_GUARD 0x5AFEC0DEu
/** Fill byte for unused stack. */
#define STACK_FILL 0xA5u

/** The poison value of a destroyed wait queue. */
#define WQ_DEAD ((vt_thread_t *)(uintptr_t)1)

struct kernel {
    vt_thread_t *current;      /* running thread; the ready ring's anchor */
    volatile uint8_t pending;  /* set by ISRs: deferred work or alarm */
    uint8_t in_thread;         /* a vthread runs (not main/idle) */
    uint32_t alive;            /* created and not exited */
    uint32_t switches;
    vt_thread_t *timers;       /* root of the timer pairing heap */
    vt_tick_t armed;           /* deadline the alarm is set for */
    uint8_t alarm_on;          /* armed is valid */
    vt_isr_work_t *volatile isr_list;
    void *idle_sp;             /* vt_run()'s saved context */
    vt_thread_t *overflowed;   /* thread whose stack guard was found broken */
    uint32_t passes;           /* yields with nobody else ready (CPU-hog detector) */
    vt_thread_t *registry;     /* every created thread (VT_CONFIG_REGISTRY) */
    const struct shared_hooks *shared; /* NULL until a run stack exists */
};
extern struct kernel k;

/** Debug-build check that a thread-only call is not made from an ISR. */
#define ASSERT_THREAD_CONTEXT()                                                   \
    do {                                                                          \
        if (VT_CONFIG_DEBUG && arch_in_isr())                                     \
            vt_panic("thread-only kernel call made from an interrupt handler"); \
    } while (0)

/* ---- hardware stack guard (VT_CONFIG_MPU_GUARD) ---- */
#ifndef VT_ARCH_MPU_GUARD_SIZE
#define VT_ARCH_MPU_GUARD_SIZE 0 /* the port has no hardware guard region */
#endif
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
void wq_push(vt_waitq_t *q, vt_thread_t *t);
vt_thread_t *wq_pop(vt_waitq_t *q);
void wq_remove(vt_waitq_t *q, vt_thread_t *t);

/**
 * Block the running thread in @p state (waiting on queue @p q, which may be
 * NULL for sleep/join; @p obj is what the dump shows) until woken or until
 * @p timeout ms pass. Returns what the waker passed (0 or an error),
 * VT_ETIMEDOUT, VT_ECANCELED, or VT_EAGAIN when @p timeout is VT_NOWAIT.
 */
int block(vt_waitq_t *q, uint8_t state, void *obj, vt_tick_t timeout);
/** Take a blocked thread off whatever it waits on (not the timer heap). */
void unwait(vt_thread_t *t);
/** Make @p t ready with @p result as its wait's return (t already off any queue). */
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
        if (VT_CONFIG_DEBUG && k.shared != NULL)                                  \
            k.shared->check_ptr((p), (len));                                      \
    } while (0)

/** An object's first check (destroyed?), so also where debug builds catch a
 *  pointer into another thread's shared-stack frames, before it is read. */
static inline int wq_dead(const vt_waitq_t *q)
{
    SHARED_CHECK_PTR(q, sizeof *q);
    return q->head == WQ_DEAD;
}

/** Count a newly created thread and make it ready (sched.c). */
void thread_admit(vt_thread_t *t);

/* ---- timers (timer.c) ---- */
void timer_insert(vt_thread_t *t);
void timer_remove(vt_thread_t *t);
void timers_expire(vt_tick_t now);

/* ---- ISR-deferred work ---- */
enum { ISR_SEM = 1, ISR_EVENT = 2 };
void isr_work_post(vt_isr_work_t *w, uint8_t kind);
void isr_work_run(void);

#endif /* VT_KERNEL_KERNEL_H */
