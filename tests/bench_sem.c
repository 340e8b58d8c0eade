/**
 * @file tests/bench_sem.c
 * @brief Semaphore get + put with no-wait calls (issue 14's fourth row):
 * one thread, vt_sem_trywait() then vt_sem_post() on a semaphore holding a
 * unit, in a counted loop. Figure: instructions per pair, the empty counted
 * loop subtracted.
 */
#include <stdio.h>

#include "bench.h"

#define ROUNDS 50000u

static vt_sem_t sem;
static vt_thread_t meter;
static uint8_t meter_stack[VT_STACK_SIZE(BENCH_ICOUNT ? 1024 : 8192)] __attribute__((aligned(16)));
static unsigned long long t_run;
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
    t_run = bench_now() - t0;
    bad += vt_sem_count(&sem) != 1;
    return 0;
}

int main(void)
{
    unsigned long long best = ~0ull, base = ~0ull;
    int fails = 0;
    for (int r = 0; r < (BENCH_ICOUNT ? 1 : 5); r++) {
        unsigned long long b = bench_empty_loop(ROUNDS);
        vt_thread_create(&meter, meter_stack, sizeof meter_stack, "meter", measure, NULL, 0);
        vt_run();
        vt_thread_join(&meter, NULL, VT_NOWAIT);
        if (t_run < best)
            best = t_run;
        if (b < base)
            base = b;
    }
    if (bad) {
        printf("  %u calls failed\n", bad);
        fails++;
    }
    fails += bench_check("sem_get_put", (bench_tenths(best) - bench_tenths(base)) / ROUNDS, 55,
                         100);
    printf("%d passed, %d failed\n", fails == 0, fails);
    return fails;
}
