/**
 * @file tests/bench_queue.c
 * @brief Queue send + receive of a 16-byte message with no-wait calls
 * (issue 14's third row): one thread, vt_chan_trysend() then
 * vt_chan_tryrecv() on a channel of 16-byte items, in a counted loop.
 * Figure: instructions per pair, the empty counted loop subtracted.
 */
#include <stdio.h>

#include "bench.h"

#define ROUNDS 50000u

struct msg {
    uint32_t w[4];
};

static vt_chan_t ch;
static struct msg buf[4];
static vt_thread_t meter;
static uint8_t meter_stack[VT_STACK_SIZE(BENCH_ICOUNT ? 1024 : 8192)] __attribute__((aligned(16)));
static unsigned long long t_run;
static unsigned bad;

static int measure(void *arg)
{
    struct msg in = {{1, 2, 3, 4}}, out;
    unsigned long long t0;
    vt_chan_init(&ch, buf, sizeof buf[0], 4);
    t0 = bench_now();
    BENCH_LOOP(ROUNDS, {
        vt_chan_trysend(&ch, &in);
        vt_chan_tryrecv(&ch, &out);
    });
    /* the same calls again, their results checked (outside the timing) */
    bad += vt_chan_trysend(&ch, &in) != 0;
    bad += vt_chan_tryrecv(&ch, &out) != 0;
    t_run = bench_now() - t0;
    bad += out.w[0] != 1 || out.w[3] != 4 || vt_chan_len(&ch) != 0;
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
        printf("  %u calls failed or messages came back wrong\n", bad);
        fails++;
    }
    fails += bench_check("queue_send_recv_16b", (bench_tenths(best) - bench_tenths(base)) / ROUNDS,
                         150, 200);
    printf("%d passed, %d failed\n", fails == 0, fails);
    return fails;
}
