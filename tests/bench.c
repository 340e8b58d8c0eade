/* SPDX-License-Identifier: MIT */
/**
 * @file tests/bench.c
 * @brief Shared code of the kernel benchmarks (tests/bench.h).
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

long long bench_tenths(unsigned long long cycles)
{
#ifdef BOARD_NS_PER_CYCLE
    return (long long)(cycles * (unsigned long long)(BOARD_NS_PER_CYCLE * 10));
#else
    return (long long)cycles * 10; /* host: ns */
#endif
}

unsigned long long bench_empty_loop(unsigned n)
{
    unsigned long long t0 = bench_now();
    BENCH_LOOP(n, BENCH_BARRIER());
    return bench_now() - t0;
}

unsigned long long bench_elapsed;

long long bench_run(int (*measure)(void *), unsigned ops)
{
    /* from the heap: a benchmark that does not call this keeps the RAM
     * (16 KB boards) */
    const size_t size = VT_STACK_SIZE(BENCH_ICOUNT ? 1024 : 8192);
    static vt_thread_t meter;
    uint8_t *stack = malloc(size);
    unsigned long long best = ~0ull, base = ~0ull;
    if (stack == NULL) {
        printf("  no memory for the meter thread's stack\n");
        return 1000000000;
    }
    for (int r = 0; r < BENCH_RUNS; r++) {
        unsigned long long b = bench_empty_loop(ops);
        bench_elapsed = ~0ull;
        vt_thread_create(&meter, stack, size, "meter", measure, NULL, 0);
        vt_run();
        vt_thread_join(&meter, NULL, VT_NOWAIT);
        if (bench_elapsed < best)
            best = bench_elapsed;
        if (b < base)
            base = b;
    }
    free(stack);
    return (bench_tenths(best) - bench_tenths(base)) / ops;
}

/* newlib-nano's printf has no %f nor %lld: tenths by hand */
static void put_tenths(long long tenths)
{
    long t = (long)tenths;
    if (t < 0) {
        putchar('-');
        t = -t;
    }
    printf("%ld.%ld", t / 10, t % 10);
}

void bench_info(const char *name, long long tenths, const char *unit)
{
    printf("bench: %s = ", name);
    put_tenths(tenths);
    printf(" %s\n", unit);
}

int bench_check(const char *name, long long tenths, unsigned target, unsigned host_ns)
{
    long long ceiling = ((long long)(BENCH_ICOUNT ? target : host_ns) * BENCH_SCALE_PCT + 9) / 10;
    int over = tenths > ceiling;
    printf("bench: %s = ", name);
    put_tenths(tenths);
    printf(" %s (ceiling ", BENCH_UNIT);
    put_tenths(ceiling);
    printf(")%s\n", over ? " FAIL: above the ceiling" : "");
    return over;
}
