/* SPDX-License-Identifier: MIT */
/**
 * @file tests/bench_shared.c
 * @brief Shared-stack figures (issue 6): RAM of one idle vthread, how many
 * suspended vthreads the board's RAM holds, the cost of a switch between
 * two shared-stack threads that copies ~128 live bytes each way.
 *
 * Release library (VT_CONFIG_DEBUG=0). On QEMU boards under `-icount
 * shift=0` one nanosecond of virtual time is one instruction, so
 * board_cycles() converts to instructions, as in bench_kernel.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifndef HELD_THREADS
#if defined(VT_TEST_TINY_RAM)
#define HELD_THREADS 40
#elif defined(VT_TEST_SMALL_RAM) /* the MPS2 boards set 100000 (tests/CMakeLists.txt) */
#define HELD_THREADS 1000
#else
#define HELD_THREADS 100000
#endif
#endif
#ifndef SWITCHES
#define SWITCHES BENCH_OPS(100000u)
#endif
#if defined(VT_TEST_TINY_RAM)
#define RUN_STACK 512
#define METER_STACK 1024
#elif defined(BOARD_NS_PER_CYCLE)
#define RUN_STACK 1024
#define METER_STACK 4096
#else
#define RUN_STACK 16384 /* host: libc's clock calls */
#define METER_STACK 65536
#endif

static vt_thread_t meter;
static uint8_t meter_stack[METER_STACK] __attribute__((aligned(16)));
static uint8_t rs_mem[2][RUN_STACK] __attribute__((aligned(16)));
static vt_runstack_t rs[2];
static int fails;


/* ------------------------------------------------ RAM of one idle thread */

static vt_sem_t sem;
static vt_chan_t chan;
static int chan_buf[4];

static int sem_waiter(void *arg) { return vt_sem_wait(&sem); }
static int chan_waiter(void *arg)
{
    int v;
    return vt_chan_recv(&chan, &v) == 0 ? v - 7 : 1;
}
static int sleeper(void *arg) { return vt_sleep_until((vt_tick_t)(uintptr_t)arg); }
static int nothing(void *arg) { return 0; }

static size_t chan_area, sleep_area;

static void idle_bytes(void)
{
    static vt_thread_t a, b, c, d;
    int code = 1, v = 7;
    vt_sem_init(&sem, 0);
    vt_chan_init(&chan, chan_buf, sizeof chan_buf[0], 4);
    /* each thread blocks; the next one on the run stack copies it out */
    vt_thread_create_shared(&a, &rs[0], "semw", sem_waiter, NULL, 0);
    vt_thread_create_shared(&b, &rs[0], "chanr", chan_waiter, NULL, 0);
    vt_thread_create_shared(&c, &rs[0], "sleep", sleeper,
                            (void *)(uintptr_t)(vt_now_ms() + 100000u), 0);
    vt_thread_create_shared(&d, &rs[0], "last", nothing, NULL, 0);
    vt_thread_join(&d, NULL, VT_FOREVER);
    printf("  saved stack (live bytes + %u-byte header, class-rounded): sem %u, chan %u, "
           "sleep %u\n", (unsigned)sizeof(void *), (unsigned)vt_thread_saved_bytes(&a),
           (unsigned)vt_thread_saved_bytes(&b), (unsigned)vt_thread_saved_bytes(&c));
    printf("bench: idle_thread_bytes = %u bytes (sem wait: %u-byte struct + %u saved)\n",
           (unsigned)(sizeof(vt_thread_t) + vt_thread_saved_bytes(&a)),
           (unsigned)sizeof(vt_thread_t), (unsigned)vt_thread_saved_bytes(&a));
    printf("bench: idle_thread_bytes_chan_recv = %u bytes\n",
           (unsigned)(sizeof(vt_thread_t) + vt_thread_saved_bytes(&b)));
    printf("bench: idle_thread_bytes_sleep = %u bytes\n",
           (unsigned)(sizeof(vt_thread_t) + vt_thread_saved_bytes(&c)));
    chan_area = vt_thread_saved_bytes(&b);
    sleep_area = vt_thread_saved_bytes(&c);
    fails += vt_thread_saved_bytes(&a) == 0;
    vt_sem_post(&sem);
    vt_chan_send(&chan, &v);
    vt_thread_cancel(&c);
    fails += vt_thread_join(&a, &code, VT_FOREVER) != 0 || code != 0;
    fails += vt_thread_join(&b, &code, VT_FOREVER) != 0 || code != 0;
    fails += vt_thread_join(&c, &code, VT_FOREVER) != 0 || code != VT_ECANCELED;
}

/* ------------------------------------- suspended vthreads held at once */

static int held_chan_waiter(void *arg)
{
    int v;
    return vt_chan_recv(&chan, &v) == 0 ? 0 : 1;
}

static void held(void)
{
    unsigned n = HELD_THREADS, created = 0, joined = 0;
    vt_thread_t *t = NULL;
    void *arena = NULL;
    /* half of them in each kind of wait (measured by idle_bytes()) */
    size_t per_area = (chan_area + sleep_area + 1) / 2;
    vt_shared_stats_t ss;
    vt_tick_t wake_at;
    int one = 1;

    /* as many as fit, from the target down */
    for (; n >= 8; n -= n / 8 > 0 ? n / 8 : 1) {
        t = calloc(n, sizeof *t);
        arena = t != NULL ? malloc((size_t)n * per_area + 4096) : NULL;
        if (t != NULL && arena != NULL)
            break;
        free(t), free(arena);
        t = NULL, arena = NULL;
    }
    if (t == NULL) {
        printf("no memory for held threads\n");
        fails++;
        return;
    }
    vt_shared_arena(arena, (size_t)n * per_area + 4096);
    vt_chan_init(&chan, chan_buf, sizeof chan_buf[0], 4);
    wake_at = vt_now_ms() + 3000u; /* creating them all takes far less */
    for (unsigned i = 0; i < n; i++) {
        int rc = (i & 1) ? vt_thread_create_shared(&t[i], &rs[1], "held", held_chan_waiter,
                                                   NULL, 0)
                         : vt_thread_create_shared(&t[i], &rs[1], "held", sleeper,
                                                   (void *)(uintptr_t)wake_at, 0);
        if (rc != 0)
            break;
        if (++created % 64 == 0)
            vt_yield(); /* let them reach their waits: first frames' areas are reused */
    }
    vt_sleep(1); /* every one of them runs up to its wait */
    vt_shared_stats(&ss);
    /* all alive and suspended at once (one of them resident on the run stack) */
    if (vt_thread_count() == created + 1 && ss.saved_threads + 1 >= created &&
        (int32_t)(vt_now_ms() - wake_at) < 0)
        printf("bench: vthreads_held = %u threads (half sleeping, half in chan recv; "
               "%u-byte structs + %lu bytes of save areas, %lu per thread)\n",
               created, (unsigned)sizeof(vt_thread_t), (unsigned long)ss.saved_bytes,
               (unsigned long)(ss.saved_bytes / (ss.saved_threads ? ss.saved_threads : 1)));
    else {
        printf("held: %u created, %u alive, %u saved\n", created, vt_thread_count(),
               ss.saved_threads);
        fails++;
    }
    for (unsigned i = 1; i < created; i += 2) /* wake every channel waiter */
        vt_chan_send(&chan, &one);
    for (unsigned i = 0; i < created; i++) { /* the sleepers wake at wake_at */
        int code = 1;
        joined += vt_thread_join(&t[i], &code, VT_FOREVER) == 0 && code == 0;
    }
    vt_shared_stats(&ss);
    printf("  held: %u joined; arena %lu/%lu bytes used\n", joined,
           (unsigned long)ss.arena_used, (unsigned long)ss.arena_size);
    if (n < HELD_THREADS)
        printf("  held: RAM for %u of the %u wanted\n", n, (unsigned)HELD_THREADS);
    fails += joined != created || created == 0;
    free(t);
    /* the arena stays: its blocks sit in the free lists */
}

/* ------------------------------------------- switch cost with copying */

/* locals: with the call chain, 124 live bytes on mps2-an385 (the issue's
 * 2 x 124); other cores keep about as many by giving back what their
 * switch frame has more (16-byte stack alignment on RISC-V rounds it).
 * The bench prints the figure on every board. */
#if defined(__ARM_ARCH_6M__)
#define LIVE_PAD 64 /* Thumb-1 frames hold 8 bytes more */
#elif defined(__riscv) && VT_ARCH_CONTEXT_BYTES < 100
#define LIVE_PAD (72 + 36 - 16 - VT_ARCH_CONTEXT_BYTES) /* 128 bytes: 16-aligned */
#elif VT_ARCH_CONTEXT_BYTES < 100
#define LIVE_PAD (72 + 36 - VT_ARCH_CONTEXT_BYTES)
#else
#define LIVE_PAD 8
#endif

__attribute__((noinline)) static int yield_deep(unsigned n)
{
    volatile uint8_t pad[LIVE_PAD];
    pad[0] = (uint8_t)n;
    BENCH_LOOP(n, vt_yield()); /* the loop shape of the empty baseline */
    return pad[0];
}

static int deep_loop(void *arg) { return yield_deep((unsigned)(uintptr_t)arg) & 0; }

static size_t live_seen;
static int live_probe(void *arg)
{
    vt_shared_stats_t ss;
    vt_shared_stats(&ss);
    live_seen = ss.saved_threads ? ss.live_bytes / ss.saved_threads : 0;
    return 0;
}

static unsigned long long run_pair(vt_runstack_t *r0, vt_runstack_t *r1, int shared,
                                   unsigned n)
{
    static vt_thread_t a, b;
    static uint8_t sa[RUN_STACK] __attribute__((aligned(16))), sb[RUN_STACK] __attribute__((aligned(16)));
    unsigned long long t0, t1;
    if (shared) {
        vt_thread_create_shared(&a, r0, "A", deep_loop, (void *)(uintptr_t)n, 0);
        vt_thread_create_shared(&b, r1, "B", deep_loop, (void *)(uintptr_t)n, 0);
    } else {
        vt_thread_create(&a, sa, sizeof sa, "A", deep_loop, (void *)(uintptr_t)n, 0);
        vt_thread_create(&b, sb, sizeof sb, "B", deep_loop, (void *)(uintptr_t)n, 0);
    }
    t0 = board_cycles();
    vt_thread_join(&a, NULL, VT_FOREVER);
    vt_thread_join(&b, NULL, VT_FOREVER);
    t1 = board_cycles();
    return t1 - t0;
}

/* the fastest of BENCH_RUNS runs (one under -icount) */
static unsigned long long best_pair(vt_runstack_t *r0, vt_runstack_t *r1, int shared)
{
    unsigned long long best = ~0ull;
    for (int r = 0; r < BENCH_RUNS; r++) {
        unsigned long long t = run_pair(r0, r1, shared, SWITCHES / 2);
        if (t < best)
            best = t;
    }
    return best;
}

static void switch_cost(void)
{
    unsigned long long t_ded, t_sh, t_nocopy, base = ~0ull;
    vt_shared_stats_t s0, s1;
    static vt_thread_t p;
    /* live bytes of a thread suspended in yield_deep (probe on the same run stack) */
    {
        static vt_thread_t a;
        vt_thread_create_shared(&a, &rs[0], "A", deep_loop, (void *)(uintptr_t)BENCH_UNROLL, 0);
        vt_yield();
        vt_thread_create_shared(&p, &rs[0], "probe", live_probe, NULL, 0);
        vt_thread_join(&p, NULL, VT_FOREVER);
        vt_thread_join(&a, NULL, VT_FOREVER);
    }
    /* the same counted loop, empty: only the loop is subtracted */
    for (int r = 0; r < BENCH_RUNS; r++) {
        unsigned long long b = bench_empty_loop(SWITCHES);
        if (b < base)
            base = b;
    }
    t_ded = best_pair(NULL, NULL, 0);
    vt_shared_stats(&s0);
    t_sh = best_pair(&rs[0], &rs[0], 1);
    vt_shared_stats(&s1);
    t_nocopy = best_pair(&rs[0], &rs[1], 1);
    printf("  live stack of a thread suspended in the loop: %u bytes; copies during the "
           "shared runs: %lu out, %lu in\n", (unsigned)live_seen,
           (unsigned long)(s1.saves - s0.saves), (unsigned long)(s1.restores - s0.restores));
    bench_info("yield_switch_same_frames", (bench_tenths(t_ded) - bench_tenths(base)) / SWITCHES,
               BENCH_UNIT);
    /* issue 14: a switch that exchanges 2 x 124 live bytes, <= 100 on mps2-an385 */
    fails += bench_check("shared_switch", (bench_tenths(t_sh) - bench_tenths(base)) / SWITCHES,
                         100, 400);
    bench_info("shared_switch_nocopy", (bench_tenths(t_nocopy) - bench_tenths(base)) / SWITCHES,
               BENCH_UNIT);
    fails += s1.saves - s0.saves < BENCH_RUNS * (SWITCHES - 2);
}

static int bench_main(void *arg)
{
    vt_runstack_init(&rs[0], rs_mem[0], sizeof rs_mem[0]);
    vt_runstack_init(&rs[1], rs_mem[1], sizeof rs_mem[1]);
    idle_bytes();
    switch_cost();
    held();
    return 0;
}

int main(void)
{
    printf("bench: thread_struct_bytes = %u bytes\n", (unsigned)sizeof(vt_thread_t));
    vt_thread_create(&meter, meter_stack, sizeof meter_stack, "meter", bench_main, NULL, 0);
    vt_run();
    vt_thread_join(&meter, NULL, VT_NOWAIT);
    printf("%d passed, %d failed\n", fails == 0 ? 1 : 0, fails);
    return fails;
}
