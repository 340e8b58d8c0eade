/* SPDX-License-Identifier: MIT */
/**
 * @file tests/bench_kernel.c
 * @brief Kernel figures: thread struct size, how many threads fit in RAM,
 * cost of a sleep/wake pair with 10, 1,000 and 10,000 sleepers. (The yield
 * is bench_yield.c's.)
 *
 * On QEMU boards run under `-icount shift=0`, one nanosecond of virtual
 * time is one instruction (tests/bench.h). On the host the figures are
 * nanoseconds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifdef BOARD_NS_PER_CYCLE
#define SLEEPER_NEED 128   /* the sleep path is kernel and board code only */
#else
#define SLEEPER_NEED 4096  /* host: libc's timer calls and the lazy binder */
#endif

extern const unsigned bench_struct_bytes_registry, bench_struct_bytes_debug;

#ifdef VT_TEST_TINY_RAM /* 16 KB boards */
#define METER_STACK 1024
#define WAITER_STACK VT_STACK_SIZE(160)
static const unsigned sleeper_counts[] = {10, 20};
#else
#define METER_STACK 4096
#define WAITER_STACK 2048
static const unsigned sleeper_counts[] = {10, 1000, 10000};
#endif

static vt_thread_t meter;
static uint8_t sm[METER_STACK] __attribute__((aligned(16)));

/* sleep/wake pair: a waiter blocks with a timeout (timer insert), a poster
 * wakes it (timer removal), among N threads sleeping with later deadlines */
static vt_sem_t ping, pong;
#define PAIRS (BENCH_ICOUNT ? 2000u : 200u)
#define ROUNDS ((unsigned)BENCH_RUNS) /* host: the fastest of many short rounds */

static int waiter(void *arg)
{
    for (unsigned i = 0; i < PAIRS * ROUNDS; i++) {
        /* deadlines fall among the sleepers' (100 s .. 150 s), not before them */
        vt_sem_wait_timeout(&ping, 125000 + (i % 97) * 37);
        vt_sem_post(&pong);
    }
    return 0;
}

static int idle_sleeper(void *arg)
{
    return vt_sleep((vt_tick_t)(uintptr_t)arg);
}

static int measure_sleep(void *arg)
{
    unsigned n = (unsigned)(uintptr_t)arg;
    vt_thread_t *t = calloc(n, sizeof *t);
    const size_t ss = VT_STACK_SIZE(SLEEPER_NEED);
    uint8_t *s = malloc(ss * n);
    unsigned long long t0 = 0, t1 = 0;
    static vt_thread_t w;
    static uint8_t ws[WAITER_STACK] __attribute__((aligned(16)));
    if (t == NULL || s == NULL) {
        printf("no memory for %u sleepers\n", n);
        return 1;
    }
    for (unsigned i = 0; i < n; i++)
        vt_thread_create(&t[i], s + ss * i, ss, "zz", idle_sleeper,
                         (void *)(uintptr_t)(100000 + (i * 7919u) % 50000u), 0);
    vt_yield(); /* let them all go to sleep */
    vt_sem_init(&ping, 0);
    vt_sem_init(&pong, 0);
    vt_thread_create(&w, ws, sizeof ws, "waiter", waiter, NULL, 0);
    vt_yield();
    for (unsigned r = 0; r < ROUNDS; r++) {
        unsigned long long a = board_cycles(), b;
        for (unsigned i = 0; i < PAIRS; i++) {
            vt_sem_post(&ping);
            vt_sem_wait(&pong);
        }
        b = board_cycles();
        if (r == 0 || b - a < t1 - t0)
            t0 = a, t1 = b;
    }
    vt_thread_join(&w, NULL, VT_FOREVER);
    for (unsigned i = 0; i < n; i++) {
        vt_thread_cancel(&t[i]);
        vt_thread_join(&t[i], NULL, VT_FOREVER);
    }
    free(t);
    free(s);
    {
        char name[48];
        snprintf(name, sizeof name, "sleep_wake_pair_%u_sleepers", n);
        /* the pair: two semaphore calls that block, two wakes, two switches,
         * a timer inserted and removed (the loop's own few instructions in) */
        return bench_check(name, bench_tenths(t1 - t0) / PAIRS, 420, 2000);
    }
}

#ifdef BOARD_NS_PER_CYCLE /* the QEMU boards: RAM is what the board has */
/* How many vthreads with the smallest stack vt_thread_create() accepts fit
 * in the RAM left free (the heap, after this program's own data and
 * stacks): carve it into control blocks + stacks, run them all, report. */
#define MIN_STACK ((VT_THREAD_STACK_MIN + 7) & ~(size_t)7)
static unsigned tiny_ran;

static int tiny_body(void *arg)
{
    tiny_ran++;
    vt_yield();
    tiny_ran++;
    return 0;
}

static int threads_in_free_ram(void)
{
    /* 4 KB chunks from malloc until it says no: the whole free heap, in
     * pieces, so fragmentation does not hide memory */
#ifdef VT_TEST_TINY_RAM
    enum { CHUNK = 1024 };
#else
    enum { CHUNK = 4096 };
#endif
    const size_t per = sizeof(vt_thread_t) + MIN_STACK;
    struct chunk {
        struct chunk *next;
        uint32_t pad;
    } *chunks = NULL, *c;
    size_t bytes = 0;
    unsigned created = 0, joined = 0;
#ifndef RAM_BENCH_CAP
#define RAM_BENCH_CAP ((size_t)1 << 30)
#endif
    while (bytes < RAM_BENCH_CAP && (c = malloc(CHUNK)) != NULL) {
        uint8_t *p = (uint8_t *)(c + 1);
        uint8_t *end = (uint8_t *)c + CHUNK;
        c->next = chunks;
        chunks = c;
        bytes += CHUNK;
        while (p + per <= end) {
            vt_thread_t *t = (vt_thread_t *)(void *)p;
            memset(t, 0, sizeof *t);
            if (vt_thread_create(t, p + sizeof *t, MIN_STACK, "tiny", tiny_body, NULL, 0) != 0)
                break;
            created++;
            p += per;
        }
    }
    vt_run();
    for (c = chunks; c != NULL; c = c->next) {
        uint8_t *p = (uint8_t *)(c + 1);
        while (p + per <= (uint8_t *)c + CHUNK) {
            vt_thread_t *t = (vt_thread_t *)(void *)p;
            joined += vt_thread_join(t, NULL, VT_NOWAIT) == 0;
            p += per;
        }
    }
    while ((c = chunks) != NULL) {
        chunks = c->next;
        free(c);
    }
    printf("bench: free_ram_for_threads = %u bytes\n", (unsigned)bytes);
    printf("bench: vthreads_in_ram = %u threads (%u-byte stacks + %u-byte control blocks)\n",
           joined, (unsigned)MIN_STACK, (unsigned)sizeof(vt_thread_t));
    if (!(created > 0 && joined == created && tiny_ran == 2 * created)) {
        printf("  created %u, joined %u, ran %u\n", created, joined, tiny_ran);
        return 1;
    }
    return 0;
}
#endif

int main(int argc, char **argv)
{
    int fails = 0;
    /* release build (this binary); then the same struct with the registry,
     * and with the debug defaults (registry + per-thread switch counts) */
    printf("bench: thread_struct_bytes = %u bytes (ceiling %u)\n", (unsigned)sizeof(vt_thread_t),
           (unsigned)(12 * sizeof(void *)));
    fails += sizeof(vt_thread_t) > 12 * sizeof(void *); /* 48 bytes on a 32-bit core */
    printf("bench: thread_struct_bytes_registry = %u bytes\n", bench_struct_bytes_registry);
    printf("bench: thread_struct_bytes_debug = %u bytes\n", bench_struct_bytes_debug);
#ifdef BOARD_NS_PER_CYCLE
    if (threads_in_free_ram() != 0) /* first: the heap is still whole */
        fails++, printf("  vthreads_in_ram failed\n");
#endif
    for (unsigned i = 0; i < sizeof sleeper_counts / sizeof sleeper_counts[0]; i++) {
        int code = 1;
        vt_thread_create(&meter, sm, sizeof sm, "meter", measure_sleep,
                         (void *)(uintptr_t)sleeper_counts[i], 0);
        vt_run();
        int rc = vt_thread_join(&meter, &code, VT_NOWAIT);
        if (rc != 0 || code < 0)
            printf("  sleep benchmark %u: join %d, code %d\n", sleeper_counts[i], rc, code);
        fails += code != 0;
    }
    printf("%d passed, %d failed\n", fails == 0 ? 1 : 0, fails);
    return fails;
}
