/* SPDX-License-Identifier: MIT */
/**
 * @file vt/thread.h
 * @brief Virtual threads, time, errors: the core of the vthread kernel.
 *
 * vthread is cooperative: a thread runs until it blocks, yields or exits.
 * Nothing here may be called from an interrupt handler except the calls
 * whose names end in `_isr` (see vt/sync.h). Debug builds
 * (VT_CONFIG_DEBUG) stop with a report when a thread-only call is made from
 * an interrupt.
 */
#ifndef VT_THREAD_H
#define VT_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "vt/checks.h"
#include "vt/error.h"

/* The port's sizes (arch_frame.h, read by vt/config.h): the switch frame
 * sizes thread stacks. */
#ifndef VT_ARCH_CONTEXT_BYTES
#error "the port's arch_frame.h must define VT_ARCH_CONTEXT_BYTES"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes and vt_strerror(): vt/error.h (one space for every module). */

/** Milliseconds; kernel time and timeouts. Wraps after 49 days; comparisons
 *  are wrap-safe for intervals below 24 days. */
typedef uint32_t vt_tick_t;

/** Timeout value: wait without limit. */
#define VT_FOREVER ((vt_tick_t)0xFFFFFFFFu)
/** Timeout value: do not wait (a "try"); the call returns VT_EAGAIN. */
#define VT_NOWAIT ((vt_tick_t)0)

/** @brief Monotonic milliseconds since boot (wraps after 49 days). */
vt_tick_t vt_now_ms(void);
/** @brief Monotonic microseconds since boot. */
uint64_t vt_now_us(void);

/**
 * A deadline: the moment a blocking operation gives up, made once from a
 * timeout and handed to every wait of a loop, so that the loop as a whole
 * keeps to the timeout however often it wakes and waits again. Made from
 * VT_FOREVER or VT_NOWAIT it never reads the clock.
 * @code
 * vt_deadline_t d = vt_deadline_in(timeout);
 * while (!ready(x)) {
 *     int rc = vt_waitq_wait_until(&x->q, &d);  // VT_ETIMEDOUT once d passed
 *     if (rc != 0)
 *         return rc;
 * }
 * @endcode
 */
typedef struct vt_deadline {
    vt_tick_t at;      /**< VT_DL_AT: first millisecond at which it has passed */
    uint8_t kind;      /**< VT_DL_AT, VT_DL_NEVER or VT_DL_NOW */
} vt_deadline_t;

#define VT_DL_AT 0     /**< a moment in time (vt_now_ms() clock) */
#define VT_DL_NEVER 1  /**< no limit (made from VT_FOREVER) */
#define VT_DL_NOW 2    /**< do not wait at all (made from VT_NOWAIT): a try */

/** @brief The deadline @p timeout milliseconds from now: at least @p timeout
 *  whole milliseconds (the current one is partly gone, so one more counts).
 *  VT_FOREVER and VT_NOWAIT give deadlines that never and always have
 *  passed, without reading the clock. */
static inline vt_deadline_t vt_deadline_in(vt_tick_t timeout)
{
    vt_deadline_t d;
    d.kind = timeout == VT_FOREVER ? VT_DL_NEVER : timeout == VT_NOWAIT ? VT_DL_NOW : VT_DL_AT;
    d.at = d.kind == VT_DL_AT ? vt_now_ms() + timeout + 1u : 0u;
    return d;
}

/** @brief The deadline at the absolute time @p when (vt_now_ms() clock). */
static inline vt_deadline_t vt_deadline_at(vt_tick_t when)
{
    vt_deadline_t d;
    d.kind = VT_DL_AT;
    d.at = when;
    return d;
}

/** @brief Has @p d passed? (Always for VT_DL_NOW, never for VT_DL_NEVER.) */
static inline int vt_deadline_passed(const vt_deadline_t *d)
{
    return d->kind == VT_DL_AT ? (int32_t)(vt_now_ms() - d->at) >= 0 : d->kind == VT_DL_NOW;
}

/**
 * @brief The timeout to give a call that takes one, so that it ends by @p d:
 * VT_FOREVER for a deadline without limit, VT_NOWAIT (0) once it has passed
 * (or has less than a millisecond left).
 */
static inline vt_tick_t vt_deadline_left(const vt_deadline_t *d)
{
    int32_t left;
    if (d->kind != VT_DL_AT)
        return d->kind == VT_DL_NEVER ? VT_FOREVER : VT_NOWAIT;
    left = (int32_t)(d->at - vt_now_ms()) - 1;
    return left > 0 ? (vt_tick_t)left : VT_NOWAIT;
}

typedef struct vt_thread vt_thread_t;
/** Thread entry: its return value is the thread's exit code. */
typedef int (*vt_entry_t)(void *arg);

/**
 * The thread control block. Its fields are private; it is public only so
 * that applications can allocate it statically. On a 32-bit core it is 48
 * bytes in a release build (VT_CONFIG_DEBUG=0); debug builds add the
 * registry link and the switch count (VT_CONFIG_REGISTRY,
 * VT_CONFIG_THREAD_STATS): 56 bytes.
 */
struct vt_thread {
    void *sp;                        /**< saved stack pointer: must stay first */
    vt_thread_t *next, *prev;        /**< ready ring or wait queue ring */
    vt_thread_t *hchild, *hsib, *hprev; /**< timer heap links */
    union {
        vt_tick_t deadline;          /**< while in the timer heap */
        int result;                  /**< once woken: what the wait returns */
    } u;
    const char *name;
    union {
        void *wait_obj;              /**< while blocked: queue or thread waited on */
        int exit_code;               /**< once exited */
    } w;
    vt_thread_t *joiner;             /**< thread blocked in join, if any */
    uint8_t state;                   /**< enum in kernel/kernel.h */
    uint8_t flags;
    uint16_t stack_units;            /**< stack size in 8-byte units; a shared-stack
                                          thread whose frames are saved: their length
                                          in 4-byte units (kernel/shared.c) */
    void *stack_lo;                  /**< lowest stack address (guard word); a saved
                                          shared-stack thread: its save area */
#if VT_CONFIG_REGISTRY
    vt_thread_t *reg_next;           /**< list of every created thread */
#endif
#if VT_CONFIG_THREAD_STATS
    uint32_t switches;               /**< times switched in */
#endif
};

/*
 * Link-time check of the options that change the layout of vt_thread_t
 * (VT_CONFIG_DEBUG, VT_CONFIG_REGISTRY, VT_CONFIG_THREAD_STATS): every
 * object that includes this header refers to one symbol per option whose
 * name carries the value it was compiled with, and the kernel library
 * defines the names of its own values (kernel/config.c). An application
 * built with another value than the library then fails to link with, e.g.,
 *   undefined reference to
 *   `vt_config_mismatch_VT_CONFIG_DEBUG_is_1_in_the_application_but_0_in_the_library'
 * instead of running with structs of two sizes. The references sit in a
 * non-allocated section kept from garbage collection ("R"): no byte of the
 * image, no code, and --gc-sections cannot drop them.
 */
#define VT_CONFIG_CHECK_NAME(opt, app, lib) \
    "vt_config_mismatch_" opt "_is_" #app "_in_the_application_but_" #lib "_in_the_library"
/* what an object compiled with a value refers to: "<opt> is <value> in the
 * application but <the other> in the library", the text of a failed link */
#if VT_CONFIG_DEBUG
#define VT_CONFIG_CHECK_DEBUG VT_CONFIG_CHECK_NAME("VT_CONFIG_DEBUG", 1, 0)
#else
#define VT_CONFIG_CHECK_DEBUG VT_CONFIG_CHECK_NAME("VT_CONFIG_DEBUG", 0, 1)
#endif
#if VT_CONFIG_REGISTRY
#define VT_CONFIG_CHECK_REGISTRY VT_CONFIG_CHECK_NAME("VT_CONFIG_REGISTRY", 1, 0)
#else
#define VT_CONFIG_CHECK_REGISTRY VT_CONFIG_CHECK_NAME("VT_CONFIG_REGISTRY", 0, 1)
#endif
#if VT_CONFIG_THREAD_STATS
#define VT_CONFIG_CHECK_STATS VT_CONFIG_CHECK_NAME("VT_CONFIG_THREAD_STATS", 1, 0)
#else
#define VT_CONFIG_CHECK_STATS VT_CONFIG_CHECK_NAME("VT_CONFIG_THREAD_STATS", 0, 1)
#endif
#if VT_CONFIG_LINK_CHECK
__asm__(".pushsection .vt_config_check,\"R\",%progbits\n\t"
        ".long " VT_CONFIG_CHECK_DEBUG "\n\t"
        ".long " VT_CONFIG_CHECK_REGISTRY "\n\t"
        ".long " VT_CONFIG_CHECK_STATS "\n\t"
        ".popsection");
#endif

/** Flags for vt_thread_create(). */
#define VT_THREAD_DETACHED 0x1u  /**< start detached: storage is released at exit */
#define VT_THREAD_SUSPENDED 0x2u /**< start suspended: runs once vt_thread_resume()d */

/** Smallest stack vt_thread_create() accepts, in bytes: VT_CONFIG_STACK_MIN
 *  for the thread's frames, the port's switch frame, alignment slack and,
 *  with VT_CONFIG_MPU_GUARD, room for the guard region. */
#define VT_THREAD_STACK_MIN                                                      \
    ((size_t)VT_CONFIG_STACK_MIN + VT_ARCH_CONTEXT_BYTES + 2u * VT_ARCH_STACK_ALIGN + \
     (VT_CONFIG_MPU_GUARD ? 2u * VT_ARCH_MPU_GUARD_SIZE : 0u))

/**
 * @brief Bytes of stack to give a thread that needs @p need bytes for its
 * own frames: adds the port's saved context, the guard word and, with
 * VT_CONFIG_MPU_GUARD, the guard region with its alignment slack (the
 * region is taken from the bottom of the stack), rounded to 16 bytes.
 * Interrupts never run on thread stacks, so no margin for them.
 */
#define VT_STACK_SIZE(need)                                                          \
    ((((size_t)(need) + VT_ARCH_CONTEXT_BYTES + 8u +                                 \
       (VT_CONFIG_MPU_GUARD ? 2u * VT_ARCH_MPU_GUARD_SIZE : 0u)) + 15u) & ~(size_t)15u)

/** Alignment of the stacks VT_THREAD_STACK_DEFINE() makes: the MPU guard
 *  region's size where the core has one (so the region sits at the stack's
 *  bottom without a gap), else 16 bytes. */
#define VT_THREAD_STACK_ALIGN (VT_ARCH_MPU_GUARD_SIZE > 16 ? VT_ARCH_MPU_GUARD_SIZE : 16)

/**
 * @brief Define a thread stack of @p size bytes (rounded up to
 * VT_THREAD_STACK_ALIGN) in the section of thread stacks, `.bss.vt_stacks`.
 * Every board's linker script places that section below the data and the
 * bss where thread structs live: an overflow then runs into another stack
 * (whose own guard word is below it, intact) or out of RAM, never into a
 * thread struct, so the report names the thread and its size right. The
 * section is not zeroed at reset (vt_thread_create() fills the stack).
 * Prefix `static` as needed; give `sizeof name` to vt_thread_create().
 * @code
 * static vt_thread_t worker;
 * static VT_THREAD_STACK_DEFINE(worker_stack, VT_STACK_SIZE(512));
 * vt_thread_create(&worker, worker_stack, sizeof worker_stack, "worker", fn, NULL, 0);
 * @endcode
 * (The host board has no linker script of its own: there the stacks are
 * ordinary bss, guarded by the guard word.)
 */
#define VT_THREAD_STACK_DEFINE(name, size)                                          \
    uint8_t name[((size_t)(size) + VT_THREAD_STACK_ALIGN - 1u) &                        \
                 ~(size_t)(VT_THREAD_STACK_ALIGN - 1u)]                                \
        __attribute__((section(".bss.vt_stacks"), aligned(VT_THREAD_STACK_ALIGN)))

/**
 * @brief Create a thread in caller-provided storage; it is ready at once.
 * @param t      storage for the control block (not in use by a live thread)
 * @param stack  lowest address of the stack (any alignment; it is aligned inside)
 * @param stack_size bytes of stack (>= VT_CONFIG_STACK_MIN + the port's frame)
 * @param name   shown in dumps and fault reports (kept by pointer), may be NULL
 * @param entry  function to run; its return is the exit code
 * @param arg    passed to @p entry
 * @param flags  0, or VT_THREAD_DETACHED and/or VT_THREAD_SUSPENDED (created
 *               but not run until vt_thread_resume(): a thread that starts later)
 * @return 0; VT_EINVAL (NULL/too small stack, NULL entry, @p t alive);
 *         VT_EOVERLAP (@p t lies inside the stack it is given, or, in
 *         builds with the registry (VT_CONFIG_REGISTRY, the debug default),
 *         the stack overlaps the stack of a live thread)
 */
int vt_thread_create(vt_thread_t *t, void *stack, size_t stack_size, const char *name,
                     vt_entry_t entry, void *arg, unsigned flags);

/**
 * @brief Create a thread whose control block and stack come from the static
 * pool of VT_CONFIG_SPAWN_SLOTS slots of VT_CONFIG_SPAWN_STACK bytes.
 * The slot returns to the pool when the thread is joined, or at exit if it
 * was detached.
 * @param out receives the thread (may be NULL for a detached thread)
 * @return 0, VT_ENOMEM when every slot is in use, VT_EINVAL
 */
int vt_spawn(vt_thread_t **out, const char *name, vt_entry_t entry, void *arg, unsigned flags);

/**
 * @brief Wait until @p t exits, then release it and report its exit code.
 * @return 0; VT_ETIMEDOUT; VT_ECANCELED; VT_EDEADLK (join on self);
 *         VT_EBUSY (another thread is joining it); VT_EINVAL (detached, NULL);
 *         VT_ESRCH (already joined)
 */
int vt_thread_join(vt_thread_t *t, int *exit_code, vt_tick_t timeout);

/** @brief Let @p t release its storage by itself when it exits.
 *  @return 0, VT_EINVAL (already detached), VT_EBUSY (being joined), VT_ESRCH */
int vt_thread_detach(vt_thread_t *t);

/**
 * @brief Ask @p t to stop: if it is blocked in a kernel call, that call
 * returns VT_ECANCELED now; if it is running or ready, its next blocking
 * call returns VT_ECANCELED. The request is delivered once.
 * @return 0, VT_ESRCH (already exited), VT_EINVAL
 */
int vt_thread_cancel(vt_thread_t *t);

/**
 * @brief Stop @p t from running until vt_thread_resume(@p t). A ready thread
 * leaves the ready ring now; the caller itself (@p t = vt_self()) blocks
 * here. A blocked thread stays blocked: its wait goes on (wake-ups and
 * timeouts still end it), but when it ends the thread stays suspended, and
 * its call returns once the thread is resumed. Not counted: one resume
 * undoes any number of suspends. A cancel request reaches a suspended
 * thread after its resume. Costs nothing on the yield path.
 * @return 0; VT_ECANCELED (suspending oneself with a cancel pending);
 *         VT_ESRCH (exited or free); VT_EPERM (oneself outside a vthread);
 *         VT_EINVAL (NULL)
 */
int vt_thread_suspend(vt_thread_t *t);

/**
 * @brief Let a suspended thread (vt_thread_suspend(), or created with
 * VT_THREAD_SUSPENDED) run again: it goes to the end of the ready ring, or,
 * if it is still blocked, goes on waiting as if never suspended.
 * @return 0; VT_EINVAL (NULL, or not suspended); VT_ESRCH (exited or free)
 */
int vt_thread_resume(vt_thread_t *t);

/** @brief Let every other ready thread run once, then continue. */
void vt_yield(void);

/**
 * @brief A time slice for long computations: a loop that may run longer than
 * other threads can wait (and than VT_CONFIG_HOG_MS) calls vt_slice_yield()
 * in every iteration; it yields once @p ms milliseconds have passed since the
 * slice began or last yielded.
 * @code
 * vt_slice_t s;
 * vt_slice_begin(&s, 5);
 * for (i = 0; i < n; i++) {
 *     crunch(i);
 *     vt_slice_yield(&s);   // at most 5 ms without letting others run
 * }
 * @endcode
 */
typedef struct {
    vt_tick_t start;  /**< when the slice began */
    vt_tick_t ms;     /**< its length */
} vt_slice_t;

/** @brief Begin a slice of @p ms milliseconds (see vt_slice_t). */
static inline void vt_slice_begin(vt_slice_t *s, vt_tick_t ms)
{
    s->ms = ms;
    s->start = vt_now_ms();
}

/** @brief Yield if the slice is used up, then begin the next one.
 *  @return 1 when it yielded, 0 otherwise */
static inline int vt_slice_yield(vt_slice_t *s)
{
    if ((vt_tick_t)(vt_now_ms() - s->start) < s->ms)
        return 0;
    vt_yield();
    s->start = vt_now_ms();
    return 1;
}

/**
 * @brief Yield every @p n calls: for loops whose iterations take a known,
 * short time, without reading the clock. @p count is the caller's counter
 * (start it at 0). @return 1 when it yielded, 0 otherwise
 */
static inline int vt_yield_every(unsigned *count, unsigned n)
{
    if (++*count < n)
        return 0;
    *count = 0;
    vt_yield();
    return 1;
}

/** @brief Sleep at least @p ms milliseconds; VT_FOREVER sleeps until the
 *  thread is cancelled. @return 0 or VT_ECANCELED */
int vt_sleep(vt_tick_t ms);

/** @brief Sleep until vt_now_ms() reaches @p deadline. @return 0 or VT_ECANCELED */
int vt_sleep_until(vt_tick_t deadline);

/** @brief End the calling thread with @p code (same as returning it). */
void vt_exit(int code) __attribute__((noreturn));

/** @brief The calling thread, or NULL outside any vthread. */
vt_thread_t *vt_self(void);

/** @brief A thread's name ("?" when it has none). */
const char *vt_thread_name(const vt_thread_t *t);

/** @brief Bytes of stack @p t has ever used (high-water mark, needs
 *  VT_CONFIG_STACK_FILL; otherwise returns 0). */
size_t vt_thread_stack_used(const vt_thread_t *t);

/** @brief Bytes of stack @p t was given. */
size_t vt_thread_stack_size(const vt_thread_t *t);

/**
 * @brief Run the scheduler from main() until no created thread is alive
 * (exited threads waiting to be joined do not count). The caller's context
 * serves as the idle loop: when nothing is ready it waits for an interrupt
 * until the next deadline (tickless). May be called again afterwards.
 * @return 0, or VT_EPERM when called from a vthread
 */
int vt_run(void);

/** @brief Number of threads created and not yet exited. */
unsigned vt_thread_count(void);

/** @brief Total context switches since boot, counted in builds with
 *  VT_CONFIG_THREAD_STATS (the debug default) or the CPU-hog detector;
 *  0 otherwise (the yield path of a release build has no counter). */
uint32_t vt_switch_count(void);

/**
 * @brief Print every thread: name, state, what it waits on (object kind and
 * address, thread joined, or "sleep until"), deadline, stack used/size
 * (high-water mark), switches. Lists every thread with VT_CONFIG_REGISTRY
 * (the debug default), otherwise the ready ones and a count of the others.
 * Callable from threads, main, interrupt and fault handlers; the kernel calls
 * it on every panic, assertion, stack overflow, fault and CPU-hog abort.
 */
void vt_dump(void);
/** @brief vt_dump() into @p put, one line (with its newline) per call; @p put
 *  must not block (the thread list is walked while it runs). */
void vt_dump_to(void (*put)(void *ctx, const char *s), void *ctx);

/** @brief Stop the system with a report (message, current thread) and exit code 1. */
void vt_panic(const char *msg) __attribute__((noreturn));

/** @brief Report a failed assertion with file, line and thread, then stop. */
void vt_assert_fail(const char *file, int line, const char *expr) __attribute__((noreturn));

/** Assert that stays in every build (kernel invariants, test harness). */
#define VT_ASSERT(cond) ((cond) ? (void)0 : vt_assert_fail(__FILE__, __LINE__, #cond))

#ifdef __cplusplus
}
#endif
#endif /* VT_THREAD_H */
