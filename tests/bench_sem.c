/* SPDX-License-Identifier: MIT */
/**
 * @file tests/bench_sem.c
 * @brief Semaphore get + put with no-wait calls (issue 14's fourth row):
 * one thread, vt_sem_trywait() then vt_sem_post() on a semaphore holding a
 * unit, in a counted loop. Figure: instructions per pair, the empty counted
 * loop subtracted.
 */
#include <stdio.h>

#include "bench.h"

#define ROUNDS BENCH_OPS(50000u)

static vt_sem_t sem;
static unsigned bad;

static int measure(void *arg)
{
    unsigned long long t0;
    vt_sem_init(&sem, 1);
    t0 = bench_now();
    BENCH_LOOP(ROUNDS, {
        vt_sem_trywait(&sem);
        vt_sem_post(&sem);
    });
    /* the same calls again, their results checked (outside the timing) */
    bad += vt_sem_trywait(&sem) != 0;
    bad += vt_sem_post(&sem) != 0;
    bench_elapsed = bench_now() - t0;
    bad += vt_sem_count(&sem) != 1;
    return 0;
}

int main(void)
{
    int fails = 0;
    long long per = bench_run(measure, ROUNDS);
    if (bad) {
        printf("  %u calls failed\n", bad);
        fails++;
    }
    fails += bench_check("sem_get_put", per, 55, 100);
    printf("%d passed, %d failed\n", fails == 0, fails);
    return fails;
}
