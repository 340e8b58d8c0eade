/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/burst.c
 * @brief burst=N (burst.h): N readings from inside the gateway, timed from
 * the first one queued to the last one delivered (QoS 1: acknowledged by
 * the broker; QoS 0: written), on the board's clock; bursts=K repeats it
 * (one second apart). Prints one line per burst:
 * `burst: N readings delivered in T us`.
 */
#include "burst.h"

#include <stdio.h>
#include <string.h>

#include "mqtt.h"
#include "netapp.h"
#include "vt/tls.h"

static unsigned count, rounds;
static vt_chan_t *q;

static int burst(void *arg)
{
    struct mqtt_msg m;
    unsigned base;
    uint64_t t0;
    (void)arg;
    while (!mqtt_stats.connected)
        vt_sleep(10);
    for (unsigned r = 0; r < rounds; r++) {
        vt_sleep(r == 0 ? 200 : 1000); /* let the session settle (the reader, acks) */
        base = mqtt_stats.delivered;
        t0 = vt_now_us();
        for (unsigned i = 0; i < count; i++) {
            char topic[24], payload[24];
            int tn = snprintf(topic, sizeof topic, "sensors/burst-%u", i % 10);
            int pn = snprintf(payload, sizeof payload, "{\"t\":%u,\"h\":40}", i);
            mqtt_msg_set(&m, topic, (size_t)tn, payload, (size_t)pn);
            if (vt_chan_send(q, &m) != 0)
                return 1;
        }
        while (mqtt_stats.delivered - base < count)
            vt_sleep(1);
        printf("burst: %u readings delivered in %lu us\n", count,
               (unsigned long)(vt_now_us() - t0));
    }
#if GATEWAY_TLS
    {
        vt_tls_stats_t st;
        vt_tls_stats(&st);
        if (st.writes > 0)
            printf("burst: TLS records: %lu ns of CPU per write (%lu writes)\n",
                   (unsigned long)(st.write_cpu_ns / st.writes), (unsigned long)st.writes);
        if (st.reads >= 100) /* enough to average the clock's microsecond steps */
            printf("burst: TLS records: %lu ns of CPU per read (%lu reads)\n",
                   (unsigned long)(st.read_cpu_ns / st.reads), (unsigned long)st.reads);
    }
#endif
    return 0;
}

int burst_start(vt_chan_t *queue, unsigned n, unsigned times)
{
    static vt_thread_t t;
    q = queue;
    count = n;
    rounds = times ? times : 1;
    /* a stack only when a burst is asked for (or the shared run stack) */
    return netapp_thread(&t, 768, "burst", burst, NULL, VT_THREAD_DETACHED);
}
