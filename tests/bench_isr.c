/* SPDX-License-Identifier: MIT */
/**
 * @file tests/bench_isr.c
 * @brief An interrupt posts a semaphore and a blocked thread takes it
 * (issue 14's fifth row): the latency from the post to the thread running.
 *
 * One thread waits in vt_sem_wait(); nothing else is ready, so the CPU
 * idles in vt_run(). The board's test interrupt (board_test_irq(), a
 * hardware timer on every QEMU board, a POSIX timer signal on the host)
 * fires every PERIOD_US; its handler reads the clock and calls
 * vt_sem_post_isr(). The thread reads the clock as soon as its wait
 * returns. Figure: the mean of (thread's reading - handler's reading) over
 * SAMPLES interrupts, minus the mean of two back-to-back readings (the
 * clock's own cost: the baseline holds nothing of the path measured). What
 * remains is the post, the handler's return, the idle loop's scheduling
 * point (the interrupt work applied: the thread made ready), the switch and
 * the return from vt_sem_wait().
 *
 * Under -icount a tick of the clock is many instructions (40 on
 * mps2-an385, 100 on the RISC-V boards); the handler waits a varying few
 * instructions before reading, so the readings fall at every phase of the
 * tick and the mean over SAMPLES is exact to a fraction of an instruction.
 */
#include <stdio.h>

#include "bench.h"

#define PERIOD_US 200
#define WARMUP 10u
#define SAMPLES 2000u

static vt_sem_t sem;
static vt_thread_t waiter_thread;
static uint8_t waiter_stack[VT_STACK_SIZE(BENCH_ICOUNT ? 1024 : 8192)] __attribute__((aligned(16)));
static volatile unsigned long long t_post;
static volatile unsigned dither, posts;
static unsigned long long sum;
static unsigned waits;

/* Spread the readings over the phases of a clock tick. */
static void spin(unsigned n)
{
    for (volatile unsigned i = n; i > 0; i--) {
    }
}

static void on_irq(void)
{
    spin(dither);
    posts++;
    t_post = bench_now();
    vt_sem_post_isr(&sem);
}

static int waiter(void *arg)
{
    if (board_test_irq(PERIOD_US, on_irq) != 0) {
        printf("  no test interrupt on this board\n");
        return 1;
    }
    for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
        unsigned long long t;
        dither = (i * 7u) % 41u;
        if (vt_sem_wait(&sem) != 0)
            break;
        t = bench_now();
        waits++;
        if (i >= WARMUP)
            sum += t - t_post;
    }
    board_test_irq(0, NULL);
    return 0;
}

int main(void)
{
    unsigned long long base = 0;
    long long per;
    int fails = 0, code = 1;
    /* the clock's own cost: two readings in a row, at the same spread of phases */
    for (unsigned i = 0; i < SAMPLES; i++) {
        unsigned long long t0;
        spin((i * 7u) % 41u);
        t0 = bench_now();
        base += bench_now() - t0;
    }
    vt_sem_init(&sem, 0);
    vt_thread_create(&waiter_thread, waiter_stack, sizeof waiter_stack, "waiter", waiter, NULL,
                     0);
    vt_run();
    vt_thread_join(&waiter_thread, &code, VT_NOWAIT);
    /* every post reached the thread: taken, or still counted */
    if (code != 0 || waits != WARMUP + SAMPLES || posts != waits + (unsigned)vt_sem_count(&sem)) {
        printf("  waits %u, posts %u, count %ld, code %d\n", waits, (unsigned)posts,
               (long)vt_sem_count(&sem), code);
        fails++;
    }
    per = (bench_tenths(sum) - bench_tenths(base)) / SAMPLES;
    bench_info("isr_clock_read", bench_tenths(base) / SAMPLES, BENCH_UNIT);
    fails += bench_check("isr_wake", per, 100, 20000);
    printf("%d passed, %d failed\n", fails == 0, fails);
    return fails;
}
