/* SPDX-License-Identifier: MIT */
/**
 * @file tests/bench_queue.c
 * @brief Queue send + receive of a 16-byte message with no-wait calls
 * (issue 14's third row): one thread, vt_chan_trysend() then
 * vt_chan_tryrecv() on a channel of 16-byte items, in a counted loop.
 * Figure: instructions per pair, the empty counted loop subtracted.
 */
#include <stdio.h>

#include "bench.h"

#define ROUNDS BENCH_OPS(50000u)

struct msg {
    uint32_t w[4];
};

static vt_chan_t ch;
static struct msg buf[4];
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
    bench_elapsed = bench_now() - t0;
    bad += out.w[0] != 1 || out.w[3] != 4 || vt_chan_len(&ch) != 0;
    return 0;
}

int main(void)
{
    int fails = 0;
    long long per = bench_run(measure, ROUNDS);
    if (bad) {
        printf("  %u calls failed or messages came back wrong\n", bad);
        fails++;
    }
    fails += bench_check("queue_send_recv_16b", per, 150, 200);
    printf("%d passed, %d failed\n", fails == 0, fails);
    return fails;
}
