/* SPDX-License-Identifier: MIT */
/**
 * @file examples/http_client/http_client.c
 * @brief N vthreads each fetch a URL from a host-side server, all in flight together.
 *
 * Options: host=10.0.2.2 port=8000 path=/ n=1000 stack=<bytes>, ramp=<threads
 * started per millisecond> (default 15; 0 starts them all at once). Each thread
 * connects, sends a GET, reads the whole answer and checks the status line.
 * Prints how many succeeded and the wall time; exits non-zero if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netapp.h"


static vt_ip4_t host;
static uint16_t port;
static const char *path;
static unsigned ok, failed;
static int first_error;
static uint32_t lat_min_us = UINT32_MAX, lat_max_us; /* per-fetch latency */

static int fetch(void *arg)
{
    char buf[256];
    vt_tcp_t *s;
    int n, rc, got = 0, status_ok = 0;
    uint64_t t0 = vt_now_us();
    uint32_t lat;
    rc = vt_tcp_connect(&s, host, port, 30000);
    if (rc != 0)
        goto out;
    vt_tcp_set_timeout(s, 30000);
    n = snprintf(buf, sizeof buf, "GET %s HTTP/1.1\r\nHost: vthread\r\nConnection: close\r\n\r\n",
                 path);
    rc = vt_tcp_write(s, buf, (size_t)n);
    while (rc >= 0 && (n = vt_tcp_read(s, buf + (got < 12 ? got : 0),
                                       got < 12 ? sizeof buf - 1 - (size_t)got : sizeof buf - 1)) > 0) {
        if (got < 12 && got + n >= 12)
            status_ok = strncmp(buf, "HTTP/1.0 200", 12) == 0 || strncmp(buf, "HTTP/1.1 200", 12) == 0;
        got += n;
    }
    rc = n < 0 ? n : (status_ok ? 0 : -1000);
    vt_tcp_close(s);
out:
    lat = (uint32_t)(vt_now_us() - t0);
    lat_min_us = lat < lat_min_us ? lat : lat_min_us;
    lat_max_us = lat > lat_max_us ? lat : lat_max_us;
    if (rc == 0) {
        ok++;
    } else {
        failed++;
        if (first_error == 0)
            first_error = rc;
    }
    return rc;
}

static int argc_;
static char **argv_;

static int run(void *arg)
{
    unsigned n = (unsigned)atoi(netapp_opt(argc_, argv_, "n", "1000"));
    size_t stack = VT_STACK_SIZE((size_t)atoi(netapp_opt(argc_, argv_, "stack", "1024")));
    vt_thread_t *t = calloc(n, sizeof *t);
    uint8_t *stacks = malloc(n * stack);
    unsigned ramp = (unsigned)atoi(netapp_opt(argc_, argv_, "ramp", "15"));
    uint64_t t0, started_us;
    if (t == NULL || stacks == NULL) {
        printf("out of memory for %u threads\n", n);
        vt_net_stop(0);
        return 1;
    }
    if (vt_ip4_parse(netapp_opt(argc_, argv_, "host", "10.0.2.2"), &host) != 0) {
        printf("bad host\n");
        vt_net_stop(0);
        return 1;
    }
    port = (uint16_t)atoi(netapp_opt(argc_, argv_, "port", "8000"));
    path = netapp_opt(argc_, argv_, "path", "/");
    vt_net_wait_up(15000);
    t0 = vt_now_us();
    for (unsigned i = 0; i < n; i++) {
        vt_thread_create(&t[i], stacks + (size_t)i * stack, stack, "fetch", fetch, NULL, 0);
        /* ramp, paced on the clock: a burst of a thousand SYN-ACKs (and,
         * 100 ms later, of answers) overruns the NIC model's receive FIFO,
         * and QEMU drops what does not fit */
        if (ramp > 0 && i % ramp == ramp - 1)
            vt_sleep_until((vt_tick_t)(t0 / 1000) + (i + 1) / ramp);
    }
    started_us = vt_now_us() - t0;
    for (unsigned i = 0; i < n; i++)
        vt_thread_join(&t[i], NULL, VT_FOREVER);
    {
        uint64_t us = vt_now_us() - t0;
        printf("http_client: %u of %u fetches succeeded, %u failed, wall time %lu ms\n", ok, n,
               failed, (unsigned long)(us / 1000));
        printf("http_client: all %u started after %lu ms\n", n, (unsigned long)(started_us / 1000));
        printf("http_client: per-fetch latency min %lu ms, max %lu ms\n",
               (unsigned long)(lat_min_us / 1000), (unsigned long)(lat_max_us / 1000));
        printf("bench: http_client_bytes_per_thread = %u bytes\n",
               (unsigned)(sizeof(vt_thread_t) + stack));
        {
            vt_net_stats_t st;
            vt_net_stats(&st);
            printf("http_client: frames in %lu, out %lu, dropped on receive %lu (driver full) + %lu "
                   "(no memory), no room to send %lu\n",
                   (unsigned long)st.rx_frames, (unsigned long)st.tx_frames,
                   (unsigned long)st.rx_dropped, (unsigned long)st.rx_nomem,
                   (unsigned long)st.tx_busy);
            printf("http_client: receive overflows %lu, connections asked to resend %lu, holes %lu, "
                   "connects started again %lu\n",
                   (unsigned long)st.rx_overflows, (unsigned long)st.tcp_recoveries,
                   (unsigned long)st.tcp_holes, (unsigned long)st.tcp_syn_restarts);
        }
        if (failed)
            printf("first error: %d %s\n", first_error, vt_strerror(first_error));
    }
    vt_net_stop(500); /* the last closes finish their handshake */
    return failed == 0 && ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    static vt_thread_t main_t;
    static uint8_t main_stack[VT_STACK_SIZE(4096)] __attribute__((aligned(16)));
    int code = 1;
    argc_ = argc;
    argv_ = argv;
    if (netapp_start(argc, argv) != 0)
        return 1;
    vt_thread_create(&main_t, main_stack, sizeof main_stack, "client", run, NULL, 0);
    vt_run();
    vt_thread_join(&main_t, &code, VT_NOWAIT);
    return code;
}
