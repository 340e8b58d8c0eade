/* SPDX-License-Identifier: MIT */
/**
 * @file tests/kernel_suite.c
 * @brief The kernel test suite: the same source on the host and every board.
 */
#include <stdint.h>
#include <stdlib.h>

#include "arch_cpu.h" /* VT_ARCH_STACK_ALIGN */
#include "board.h"
#include "harness.h"

/* sanitizers make frames several times larger; so does -O0 (every local
 * in memory, nothing inlined): a Debug build passes the same suite */
#if defined(__SANITIZE_ADDRESS__)
#define STACK_EXTRA 16384  /* ASan's interceptors use deep frames */
#elif !defined(__OPTIMIZE__)
#define STACK_EXTRA 256
#else
#define STACK_EXTRA 0
#endif

/* the hardware stack guard takes up to two guard regions of each stack */
#if VT_CONFIG_MPU_GUARD
#define MPU_GUARD_BYTES (2 * VT_ARCH_MPU_GUARD_SIZE)
#else
#define MPU_GUARD_BYTES 0
#endif

#ifndef MANY_THREADS
#if defined(VT_TEST_TINY_RAM) /* 16 KB boards: what the heap holds after the rest */
#define MANY_THREADS (STACK_EXTRA ? 5 : 20) /* -O0: bigger stacks, fewer of them */
#define MANY_STACK VT_STACK_SIZE(96 + STACK_EXTRA)
#elif defined(VT_TEST_SMALL_RAM)
#define MANY_THREADS 1000
#define MANY_STACK (320 + STACK_EXTRA)
#else
#define MANY_THREADS 10000
#define MANY_STACK (2048 + STACK_EXTRA)
#endif
#endif

/* true when deadline d has not been reached yet */
static int before_now(vt_tick_t d) { return (int32_t)(vt_now_ms() - d) < 0; }

#ifdef VT_TEST_TINY_RAM
/* the threads below print only when a check fails */
#define STK (320 + MPU_GUARD_BYTES + STACK_EXTRA)
#define SLEEPERS (STACK_EXTRA ? 4 : 15)
/* a sleeper's own frames, and the deepest scheduling point under them:
 * timers expired, the board's clock read (64-bit division on the M0) */
#define SLEEPER_STACK VT_STACK_SIZE(240 + STACK_EXTRA)
#define POOL_STACK (256 + MPU_GUARD_BYTES + STACK_EXTRA)
#else
#define STK (2048 + STACK_EXTRA)
#define SLEEPERS 200
#define SLEEPER_STACK VT_STACK_SIZE(256 + STACK_EXTRA)
#define POOL_STACK (1024 + STACK_EXTRA)
#endif
#define NSTK 4 /* th[0..3]: the most any case starts at once */
static vt_thread_t th[NSTK];
static uint8_t stk[NSTK][STK] __attribute__((aligned(16)));

#ifdef TEST_SHARED_STACKS
/* Shared mode (kernel_suite_shared): every thread a case creates with a
 * caller stack runs instead on one of NGROUP run stacks, taken in turn, so
 * threads of one group copy each other out and back (the stack memory the
 * case gives is left unused; run stacks are stk[0..NGROUP-1]). */
#define NGROUP 3
static vt_runstack_t grp[NGROUP];
static unsigned grp_next;

static int create_thread(vt_thread_t *t, void *stack, size_t size, const char *name,
                         vt_entry_t fn, void *arg, unsigned flags)
{
    vt_runstack_t *rs = &grp[grp_next++ % NGROUP];
    (void)stack, (void)size;
    if (rs->lo == NULL && vt_runstack_init(rs, stk[rs - grp], STK) != 0)
        return VT_EINVAL;
    return vt_thread_create_shared(t, rs, name, fn, arg, flags);
}
#define CALLER_STACKS(n, size) 16 /* the cases' stack memory goes unused */
#else
#define create_thread vt_thread_create
#define CALLER_STACKS(n, size) ((size_t)(n) * (size))
#endif

static int spawn(int i, const char *name, vt_entry_t fn, void *arg)
{
    int rc = create_thread(&th[i], stk[i], STK, name, fn, arg, 0);
    CHECK_EQ(rc, 0);
    return rc;
}

static void join_all(int n)
{
    for (int i = 0; i < n; i++) {
        int code = -99;
        CHECK_EQ(vt_thread_join(&th[i], &code, VT_FOREVER), 0);
    }
}

/* ------------------------------------------------------------ scheduling */

static int yielder(void *arg)
{
    char c = (char)(uintptr_t)arg;
    for (int i = 0; i < 3; i++) {
        tok(c);
        vt_yield();
    }
    return 0;
}

static int case_yield_order(void *unused)
{
    spawn(0, "a", yielder, (void *)'a');
    spawn(1, "b", yielder, (void *)'b');
    spawn(2, "c", yielder, (void *)'c');
    tok('M');
    vt_yield();  /* a b c run once each, then us */
    tok('M');
    join_all(3);
    CHECK_TOKENS("MabcMabcabc");
    return 0;
}

static int ret_arg(void *arg) { return (int)(intptr_t)arg; }

static int case_exit_codes(void *unused)
{
    int code = 0;
    spawn(0, "r42", ret_arg, (void *)42);
    spawn(1, "rneg", ret_arg, (void *)-7);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, 42);
    CHECK_EQ(vt_thread_join(&th[1], &code, VT_FOREVER), 0);
    CHECK_EQ(code, -7);
    CHECK_EQ(vt_thread_join(&th[1], &code, VT_FOREVER), VT_ESRCH); /* double join */
    return 0;
}

static int exit_early(void *arg)
{
    vt_exit(5);
}

static int sleeper(void *arg)
{
    return vt_sleep((vt_tick_t)(uintptr_t)arg) == 0 ? 0 : 1;
}

static int joiner_of_0(void *arg)
{
    int code = 0;
    int rc = vt_thread_join(&th[0], &code, VT_FOREVER);
    *(int *)arg = rc;
    return 0;
}

static int case_join_errors(void *unused)
{
    int code = 0, second = 1;
    CHECK_EQ(vt_thread_join(vt_self(), &code, VT_FOREVER), VT_EDEADLK);
    CHECK_EQ(vt_thread_join(NULL, &code, VT_FOREVER), VT_EINVAL);
    spawn(0, "slow", sleeper, (void *)50);
    CHECK_EQ(vt_thread_join(&th[0], &code, 5), VT_ETIMEDOUT);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_NOWAIT), VT_EAGAIN);
    spawn(1, "joiner", joiner_of_0, &second);
    vt_yield();  /* joiner now waits on th[0] */
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), VT_EBUSY);
    CHECK_EQ(vt_thread_join(&th[1], &code, VT_FOREVER), 0);
    CHECK_EQ(second, 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), VT_ESRCH); /* joined by the other */
    spawn(2, "exit5", exit_early, NULL);
    CHECK_EQ(vt_thread_join(&th[2], &code, VT_FOREVER), 0);
    CHECK_EQ(code, 5);
    return 0;
}

static int case_detach(void *unused)
{
    spawn(0, "det", sleeper, (void *)5);
    CHECK_EQ(vt_thread_detach(&th[0]), 0);
    CHECK_EQ(vt_thread_detach(&th[0]), VT_EINVAL);
    CHECK_EQ(vt_thread_join(&th[0], NULL, VT_FOREVER), VT_EINVAL);
    CHECK_EQ(vt_sleep(20), 0);
    /* storage was released at exit: it can be used again */
    CHECK_EQ(vt_thread_detach(&th[0]), VT_ESRCH);
    spawn(0, "again", ret_arg, (void *)0);
    vt_yield();
    /* detaching an exited thread frees it */
    CHECK_EQ(vt_thread_detach(&th[0]), 0);
    CHECK_EQ(vt_thread_join(&th[0], NULL, VT_NOWAIT), VT_ESRCH);
    return 0;
}

static int case_spawn_pool(void *unused)
{
    vt_thread_t *t[VT_CONFIG_SPAWN_SLOTS + 1];
    int n = 0, rc, code;
    while ((rc = vt_spawn(&t[n], "pooled", ret_arg, (void *)(intptr_t)n, 0)) == 0)
        n++;
    CHECK_EQ(rc, VT_ENOMEM);
    CHECK_EQ(n, VT_CONFIG_SPAWN_SLOTS);
    for (int i = 0; i < n; i++) {
        CHECK_EQ(vt_thread_join(t[i], &code, VT_FOREVER), 0);
        CHECK_EQ(code, i);
    }
    CHECK_EQ(vt_spawn(&t[0], "again", ret_arg, NULL, 0), 0);
    CHECK_EQ(vt_thread_join(t[0], NULL, VT_FOREVER), 0);
    CHECK_EQ(vt_spawn(NULL, "detached", ret_arg, NULL, VT_THREAD_DETACHED), 0);
    return 0;
}

static int case_bad_create(void *unused)
{
    static vt_thread_t t;
    static uint8_t s[512 + STACK_EXTRA] __attribute__((aligned(16))); /* room for an overlap */
    CHECK_EQ(vt_thread_create(&t, NULL, sizeof s, "x", ret_arg, NULL, 0), VT_EINVAL);
    CHECK_EQ(vt_thread_create(&t, s, 16, "x", ret_arg, NULL, 0), VT_EINVAL);
    CHECK_EQ(vt_thread_create(&t, s, VT_THREAD_STACK_MIN - 1, "x", ret_arg, NULL, 0), VT_EINVAL);
    CHECK_EQ(vt_thread_create(&t, s + 1, 200, "x", ret_arg, NULL, 0), VT_EINVAL);
    CHECK_EQ(vt_thread_create(&t, s, sizeof s, "x", NULL, NULL, 0), VT_EINVAL);
    CHECK_EQ(vt_thread_create(NULL, s, sizeof s, "x", ret_arg, NULL, 0), VT_EINVAL);
    CHECK_EQ(vt_thread_create(&t, s, sizeof s, "x", ret_arg, NULL, 0x80), VT_EINVAL);
    CHECK_EQ(vt_thread_create(&t, s, sizeof s, "x", ret_arg, NULL, 0), 0);
    /* the same storage while the thread is alive */
    CHECK_EQ(vt_thread_create(&t, s, sizeof s, "y", ret_arg, NULL, 0), VT_EINVAL);
    {
        /* another thread on (part of) the live thread's stack: refused in
         * builds with the registry (the debug default) */
        static vt_thread_t t2;
        int want = VT_CONFIG_REGISTRY ? VT_EOVERLAP : 0;
        int rc = vt_thread_create(&t2, s + 64, sizeof s - 64, "z", ret_arg, NULL, 0);
        CHECK_EQ(rc, want);
        if (rc == 0)
            CHECK_EQ(vt_thread_join(&t2, NULL, VT_FOREVER), 0);
    }
    CHECK_EQ(vt_thread_join(&t, NULL, VT_FOREVER), 0);
    {
        /* a thread struct inside the stack it is given: refused in every build */
        static uint8_t both[sizeof(vt_thread_t) + 256 + STACK_EXTRA] __attribute__((aligned(16)));
        CHECK_EQ(vt_thread_create((vt_thread_t *)(void *)both, both, sizeof both, "in", ret_arg,
                                  NULL, 0), VT_EOVERLAP);
        /* the joined thread's stack is free again */
        CHECK_EQ(vt_thread_create(&t, s, sizeof s, "x2", ret_arg, NULL, 0), 0);
        CHECK_EQ(vt_thread_join(&t, NULL, VT_FOREVER), 0);
    }
    {
        /* a stack in the section of stacks: aligned for the MPU region and,
         * on the boards with a linker script of their own, below the bss
         * where thread structs live (the host's default script mixes them) */
        static VT_THREAD_STACK_DEFINE(sec_stack, 256 + STACK_EXTRA);
        static vt_thread_t sec_t;
        CHECK((uintptr_t)sec_stack % VT_THREAD_STACK_ALIGN == 0);
#if !defined(__linux__)
        CHECK((uintptr_t)sec_stack + sizeof sec_stack <= (uintptr_t)&sec_t);
#endif
        CHECK_EQ(vt_thread_create(&sec_t, sec_stack, sizeof sec_stack, "sec", ret_arg, NULL, 0), 0);
        CHECK_EQ(vt_thread_join(&sec_t, NULL, VT_FOREVER), 0);
    }
    CHECK(strcmp(vt_strerror(VT_EOVERLAP),
                 "stack overlaps a live thread's stack or the thread's own struct") == 0);
    CHECK(strcmp(vt_strerror(VT_ETIMEDOUT), "timed out") == 0);
    CHECK(strcmp(vt_strerror(12345), "unknown error") == 0);
    /* one error space: every code in use has its own text, network ones too,
     * even in a firmware without the network library */
    for (int e = VT_ETIMEDOUT; e >= VT_ERR_TLS_LAST; e--)
        if (e >= VT_ERR_KERNEL_LAST || (e <= VT_ECONNRESET && e >= VT_ERR_NET_LAST) ||
            e <= VT_ERR_TLS_FIRST)
            CHECK(strcmp(vt_strerror(e), "unknown error") != 0);
    CHECK(strcmp(vt_strerror(VT_ECONNRESET), "connection reset by peer") == 0);
    CHECK(strcmp(vt_strerror(VT_ETLS_EXPIRED), "server certificate expired or not yet valid") == 0);
    CHECK(strcmp(vt_strerror(VT_ERR_KERNEL_LAST - 1), "unknown error") == 0);
    CHECK(strcmp(vt_strerror(VT_ERR_NET_LAST - 1), "unknown error") == 0);
    CHECK(strcmp(vt_strerror(VT_ERR_TLS_LAST - 1), "unknown error") == 0);
    CHECK(strcmp(vt_strerror(-2147483647 - 1), "unknown error") == 0);
    return 0;
}

/* stack alignment inside new threads: the ABI's (AAPCS 8, RISC-V and x86-64
 * 16) whatever the size of the stack given */
#include <stdarg.h>

static __attribute__((noinline)) double vsum(int n, ...)
{
    va_list ap;
    double sum = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        sum += va_arg(ap, double);
        sum += (double)va_arg(ap, long long);
    }
    va_end(ap);
    return sum;
}

static int aligned_body(void *arg)
{
    _Alignas(VT_ARCH_STACK_ALIGN) volatile char probe[VT_ARCH_STACK_ALIGN];
    int ok = ((uintptr_t)probe % VT_ARCH_STACK_ALIGN) == 0;
    /* doubles and 64-bit integers through varargs (8-byte slots) */
    ok = ok && vsum(3, 1.5, 10000000000LL, 2.25, -3LL, 0.25, 7LL) == 10000000008.0;
    return ok ? 0 : 1;
}

#ifdef VT_TEST_TINY_RAM
#define ALIGN_NEED (192 + STACK_EXTRA)
#else
#define ALIGN_NEED (512 + STACK_EXTRA)
#endif

static int case_stack_alignment(void *unused)
{
    /* from the heap, given back at the end: 16 KB boards need it later */
    uint8_t(*s)[VT_STACK_SIZE(ALIGN_NEED) + 48] = malloc(4 * sizeof *s); /* 8-aligned */
    static const size_t sizes[4] = {VT_STACK_SIZE(ALIGN_NEED), VT_STACK_SIZE(ALIGN_NEED) + 8,
                                    VT_STACK_SIZE(ALIGN_NEED) + 20,
                                    VT_STACK_SIZE(ALIGN_NEED) + 36};
    static vt_thread_t t[4];
    if (s == NULL) {
        printf("  no memory for the stacks\n");
        return 1;
    }
    for (int i = 0; i < 4; i++) {
        int code = -1;
        /* stacks that start 8 bytes in and end at odd sizes */
        CHECK_EQ(vt_thread_create(&t[i], s[i] + (i & 1) * 8, sizes[i] - (i & 1) * 8, "align",
                                  aligned_body, NULL, 0), 0);
        CHECK_EQ(vt_thread_join(&t[i], &code, VT_FOREVER), 0);
        CHECK_EQ(code, 0);
    }
    free(s);
    return 0;
}

/* ------------------------------------------------------------------ time */

static int tok_sleeper(void *arg)
{
    uintptr_t v = (uintptr_t)arg;
    vt_sleep((vt_tick_t)(v >> 8));
    tok((char)(v & 0xFF));
    return 0;
}

static int case_sleep_order(void *unused)
{
    vt_tick_t t0 = vt_now_ms();
    uint64_t u0 = vt_now_us();
    spawn(0, "s30", tok_sleeper, (void *)((30u << 8) | 'c'));
    spawn(1, "s10", tok_sleeper, (void *)((10u << 8) | 'a'));
    spawn(2, "s20", tok_sleeper, (void *)((20u << 8) | 'b'));
    spawn(3, "s0", tok_sleeper, (void *)((0u << 8) | '0'));
    join_all(4);
    CHECK_TOKENS("0abc");
    CHECK(vt_now_ms() - t0 >= 30);
    CHECK(vt_now_us() - u0 >= 30000);
    t0 = vt_now_ms();
    CHECK_EQ(vt_sleep_until(t0 + 15), 0);
    CHECK(vt_now_ms() - t0 >= 15);
    CHECK(!(vt_now_ms() - t0 > 5000));
    return 0;
}

static vt_tick_t order_base;
static vt_tick_t woke_order[SLEEPERS];
static unsigned nwoke, nlate;
static vt_event_t order_gate;
static const void *order_last; /* the sleeper that ran last */

static int deadline_sleeper(void *arg)
{
    vt_tick_t d = (vt_tick_t)(uintptr_t)arg;
    int late;
    /* Every sleeper waits at the gate, so the time spent creating them all
     * does not eat into the head start of the deadlines. */
    CHECK_EQ(vt_event_wait(&order_gate), 0);
    /* A sleeper whose deadline passed before it slept wakes at once, ahead
     * of earlier deadlines whose sleepers have not run yet (QEMU without
     * icount runs on the host's clock: a loaded host stretches the start).
     * It is counted apart: one that finds its deadline passed before the
     * call, or that returns from it without any other sleeper having run
     * (the tick moved between the test and the call). */
    order_last = vt_self();
    late = !before_now(order_base + d);
    CHECK_EQ(vt_sleep_until(order_base + d), 0);
    CHECK(!before_now(order_base + d));
    if (late || order_last == vt_self())
        nlate++;
    else
        woke_order[nwoke++] = d;
    order_last = vt_self();
    return 0;
}

static int case_many_sleepers_order(void *unused)
{
    /* 200 sleepers (24 on 16 KB boards) with scrambled deadlines wake in
     * deadline order. Storage from the heap, which later cases reuse. */
    enum { N = SLEEPERS };
    vt_thread_t *t = calloc(N, sizeof *t);
    uint8_t *s = malloc(CALLER_STACKS(N, SLEEPER_STACK));
    if (t == NULL || s == NULL) {
        printf("  no memory for %u sleepers\n", (unsigned)N);
        free(t), free(s);
        return 1;
    }
    nwoke = nlate = 0;
    CHECK_EQ(vt_event_init(&order_gate), 0);
    for (unsigned i = 0; i < N; i++) {
        unsigned d = (i * 7919u) % N;  /* a permutation of 0..N-1 */
        CHECK_EQ(create_thread(&t[i], s + (size_t)i * SLEEPER_STACK, SLEEPER_STACK, "z",
                                  deadline_sleeper, (void *)(uintptr_t)(d + 1), 0), 0);
    }
    vt_sleep(1); /* all of them at the gate */
    order_base = vt_now_ms() + 20;
    CHECK_EQ(vt_event_set(&order_gate), 0);
    {
        size_t deepest = 0;
        while (nwoke + nlate < N) /* all exited, none joined yet */
            vt_sleep(1);
        for (unsigned i = 0; i < N; i++)
            if (vt_thread_stack_used(&t[i]) > deepest)
                deepest = vt_thread_stack_used(&t[i]);
        /* the sleep path's depth: the guard word catches a stack too small */
        printf("  deepest sleeper stack: %u of %u bytes\n", (unsigned)deepest,
               (unsigned)SLEEPER_STACK);
    }
    for (unsigned i = 0; i < N; i++)
        CHECK_EQ(vt_thread_join(&t[i], NULL, VT_FOREVER), 0);
    CHECK_EQ(nwoke + nlate, N);
    CHECK(nlate < N / 2); /* most of them tested something */
    CHECK_EQ(vt_event_destroy(&order_gate), 0);
    for (unsigned i = 1; i < nwoke; i++)
        CHECK(woke_order[i - 1] < woke_order[i]);
    if (nlate > 0)
        printf("  %u of %u sleepers started after their deadline\n", nlate, (unsigned)N);
    free(t);
    free(s);
    return 0;
}

/* ----------------------------------------------------------------- mutex */

static vt_mutex_t mtx;

static int locker(void *arg)
{
    char c = (char)(uintptr_t)arg;
    CHECK_EQ(vt_mutex_lock(&mtx), 0);
    tok(c);
    vt_yield();
    tok(c);
    CHECK_EQ(vt_mutex_unlock(&mtx), 0);
    return 0;
}

static int try_unlock(void *arg)
{
    return vt_mutex_unlock(&mtx);
}

static int lock_result(void *arg)
{
    int rc = vt_mutex_lock_timeout(&mtx, (vt_tick_t)(uintptr_t)arg);
    if (rc == 0)
        vt_mutex_unlock(&mtx);
    return rc;
}

static int case_mutex(void *unused)
{
    int code;
    CHECK_EQ(vt_mutex_init(&mtx), 0);
    CHECK_EQ(vt_mutex_lock(&mtx), 0);
    CHECK_EQ(vt_mutex_lock(&mtx), VT_EDEADLK);
    spawn(0, "a", locker, (void *)'a');
    spawn(1, "b", locker, (void *)'b');
    vt_yield();  /* both queue up behind us */
    tok('M');
    spawn(2, "thief", try_unlock, NULL);
    CHECK_EQ(vt_thread_join(&th[2], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_EPERM);  /* unlock by a non-owner */
    CHECK_EQ(vt_mutex_unlock(&mtx), 0);
    join_all(2);
    CHECK_TOKENS("Maabb");  /* FIFO hand-over, no barging */
    CHECK_EQ(vt_mutex_unlock(&mtx), VT_EPERM);  /* not locked */
    /* try and timeout */
    CHECK_EQ(vt_mutex_lock(&mtx), 0);
    spawn(0, "try", lock_result, (void *)0);
    spawn(1, "tmo", lock_result, (void *)10);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_EAGAIN);
    CHECK_EQ(vt_thread_join(&th[1], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ETIMEDOUT);
    /* cancel while waiting */
    spawn(0, "cxl", lock_result, (void *)(uintptr_t)VT_FOREVER);
    vt_yield();
    CHECK_EQ(vt_thread_cancel(&th[0]), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECANCELED);
    CHECK_EQ(vt_mutex_destroy(&mtx), VT_EBUSY);
    CHECK_EQ(vt_mutex_unlock(&mtx), 0);
    CHECK_EQ(vt_mutex_destroy(&mtx), 0);
    CHECK_EQ(vt_mutex_lock(&mtx), VT_EINVAL);  /* destroyed */
    CHECK_EQ(vt_mutex_unlock(&mtx), VT_EINVAL);
    CHECK_EQ(vt_mutex_lock(NULL), VT_EINVAL);
    return 0;
}

/* ------------------------------------------------------------- semaphore */

static vt_sem_t sem;

static int sem_taker(void *arg)
{
    int rc = vt_sem_wait_timeout(&sem, (vt_tick_t)(uintptr_t)arg);
    if (rc == 0)
        tok('t');
    return rc;
}

static int case_semaphore(void *unused)
{
    int code;
    CHECK_EQ(vt_sem_init(&sem, -1), VT_EINVAL);
    CHECK_EQ(vt_sem_init(&sem, 2), 0);
    CHECK_EQ(vt_sem_trywait(&sem), 0);
    CHECK_EQ(vt_sem_wait(&sem), 0);
    CHECK_EQ(vt_sem_trywait(&sem), VT_EAGAIN);
    CHECK_EQ(vt_sem_wait_timeout(&sem, 10), VT_ETIMEDOUT);
    spawn(0, "w1", sem_taker, (void *)(uintptr_t)VT_FOREVER);
    spawn(1, "w2", sem_taker, (void *)(uintptr_t)VT_FOREVER);
    vt_yield();
    CHECK_EQ(vt_sem_post(&sem), 0);
    tok('p');
    vt_yield();  /* w1 took the unit; w2 still waits */
    CHECK_EQ(vt_sem_count(&sem), 0);
    CHECK_EQ(vt_sem_trywait(&sem), VT_EAGAIN); /* the unit went to w1, not to us */
    CHECK_EQ(vt_sem_post(&sem), 0);
    join_all(2);
    CHECK_TOKENS("ptt");
    /* cancel and destroy wake waiters */
    spawn(0, "c", sem_taker, (void *)(uintptr_t)VT_FOREVER);
    spawn(1, "d", sem_taker, (void *)(uintptr_t)VT_FOREVER);
    vt_yield();
    CHECK_EQ(vt_thread_cancel(&th[0]), 0);
    CHECK_EQ(vt_sem_destroy(&sem), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECANCELED);
    CHECK_EQ(vt_thread_join(&th[1], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_EINVAL);
    CHECK_EQ(vt_sem_wait(&sem), VT_EINVAL);
    CHECK_EQ(vt_sem_post(&sem), VT_EINVAL);
    return 0;
}

/* ------------------------------------------------------------------ event */

static vt_event_t ev;

static int ev_waiter(void *arg)
{
    int rc = vt_event_wait_timeout(&ev, (vt_tick_t)(uintptr_t)arg);
    tok(rc == 0 ? 'w' : 'x');
    return rc;
}

static int case_event(void *unused)
{
    int code;
    CHECK_EQ(vt_event_init(&ev), 0);
    CHECK_EQ(vt_event_trywait(&ev), VT_EAGAIN);
    CHECK_EQ(vt_event_wait_timeout(&ev, 5), VT_ETIMEDOUT);
    spawn(0, "e1", ev_waiter, (void *)(uintptr_t)VT_FOREVER);
    spawn(1, "e2", ev_waiter, (void *)(uintptr_t)VT_FOREVER);
    spawn(2, "e3", ev_waiter, (void *)(uintptr_t)5);
    CHECK_EQ(vt_thread_join(&th[2], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ETIMEDOUT);
    tok('S');
    CHECK_EQ(vt_event_set(&ev), 0);
    join_all(2);
    CHECK_TOKENS("xSww");
    CHECK(vt_event_is_set(&ev));
    CHECK_EQ(vt_event_wait(&ev), 0);  /* stays set */
    CHECK_EQ(vt_event_clear(&ev), 0);
    CHECK_EQ(vt_event_trywait(&ev), VT_EAGAIN);
    CHECK_EQ(vt_event_destroy(&ev), 0);
    CHECK_EQ(vt_event_wait(&ev), VT_EINVAL);
    return 0;
}

/* -------------------------------------------------------------- condition */

static vt_cond_t cv;
static int cv_ready;

static int cv_waiter(void *arg)
{
    int rc = 0;
    vt_mutex_lock(&mtx);
    while (!cv_ready && rc == 0)
        rc = vt_cond_wait_timeout(&cv, &mtx, (vt_tick_t)(uintptr_t)arg);
    CHECK(mtx.owner == vt_self()); /* mutex held again on every return */
    tok(rc == 0 ? 'w' : 'x');
    vt_mutex_unlock(&mtx);
    return rc;
}

static int case_cond(void *unused)
{
    int code;
    vt_mutex_init(&mtx);
    vt_cond_init(&cv);
    cv_ready = 0;
    CHECK_EQ(vt_cond_wait(&cv, &mtx), VT_EPERM);  /* mutex not held */
    spawn(0, "c1", cv_waiter, (void *)(uintptr_t)VT_FOREVER);
    spawn(1, "c2", cv_waiter, (void *)(uintptr_t)VT_FOREVER);
    spawn(2, "c3", cv_waiter, (void *)(uintptr_t)10);
    CHECK_EQ(vt_thread_join(&th[2], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ETIMEDOUT);
    vt_mutex_lock(&mtx);
    cv_ready = 1;
    CHECK_EQ(vt_cond_signal(&cv), 0);
    vt_mutex_unlock(&mtx);
    vt_yield();
    vt_yield();
    CHECK_TOKENS("xw");
    vt_mutex_lock(&mtx);
    CHECK_EQ(vt_cond_broadcast(&cv), 0);
    vt_mutex_unlock(&mtx);
    join_all(2);
    CHECK_TOKENS("xww");
    /* cancellation: returns ECANCELED with the mutex held */
    cv_ready = 0;
    spawn(0, "c4", cv_waiter, (void *)(uintptr_t)VT_FOREVER);
    vt_yield();
    vt_thread_cancel(&th[0]);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECANCELED);
    CHECK_EQ(vt_cond_destroy(&cv), 0);
    vt_mutex_lock(&mtx);
    CHECK_EQ(vt_cond_wait(&cv, &mtx), VT_EINVAL);
    vt_mutex_unlock(&mtx);
    return 0;
}

/* ---------------------------------------------------------------- channel */

static vt_chan_t ch;
static int chbuf[4];

static int producer(void *arg)
{
    int n = (int)(intptr_t)arg, rc;
    for (int i = 0; i < n; i++) {
        rc = vt_chan_send(&ch, &i);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int consumer(void *arg)
{
    int v, sum = 0, rc, expect = 0;
    while ((rc = vt_chan_recv(&ch, &v)) == 0) {
        CHECK_EQ(v, expect);
        expect++;
        sum += v;
    }
    CHECK_EQ(rc, VT_ECLOSED);
    *(int *)arg = sum;
    return 0;
}

static int recv_one(void *arg)
{
    int v;
    return vt_chan_recv(&ch, &v);
}

static int case_channel(void *unused)
{
    int v = 7, code, sum = -1;
    CHECK_EQ(vt_chan_init(&ch, NULL, 4, 4), VT_EINVAL);
    CHECK_EQ(vt_chan_init(&ch, chbuf, 0, 4), VT_EINVAL);
    CHECK_EQ(vt_chan_init(&ch, chbuf, sizeof(int), 4), 0);
    CHECK_EQ(vt_chan_tryrecv(&ch, &v), VT_EAGAIN);
    CHECK_EQ(vt_chan_recv_timeout(&ch, &v, 5), VT_ETIMEDOUT);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(vt_chan_trysend(&ch, &i), 0);
    CHECK_EQ(vt_chan_trysend(&ch, &v), VT_EAGAIN);
    CHECK_EQ(vt_chan_send_timeout(&ch, &v, 5), VT_ETIMEDOUT);
    CHECK_EQ((int)vt_chan_len(&ch), 4);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(vt_chan_recv(&ch, &v), 0);
        CHECK_EQ(v, i);
    }
    /* producer faster than the buffer: blocks and resumes; FIFO order */
    spawn(0, "prod", producer, (void *)1000);
    spawn(1, "cons", consumer, &sum);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, 0);
    CHECK_EQ(vt_chan_close(&ch), 0);
    CHECK_EQ(vt_thread_join(&th[1], &code, VT_FOREVER), 0);
    CHECK_EQ(sum, 999 * 1000 / 2);
    CHECK_EQ(vt_chan_send(&ch, &v), VT_ECLOSED);
    /* close lets receivers drain first */
    vt_chan_init(&ch, chbuf, sizeof(int), 4);
    v = 1;
    vt_chan_send(&ch, &v);
    v = 2;
    vt_chan_send(&ch, &v);
    vt_chan_close(&ch);
    CHECK_EQ(vt_chan_recv(&ch, &v), 0);
    CHECK_EQ(v, 1);
    CHECK_EQ(vt_chan_recv(&ch, &v), 0);
    CHECK_EQ(v, 2);
    CHECK_EQ(vt_chan_recv(&ch, &v), VT_ECLOSED);
    /* a sender blocked on a full channel is woken by close */
    vt_chan_init(&ch, chbuf, sizeof(int), 1);
    spawn(0, "blocked", producer, (void *)5);
    vt_yield();
    vt_chan_close(&ch);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECLOSED);
    /* destroy wakes a blocked receiver with EINVAL */
    vt_chan_init(&ch, chbuf, sizeof(int), 1);
    spawn(0, "rcv", recv_one, NULL);
    vt_yield();
    CHECK_EQ(vt_chan_destroy(&ch), 0);
    CHECK_EQ(vt_chan_recv(&ch, &v), VT_EINVAL);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_EINVAL);
    return 0;
}

/* ----------------------------------------------------------- cancellation */

static int sleep_long(void *arg)
{
    return vt_sleep(100000);
}

static int busy_then_block(void *arg)
{
    int first, second;
    vt_yield();                    /* cancelled while ready */
    first = vt_sleep(1);           /* sees the cancel */
    second = vt_sleep(1);          /* delivered once only */
    return first == VT_ECANCELED && second == 0 ? 0 : 1;
}

static int case_cancel(void *unused)
{
    int code;
    spawn(0, "sleeper", sleep_long, NULL);
    spawn(1, "busy", busy_then_block, NULL);
    vt_yield();
    CHECK_EQ(vt_thread_cancel(&th[0]), 0);
    CHECK_EQ(vt_thread_cancel(&th[1]), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECANCELED);
    CHECK_EQ(vt_thread_join(&th[1], &code, VT_FOREVER), 0);
    CHECK_EQ(code, 0);
    CHECK_EQ(vt_thread_cancel(&th[1]), VT_ESRCH);
    CHECK_EQ(vt_thread_cancel(NULL), VT_EINVAL);
    /* a joiner can be cancelled */
    spawn(0, "sleeper", sleep_long, NULL);
    spawn(1, "joiner", joiner_of_0, &code);
    vt_yield();
    vt_thread_cancel(&th[1]);
    CHECK_EQ(vt_thread_join(&th[1], NULL, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECANCELED);
    vt_thread_cancel(&th[0]);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    return 0;
}

/* ------------------------------------------------------------------- pool */

VT_POOL_STORAGE(pool, 4, 8, POOL_STACK);
static int job_count;

static int job(void *arg)
{
    vt_sleep((vt_tick_t)((uintptr_t)arg % 3));
    job_count++;
    return ((uintptr_t)arg % 10 == 9) ? -1 : 0;  /* every tenth job fails */
}
VT_POOL_FN(&pool, job)

static int case_pool(void *unused)
{
    int rc;
    job_count = 0;
    CHECK_EQ(VT_POOL_START(pool, "worker"), 0);
    for (uintptr_t i = 0; i < 100; i++)
        CHECK_EQ(job_submit((void *)i), 0);
    CHECK_EQ(vt_pool_wait(&pool, VT_FOREVER), 0);
    CHECK_EQ(job_count, 100);
    CHECK_EQ((int)pool.done, 100);
    /* fill the queue while the workers are busy: try gives EAGAIN */
    for (rc = 0; rc == 0;)
        rc = vt_pool_trysubmit(&pool, job, (void *)1);
    CHECK_EQ(rc, VT_EAGAIN);
    CHECK_EQ(vt_pool_wait(&pool, 10000), 0);
    CHECK_EQ(vt_pool_submit(&pool, NULL, NULL), VT_EINVAL);
    rc = vt_pool_shutdown(&pool);
    CHECK_EQ(rc, 10);  /* ten of the first hundred failed */
    CHECK_EQ(vt_pool_submit(&pool, job, NULL), VT_EINVAL);
    return 0;
}

/* ------------------------------------------------------------------ group */

static int child_ok(void *arg)
{
    vt_sleep((vt_tick_t)(uintptr_t)arg);
    tok('k');
    return 0;
}

static int child_fail(void *arg)
{
    vt_sleep(5);
    tok('f');
    return 7;
}

static int child_forever(void *arg)
{
    int rc = vt_sleep(100000);
    tok(rc == VT_ECANCELED ? 'c' : '?');
    return rc;
}

static int case_group(void *unused)
{
    static vt_group_t g;
    static vt_group_child_t c[4];
    CHECK_EQ(vt_group_init(&g), 0);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(vt_group_spawn(&g, &c[i], stk[i], STK, "ok", child_ok,
                                (void *)(uintptr_t)(i * 2)), 0);
    CHECK_EQ(vt_group_wait(&g, VT_FOREVER), 0);
    CHECK_TOKENS("kkk");
    tok_reset();
    vt_group_init(&g);
    vt_group_spawn(&g, &c[0], stk[0], STK, "f1", child_forever, NULL);
    vt_group_spawn(&g, &c[1], stk[1], STK, "fail", child_fail, NULL);
    vt_group_spawn(&g, &c[2], stk[2], STK, "f2", child_forever, NULL);
    CHECK_EQ(vt_group_wait(&g, VT_FOREVER), 7);
    CHECK_TOKENS("fcc");
    CHECK_EQ(vt_group_spawn(&g, &c[3], stk[3], STK, "late", child_ok, NULL), VT_ECANCELED);
    /* a timeout leaves the children running */
    vt_group_init(&g);
    vt_group_spawn(&g, &c[0], stk[0], STK, "f", child_forever, NULL);
    CHECK_EQ(vt_group_wait(&g, 5), VT_ETIMEDOUT);
    vt_group_cancel(&g);
    CHECK_EQ(vt_group_wait(&g, VT_FOREVER), VT_ECANCELED);
    return 0;
}

/* ----------------------------------------------------------- many threads */

static unsigned many_counter;

static int many_body(void *arg)
{
    many_counter++;
    vt_yield();
    many_counter++;
    return (int)(uintptr_t)arg & 0xFF;
}

static int case_many_threads(void *unused)
{
    vt_thread_t *t = malloc(sizeof(vt_thread_t) * MANY_THREADS);
    uint8_t *s = malloc(CALLER_STACKS(MANY_THREADS, MANY_STACK));
    unsigned i;
    int code, ok = 1;
    if (t == NULL || s == NULL) {
        printf("  no memory for %u threads\n", (unsigned)MANY_THREADS);
        free(t), free(s);
        return 1;
    }
    memset(t, 0, sizeof(vt_thread_t) * MANY_THREADS);
    many_counter = 0;
    for (i = 0; i < MANY_THREADS; i++)
        if (create_thread(&t[i], s + (size_t)i * MANY_STACK, MANY_STACK, "many", many_body,
                             (void *)(uintptr_t)i, 0) != 0)
            ok = 0;
    CHECK(ok);
    CHECK_EQ(vt_thread_count(), MANY_THREADS + 1);
    for (i = 0; i < MANY_THREADS; i++) {
        if (vt_thread_join(&t[i], &code, VT_FOREVER) != 0 || code != (int)(i & 0xFF))
            ok = 0;
    }
    CHECK(ok);
    CHECK_EQ(many_counter, 2 * MANY_THREADS);
    printf("  %u threads of %u stack bytes created, run and joined\n", (unsigned)MANY_THREADS,
           (unsigned)MANY_STACK);
    free(t);
    free(s);
    return 0;
}

/* ---------------------------------------------------- interrupt wake-ups */

static vt_sem_t irq_sem;
static vt_event_t irq_ev;
static volatile unsigned irq_posts;

static void test_irq(void)
{
    irq_posts++;
    vt_sem_post_isr(&irq_sem);
    if (irq_posts == 50)
        vt_event_set_isr(&irq_ev);
}

static volatile int irq_stop;

static int spinner(void *arg)
{
    /* keeps the CPU busy with yields while interrupts arrive */
    while (!irq_stop)
        vt_yield();
    return 0;
}

static int napper(void *arg)
{
    /* timers expire and threads block while interrupts arrive */
    while (!irq_stop)
        vt_sleep(1);
    return 0;
}

/* A hardware timer interrupt (board_test_irq) posts a semaphore thousands
 * of times while threads yield, sleep and wait: every post arrives. */
#define IRQ_POSTS 5000u
static int case_isr_wakeups(void *unused)
{
    unsigned got = 0;
    vt_sem_init(&irq_sem, 0);
    vt_event_init(&irq_ev);
    irq_posts = 0;
    irq_stop = 0;
    spawn(0, "spin", spinner, NULL);
    spawn(1, "spin2", spinner, NULL);
    spawn(2, "nap", napper, NULL);
    CHECK_EQ(board_test_irq(100, test_irq), 0);
    CHECK_EQ(vt_event_wait_timeout(&irq_ev, 10000), 0);
    while (got < IRQ_POSTS && vt_sem_wait_timeout(&irq_sem, 10000) == 0)
        got++;
    board_test_irq(0, NULL);
    irq_stop = 1;
    CHECK_EQ(got, IRQ_POSTS);
    vt_sleep(5);
    /* every post from the interrupt arrived: taken + still counted */
    while (vt_sem_trywait(&irq_sem) == 0)
        got++;
    CHECK_EQ(got, irq_posts);
    printf("  %u interrupt posts, %u taken\n", (unsigned)irq_posts, got);
    join_all(3);
    return 0;
}

/* ------------------------------------------- interrupt work: no post lost */

/* 70,000 posts before one scheduling point (a 16-bit count kept 4,464 of
 * them): from one interrupt, then from the thread itself. */
#define BURST 70000u
static volatile int burst_done;

static void burst_irq(void)
{
    if (burst_done)
        return;
    for (unsigned i = 0; i < BURST; i++)
        vt_sem_post_isr(&irq_sem);
    burst_done = 1;
}

static int case_isr_burst(void *unused)
{
    unsigned got = 0;
    vt_tick_t t0 = vt_now_ms();
    vt_sem_init(&irq_sem, 0);
    burst_done = 0;
    CHECK_EQ(board_test_irq(1000, burst_irq), 0);
    while (!burst_done && (vt_tick_t)(vt_now_ms() - t0) < 10000) {
    } /* no scheduling point: the posts pile up */
    board_test_irq(0, NULL);
    CHECK(burst_done);
    CHECK_EQ(vt_work_pending(&irq_sem.isr), BURST);
    while (vt_sem_trywait(&irq_sem) == 0) /* the try applies them */
        got++;
    CHECK_EQ(got, BURST);
    /* the same from thread context (an `_isr` call is callable there) */
    for (unsigned i = 0; i < BURST; i++)
        vt_sem_post_isr(&irq_sem);
    vt_yield(); /* a scheduling point applies them */
    CHECK_EQ(vt_sem_count(&irq_sem), BURST);
    return 0;
}

/* A thread that only polls with try forms sees posts from an interrupt. */
static volatile unsigned try_posts;
static vt_event_t try_ev;

static void try_irq(void)
{
    try_posts++;
    vt_sem_post_isr(&irq_sem);
    if (try_posts == 3)
        vt_event_set_isr(&try_ev);
}

static int case_try_sees_isr(void *unused)
{
    unsigned got = 0;
    vt_tick_t t0 = vt_now_ms();
    vt_sem_init(&irq_sem, 0);
    vt_event_init(&try_ev);
    try_posts = 0;
    CHECK_EQ(board_test_irq(500, try_irq), 0);
    while (got < 3 && (vt_tick_t)(vt_now_ms() - t0) < 10000)
        if (vt_sem_trywait(&irq_sem) == 0) /* never yields, never blocks */
            got++;
    CHECK_EQ(got, 3);
    while (vt_event_trywait(&try_ev) != 0 && (vt_tick_t)(vt_now_ms() - t0) < 10000) {
    }
    CHECK(vt_event_is_set(&try_ev));
    board_test_irq(0, NULL);
    return 0;
}

/* vt_work: an application's own interrupt work, in posting order, with its
 * count. */
static vt_work_t work_a, work_b;
static unsigned work_sum, work_runs;
static char work_order[8];
static volatile unsigned work_posts;

static void work_fn(vt_work_t *w, uint32_t n)
{
    work_sum += n;
    if (work_runs < sizeof work_order - 1)
        work_order[work_runs] = w == &work_a ? 'a' : 'b';
    work_runs++;
}

static void work_irq(void)
{
    work_posts++;
    vt_work_post_isr(&work_b);
    vt_work_post_isr(&work_a);
}

static int case_work(void *unused)
{
    vt_tick_t t0;
    vt_work_init(&work_a, work_fn);
    vt_work_init(&work_b, work_fn);
    work_sum = work_runs = 0;
    memset(work_order, 0, sizeof work_order);
    vt_work_post_isr(&work_a);
    vt_work_post_isr(&work_b);
    vt_work_post_isr(&work_a); /* counted, not queued again */
    CHECK_EQ(vt_work_pending(&work_a), 2);
    vt_yield();
    CHECK_EQ(work_sum, 3);
    CHECK_EQ(work_runs, 2);
    CHECK(strcmp(work_order, "ab") == 0); /* the order of the first posts */
    CHECK_EQ(vt_work_pending(&work_a), 0);
    /* from a real interrupt, while this thread sleeps */
    work_sum = work_runs = 0;
    work_posts = 0;
    t0 = vt_now_ms();
    CHECK_EQ(board_test_irq(300, work_irq), 0);
    while (work_posts < 20 && (vt_tick_t)(vt_now_ms() - t0) < 10000)
        vt_sleep(1);
    board_test_irq(0, NULL);
    vt_yield();
    CHECK_EQ(work_sum, 2 * work_posts);
    return 0;
}

/* --------------------------------------------------------- sleep forever */

static int sleep_forever(void *arg)
{
    return vt_sleep(VT_FOREVER);
}

static int case_sleep_forever(void *unused)
{
    int code = 0;
    spawn(0, "forever", sleep_forever, NULL);
    CHECK_EQ(vt_sleep(30), 0);
    /* still asleep (it returned 0 at once before issue 14's fix) */
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_NOWAIT), VT_EAGAIN);
    CHECK_EQ(vt_thread_cancel(&th[0]), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECANCELED);
    return 0;
}

/* -------------------------------------------------------------- deadlines */

static vt_waitq_t dq;
static volatile int dq_ready;

/* wakes the waiter several times without making its condition true */
static int dq_teaser(void *arg)
{
    for (int i = 0; i < 5; i++) {
        vt_sleep(4);
        vt_waitq_wake_all(&dq, 0);
    }
    return 0;
}

static int dq_wait(vt_tick_t timeout)
{
    vt_deadline_t d = vt_deadline_in(timeout);
    while (!dq_ready) {
        int rc = vt_waitq_wait_until(&dq, &d);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int case_deadline(void *unused)
{
    vt_deadline_t d;
    vt_tick_t t0;
    dq.head = NULL;
    dq_ready = 0;
    d = vt_deadline_in(VT_FOREVER);
    CHECK(!vt_deadline_passed(&d));
    CHECK_EQ(vt_deadline_left(&d), VT_FOREVER);
    d = vt_deadline_in(VT_NOWAIT);
    CHECK(vt_deadline_passed(&d));
    CHECK_EQ(vt_deadline_left(&d), VT_NOWAIT);
    CHECK_EQ(vt_waitq_wait_until(&dq, &d), VT_EAGAIN);
    d = vt_deadline_in(50);
    CHECK(!vt_deadline_passed(&d));
    CHECK(vt_deadline_left(&d) <= 50 && vt_deadline_left(&d) >= 45);
    d = vt_deadline_at(vt_now_ms() - 1);
    CHECK(vt_deadline_passed(&d));
    CHECK_EQ(vt_waitq_wait_until(&dq, &d), VT_ETIMEDOUT); /* passed: it says so itself */
    CHECK_EQ(vt_waitq_wait_until(NULL, &d), VT_EINVAL);
    CHECK_EQ(vt_waitq_wait_until(&dq, NULL), VT_EINVAL);
    /* woken five times in 20 ms, the condition never true: the loop as a
     * whole keeps to its 30 ms */
    spawn(0, "teaser", dq_teaser, NULL);
    t0 = vt_now_ms();
    CHECK_EQ(dq_wait(30), VT_ETIMEDOUT);
    CHECK((vt_tick_t)(vt_now_ms() - t0) >= 30);
    CHECK((vt_tick_t)(vt_now_ms() - t0) < 5000);
    join_all(1);
    dq_ready = 1;
    CHECK_EQ(dq_wait(VT_NOWAIT), 0);
    return 0;
}

/* --------------------------------------------------------- memory pool */

struct blk {
    uint32_t w[5]; /* 20 bytes: rounded to the pointer size */
};
VT_MEMPOOL_DEFINE(mp, sizeof(struct blk), 4);
static volatile void *mp_isr_block;
static volatile int mp_isr_rc = 1;

static int mp_taker(void *arg)
{
    void *b = NULL;
    int rc = vt_mempool_alloc(&mp, &b, (vt_tick_t)(uintptr_t)arg);
    tok(rc == 0 ? 'g' : 'x');
    if (rc == 0)
        vt_mempool_free(&mp, b);
    return rc;
}

static void mp_irq(void)
{
    if (mp_isr_block != NULL) {
        mp_isr_rc = vt_mempool_free_isr(&mp, (void *)mp_isr_block);
        mp_isr_block = NULL;
    }
}

static int case_mempool(void *unused)
{
    void *b[5] = {NULL};
    int code;
    vt_tick_t t0;
    CHECK_EQ(vt_mempool_init(&mp, NULL, 20, 4), VT_EINVAL);
    CHECK_EQ(vt_mempool_init(&mp, mp_storage, 0, 4), VT_EINVAL);
    CHECK_EQ(vt_mempool_init(&mp, mp_storage + 1, 20, 3), VT_EINVAL);
    CHECK_EQ(vt_mempool_init(&mp, mp_storage, sizeof(struct blk), 4), 0);
    CHECK_EQ(vt_mempool_free_count(&mp), 4);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(vt_mempool_tryalloc(&mp, &b[i]), 0);
        CHECK(b[i] == mp_storage + (size_t)i * VT_MEMPOOL_BLOCK(sizeof(struct blk)));
        memset(b[i], 0x5C, sizeof(struct blk)); /* the whole block is ours */
    }
    CHECK_EQ(vt_mempool_tryalloc(&mp, &b[4]), VT_EAGAIN);
    CHECK(b[4] == NULL);
    t0 = vt_now_ms();
    CHECK_EQ(vt_mempool_alloc(&mp, &b[4], 10), VT_ETIMEDOUT);
    CHECK((vt_tick_t)(vt_now_ms() - t0) >= 10);
    CHECK_EQ(vt_mempool_min_free(&mp), 0);
    /* bad frees lose nothing */
    CHECK_EQ(vt_mempool_free(&mp, NULL), VT_EINVAL);
    CHECK_EQ(vt_mempool_free(&mp, (uint8_t *)b[1] + 4), VT_EINVAL);
    CHECK_EQ(vt_mempool_free(&mp, mp_storage + sizeof mp_storage), VT_EINVAL);
    CHECK_EQ(vt_mempool_free_isr(&mp, &code), VT_EINVAL);
    CHECK_EQ(vt_mempool_free(&mp, b[3]), 0);
    if (VT_CONFIG_DEBUG)
        CHECK_EQ(vt_mempool_free(&mp, b[3]), VT_EINVAL); /* double free */
    CHECK_EQ(vt_mempool_free_count(&mp), 1);
    CHECK_EQ(vt_mempool_tryalloc(&mp, &b[3]), 0);
    /* two waiters get freed blocks in their order; a third times out */
    tok_reset();
    spawn(0, "w1", mp_taker, (void *)(uintptr_t)VT_FOREVER);
    spawn(1, "w2", mp_taker, (void *)(uintptr_t)VT_FOREVER);
    spawn(2, "w3", mp_taker, (void *)(uintptr_t)5);
    vt_yield();
    CHECK_EQ(vt_thread_join(&th[2], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ETIMEDOUT);
    tok('F');
    CHECK_EQ(vt_mempool_free(&mp, b[0]), 0); /* handed to w1, who frees it: to w2 */
    join_all(2);
    CHECK_TOKENS("xFgg");
    CHECK_EQ(vt_mempool_free_count(&mp), 1);
    /* a block freed from an interrupt reaches a waiter, and a try */
    CHECK_EQ(vt_mempool_tryalloc(&mp, &b[0]), 0);
    spawn(0, "w4", mp_taker, (void *)(uintptr_t)VT_FOREVER);
    vt_yield();
    mp_isr_block = b[1];
    CHECK_EQ(board_test_irq(200, mp_irq), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, 0);
    CHECK_EQ(mp_isr_rc, 0);
    CHECK_EQ(vt_mempool_tryalloc(&mp, &b[1]), 0); /* what w4 gave back */
    CHECK_EQ(vt_mempool_free_count(&mp), 0);
    {
        void *got = NULL;
        mp_isr_block = b[2];
        t0 = vt_now_ms();
        while (vt_mempool_tryalloc(&mp, &got) != 0 && (vt_tick_t)(vt_now_ms() - t0) < 10000) {
        } /* only polls: the try applies the interrupt's free */
        board_test_irq(0, NULL);
        CHECK(got == b[2]);
    }
    /* a waiter can be cancelled */
    CHECK_EQ(vt_mempool_free_count(&mp), 0);
    spawn(0, "w5", mp_taker, (void *)(uintptr_t)VT_FOREVER);
    vt_yield();
    vt_thread_cancel(&th[0]);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECANCELED);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(vt_mempool_free(&mp, b[i]), 0);
    CHECK_EQ(vt_mempool_free_count(&mp), 4);
    return 0;
}

/* ------------------------------------------------------ suspend / resume */

static vt_sem_t susp_sem;

static int susp_waiter(void *arg)
{
    int rc = vt_sem_wait(&susp_sem);
    tok('w');
    return rc;
}

static int self_suspender(void *arg)
{
    tok('s');
    if (vt_thread_suspend(vt_self()) != 0)
        return 1;
    tok('r');
    return 0;
}

static int case_suspend(void *unused)
{
    int code;
    CHECK_EQ(vt_thread_suspend(NULL), VT_EINVAL);
    CHECK_EQ(vt_thread_resume(NULL), VT_EINVAL);
    /* a ready thread: it does not run until resumed */
    spawn(0, "a", yielder, (void *)'a');
    CHECK_EQ(vt_thread_suspend(&th[0]), 0);
    CHECK_EQ(vt_thread_suspend(&th[0]), 0); /* not counted */
    tok('M');
    vt_yield();
    vt_yield();
    tok('M');
    CHECK_EQ(vt_thread_resume(&th[0]), 0);
    CHECK_EQ(vt_thread_resume(&th[0]), VT_EINVAL); /* not suspended now */
    join_all(1);
    CHECK_TOKENS("MMaaa");
    CHECK_EQ(vt_thread_suspend(&th[0]), VT_ESRCH);
    CHECK_EQ(vt_thread_resume(&th[0]), VT_ESRCH);
    /* oneself: blocks until another thread resumes it */
    tok_reset();
    spawn(0, "self", self_suspender, NULL);
    vt_yield();
    tok('M');
    vt_yield();
    CHECK_EQ(vt_thread_resume(&th[0]), 0);
    join_all(1);
    CHECK_TOKENS("sMr");
    /* a blocked thread: the wait goes on; what ends it waits for the resume */
    tok_reset();
    vt_sem_init(&susp_sem, 0);
    spawn(0, "waiter", susp_waiter, NULL);
    vt_yield();
    CHECK_EQ(vt_thread_suspend(&th[0]), 0);
    CHECK_EQ(vt_sem_post(&susp_sem), 0); /* the unit goes to it... */
    vt_yield();
    vt_yield();
    CHECK_TOKENS("");                    /* ...but it does not run */
    CHECK_EQ(vt_sem_count(&susp_sem), 0);
    CHECK_EQ(vt_thread_resume(&th[0]), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, 0);
    CHECK_TOKENS("w");
    /* suspended while blocked, resumed before the wait ends: as if nothing */
    tok_reset();
    spawn(0, "waiter", susp_waiter, NULL);
    vt_yield();
    CHECK_EQ(vt_thread_suspend(&th[0]), 0);
    CHECK_EQ(vt_thread_resume(&th[0]), 0);
    vt_sem_post(&susp_sem);
    join_all(1);
    CHECK_TOKENS("w");
    /* cancel reaches a suspended thread after its resume */
    spawn(0, "sleeper", sleep_long, NULL);
    vt_yield();
    CHECK_EQ(vt_thread_suspend(&th[0]), 0);
    CHECK_EQ(vt_thread_cancel(&th[0]), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, 20), VT_ETIMEDOUT); /* parked, not running */
    CHECK_EQ(vt_thread_resume(&th[0]), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, VT_ECANCELED);
    return 0;
}

/* A thread that starts later: created suspended, started by a resume. */
#if defined(TEST_SHARED_STACKS) && !defined(__linux__)
/* ------------------------------------------------- shared: save areas */

static vt_event_t reclaim_gate;

static int shallow_waiter(void *unused)
{
    return vt_event_wait(&reclaim_gate);
}

static int deep_waiter(void *unused)
{
    volatile uint8_t frame[200]; /* saved in a larger class than the shallow ones */
    for (unsigned i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)i;
    int rc = vt_event_wait(&reclaim_gate);
    return rc + frame[199] - 199;
}

static int case_save_areas_reclaimed(void *unused)
{
    /* The areas that threads of one depth were saved in stay cached after
     * those threads are gone. With the heap otherwise full, a thread saved
     * at another depth must get them back instead of stopping the firmware
     * ("no memory left for a save area": the 64 KB gateway's console
     * after 106 sensors had come and gone). Boards only: the host's malloc
     * cannot be run dry. */
    enum { SHALLOW = 12, DEEP = 4 };
    static vt_thread_t t[SHALLOW + DEEP];
    void *hog = NULL, *p;
    unsigned nhog = 0, i;
    int code;
    CHECK_EQ(vt_event_init(&reclaim_gate), 0);
    for (i = 0; i < SHALLOW; i++)
        CHECK_EQ(create_thread(&t[i], NULL, 0, "shallow", shallow_waiter, NULL, 0), 0);
    vt_sleep(1); /* all waiting, most of them saved */
    CHECK_EQ(vt_event_set(&reclaim_gate), 0);
    for (i = 0; i < SHALLOW; i++)
        CHECK_EQ(vt_thread_join(&t[i], &code, VT_FOREVER), 0);
    CHECK_EQ(vt_event_destroy(&reclaim_gate), 0);
    /* the heap run dry, in blocks chained through their first word */
    for (size_t sz = 256; sz >= sizeof(void *); sz /= 2)
        while ((p = malloc(sz)) != NULL) {
            *(void **)p = hog;
            hog = p;
            nhog++;
        }
    CHECK_EQ(vt_event_init(&reclaim_gate), 0);
    for (i = SHALLOW; i < SHALLOW + DEEP; i++) /* groups a, b, c, a: one deep thread saved */
        CHECK_EQ(create_thread(&t[i], NULL, 0, "deep", deep_waiter, NULL, 0), 0);
    vt_sleep(1);
    CHECK_EQ(vt_event_set(&reclaim_gate), 0);
    for (i = SHALLOW; i < SHALLOW + DEEP; i++) {
        code = -1;
        CHECK_EQ(vt_thread_join(&t[i], &code, VT_FOREVER), 0);
        CHECK_EQ(code, 0);
    }
    CHECK_EQ(vt_event_destroy(&reclaim_gate), 0);
    while ((p = hog) != NULL) {
        hog = *(void **)p;
        free(p);
    }
    CHECK(nhog > 0);
    return 0;
}
#endif

static int case_create_suspended(void *unused)
{
    int code = -1;
    tok_reset();
    CHECK_EQ(create_thread(&th[0], stk[0], STK, "later", ret_arg, (void *)11,
                           VT_THREAD_SUSPENDED), 0);
    CHECK_EQ(vt_thread_count(), 2);
    vt_yield();
    CHECK_EQ(vt_thread_join(&th[0], &code, 10), VT_ETIMEDOUT); /* has not run */
    CHECK_EQ(vt_thread_resume(&th[0]), 0);
    CHECK_EQ(vt_thread_join(&th[0], &code, VT_FOREVER), 0);
    CHECK_EQ(code, 11);
    /* detached and suspended: its storage is released at exit */
    CHECK_EQ(create_thread(&th[0], stk[0], STK, "later", ret_arg, NULL,
                           VT_THREAD_SUSPENDED | VT_THREAD_DETACHED), 0);
    CHECK_EQ(vt_thread_resume(&th[0]), 0);
    vt_yield();
    CHECK_EQ(vt_thread_detach(&th[0]), VT_ESRCH);
    CHECK_EQ(vt_thread_create(&th[0], stk[0], STK, "x", ret_arg, NULL, 0x80), VT_EINVAL);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        harness_only = argv[1];  /* one case by name */
    printf("vthread kernel suite on %s (thread struct %u bytes)%s\n", VT_BOARD_NAME,
           (unsigned)sizeof(vt_thread_t),
#ifdef TEST_SHARED_STACKS
           ", threads on shared run stacks"
#else
           ""
#endif
    );
    run_case("yield_order", case_yield_order);
    run_case("exit_codes", case_exit_codes);
    run_case("join_errors", case_join_errors);
    run_case("detach", case_detach);
    run_case("spawn_pool", case_spawn_pool);
    run_case("bad_create", case_bad_create);
    run_case("sleep_order", case_sleep_order);
    run_case("many_sleepers_order", case_many_sleepers_order);
    run_case("stack_alignment", case_stack_alignment); /* after: its heap use splits 16 KB */
    run_case("mutex", case_mutex);
    run_case("semaphore", case_semaphore);
    run_case("event", case_event);
    run_case("cond", case_cond);
    run_case("channel", case_channel);
    run_case("cancel", case_cancel);
    run_case("pool", case_pool);
    run_case("group", case_group);
    run_case("many_threads", case_many_threads);
    run_case("isr_wakeups", case_isr_wakeups);
    run_case("isr_burst", case_isr_burst);
    run_case("try_sees_isr", case_try_sees_isr);
    run_case("work", case_work);
    run_case("sleep_forever", case_sleep_forever);
    run_case("deadline", case_deadline);
    run_case("mempool", case_mempool);
    run_case("suspend", case_suspend);
    run_case("create_suspended", case_create_suspended);
#if defined(TEST_SHARED_STACKS) && !defined(__linux__)
    run_case("save_areas_reclaimed", case_save_areas_reclaimed);
#endif
#ifdef TEST_SHARED_STACKS
    if (harness_only == NULL) {
        vt_shared_stats_t ss;
        vt_shared_stats(&ss);
        printf("shared stacks: %lu saves, %lu restores, %u threads / %lu bytes still saved\n",
               (unsigned long)ss.saves, (unsigned long)ss.restores, ss.saved_threads,
               (unsigned long)ss.saved_bytes);
        if (ss.saves == 0 || ss.saved_threads != 0 || ss.saved_bytes != 0) {
            printf("FAIL shared_stats\n");
            return 1;
        }
    }
#endif
    return harness_finish();
}
