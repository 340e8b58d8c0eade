/* SPDX-License-Identifier: MIT */
/**
 * @file tests/bench_yield.c
 * @brief Cooperative yield between two threads (issue 14's first row), and
 * relinquish among five equal threads (its second row) when built with
 * BENCH_THREADS=5: each thread calls vt_yield() in a counted loop, every
 * call switches to the next thread of the ring. Figure: instructions per
 * yield (the call, the pending-work check, the ring step, the stack-guard
 * check, arch_switch), the empty counted loop subtracted. Stack guard on,
 * release library.
 */
#include <stdio.h>

#include "bench.h"

#ifndef BENCH_THREADS
#define BENCH_THREADS 2
#endif
#define SWITCHES BENCH_OPS(100000u)
#define PER_THREAD (SWITCHES / BENCH_THREADS)

static vt_thread_t th[BENCH_THREADS];
static uint8_t stacks[BENCH_THREADS][VT_STACK_SIZE(256)] __attribute__((aligned(16)));

static int yielder(void *arg)
{
    BENCH_LOOP(PER_THREAD, vt_yield());
    return 0;
}

static int measure(void *arg)
{
    unsigned long long t0;
    for (int i = 0; i < BENCH_THREADS; i++)
        vt_thread_create(&th[i], stacks[i], sizeof stacks[i], "y", yielder, NULL, 0);
    /* the meter waits in join, out of the ring: the yielders run alone */
    t0 = bench_now();
    for (int i = 0; i < BENCH_THREADS; i++)
        vt_thread_join(&th[i], NULL, VT_FOREVER);
    bench_elapsed = bench_now() - t0;
    return 0;
}

int main(void)
{
    int fails = 0;
    {
        long long per = bench_run(measure, PER_THREAD * BENCH_THREADS);
#if BENCH_THREADS == 2
        fails += bench_check("yield_switch", per, 20, 100);
#else
        fails += bench_check("relinquish_5_threads", per, 20, 100);
#endif
    }
    printf("%d passed, %d failed\n", fails == 0, fails);
    return fails;
}
