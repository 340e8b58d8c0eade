/* SPDX-License-Identifier: MIT */
/*
 * A small gateway on vthread (docs/getting-started.md):
 *   - readings arrive as UDP datagrams on port 9000 ("t1 21.5"); a pool of
 *     4 worker threads processes them and answers "ok <name>" to the sender
 *   - an HTTP server on port 8080, one thread per connection, answers any
 *     GET with the counters as JSON
 *   - a heartbeat thread prints the counters every second
 *   - the datagram "quit" shuts everything down; main() then returns 0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt/net.h"
#include "vt/vt.h"

/* Stack bytes per thread: the deepest, an HTTP thread, used about 1.4 KB on
 * mps2-an385 and 3 KB on the 64-bit host (glibc's printf is deep). Measure
 * yours: vt_dump()'s stack/size column, the server's stats. */
#define STACK (sizeof(void *) == 8 ? 4096 : 2048)

static struct {
    unsigned datagrams, processed, dropped, bad;
} count;

static vt_udp_t *udp;
static vt_event_t quit;

/* ---------------------------------------------------- workers: the pool */

VT_POOL_STORAGE(workers, 4, 16, STACK);   /* 4 threads, 16 queued jobs */

struct reading {
    int used;
    char text[64];
    vt_ip4_t from;
    uint16_t port;
};
static struct reading readings[16];       /* one per queued or running job */

static int process(void *arg)
{
    struct reading *r = arg;
    size_t len = strcspn(r->text, " "); /* "t1 21.5": a name, a number */
    char reply[32], *end;
    int n;

    strtod(r->text + len, &end);
    if (len == 0 || len > 16 || end == r->text + len) {
        count.bad++;
        n = snprintf(reply, sizeof reply, "bad reading\n");
    } else {
        vt_sleep(10); /* the work: a lookup, a computation, a write */
        count.processed++;
        n = snprintf(reply, sizeof reply, "ok %.*s\n", (int)len, r->text);
    }
    vt_udp_sendto(udp, reply, (size_t)n, r->from, r->port);
    r->used = 0;
    return 0;
}

/* ----------------------------------------------- UDP listener on port 9000 */

static vt_tcp_server_t web;
static void shutdown_all(void);

static int listener(void *arg)
{
    char buf[64];
    vt_ip4_t from;
    uint16_t port;
    int n;

    while ((n = vt_udp_recvfrom(udp, buf, sizeof buf - 1, &from, &port, VT_FOREVER)) >= 0) {
        struct reading *r = NULL;
        buf[n] = 0;
        count.datagrams++;
        if (strncmp(buf, "quit", 4) == 0)
            break;
        for (unsigned i = 0; i < sizeof readings / sizeof readings[0]; i++)
            if (!readings[i].used) {
                r = &readings[i];
                break;
            }
        if (r == NULL || vt_pool_trysubmit(&workers, process, r) != 0) {
            count.dropped++; /* every worker busy, the queue full: drop */
            continue;
        }
        r->used = 1;
        memcpy(r->text, buf, (size_t)n + 1);
        r->from = from;
        r->port = port;
    }
    if (n < 0)
        printf("udp: %s\n", vt_strerror(n));
    shutdown_all();
    return 0;
}

/* ------------------------------------------ HTTP on port 8080: a thread each */

static int http(vt_tcp_t *s, void *arg)
{
    char req[512], body[192], head[128];
    int have = 0, n, len;

    req[0] = 0;
    /* read the request head, up to the blank line that ends it */
    while (have < (int)sizeof req - 1 &&
           (n = vt_tcp_read(s, req + have, sizeof req - 1 - (size_t)have)) > 0) {
        have += n;
        req[have] = 0;
        if (strstr(req, "\r\n\r\n") != NULL)
            break;
    }
    if (strncmp(req, "GET ", 4) != 0)
        return 0; /* not a request we answer: the server closes the connection */
    len = snprintf(body, sizeof body,
                   "{\"datagrams\":%u,\"processed\":%u,\"dropped\":%u,\"bad\":%u,"
                   "\"threads\":%u,\"uptime_ms\":%lu}\n",
                   count.datagrams, count.processed, count.dropped, count.bad,
                   vt_thread_count(), (unsigned long)vt_now_ms());
    n = snprintf(head, sizeof head,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Content-Length: %d\r\nConnection: close\r\n\r\n", len);
    if (vt_tcp_write(s, head, (size_t)n) == n)
        vt_tcp_write(s, body, (size_t)len);
    return 0;
}

VT_TCP_SERVER_STORAGE(web, 8, STACK);     /* at most 8 connections at once */

static int web_main(void *arg) { return vt_tcp_serve(&web); }

/* ------------------------------------------------------------ heartbeat */

static int heartbeat(void *arg)
{
    /* wakes every second, or at once when quit is set */
    while (vt_event_wait_timeout(&quit, 1000) == VT_ETIMEDOUT)
        printf("heartbeat: %u datagrams, %u processed, %u dropped\n", count.datagrams,
               count.processed, count.dropped);
    return 0;
}

/* ------------------------------------------------------------- shutdown */

static int net_left; /* what vt_net_stop() found still open */

static void shutdown_all(void)
{
    vt_tcp_server_stats_t st;
    printf("gateway: quit received, shutting down\n");
    vt_event_set(&quit);                  /* the heartbeat ends */
    vt_tcp_server_stop(&web, 1000);       /* no new connections; 1 s for the open ones */
    vt_pool_shutdown(&workers);           /* queued readings are processed first */
    vt_udp_close(udp);
    vt_tcp_server_stats(&web, &st);
    printf("gateway: %u HTTP connections served, their threads used at most %u of %u "
           "stack bytes\n", st.served, (unsigned)st.stack_used_max, (unsigned)st.stack_size);
    net_left = vt_net_stop(500);          /* the poller ends: vt_run() can return */
}

int main(void)
{
    static vt_thread_t udp_t, web_t, beat_t;
    static uint8_t udp_stack[VT_STACK_SIZE(STACK)] __attribute__((aligned(16)));
    static uint8_t web_stack[VT_STACK_SIZE(STACK)] __attribute__((aligned(16)));
    static uint8_t beat_stack[VT_STACK_SIZE(STACK)] __attribute__((aligned(16)));
    vt_tcp_server_config_t cfg = {.port = 8080, .handler = http, .timeout = 5000,
                                  .busy_reply = "HTTP/1.1 503 Service Unavailable\r\n"
                                                "Content-Length: 0\r\n\r\n"};
    int rc;

    vt_event_init(&quit);
    if ((rc = vt_net_start(NULL)) != 0 || (rc = vt_udp_open(&udp, 9000)) != 0 ||
        (rc = VT_POOL_START(workers, "worker")) != 0 || (rc = VT_TCP_SERVER_INIT(web, &cfg)) != 0) {
        printf("gateway: cannot start: %s\n", vt_strerror(rc));
        return 1;
    }
    vt_thread_create(&udp_t, udp_stack, sizeof udp_stack, "udp", listener, NULL, 0);
    vt_thread_create(&web_t, web_stack, sizeof web_stack, "web", web_main, NULL, 0);
    vt_thread_create(&beat_t, beat_stack, sizeof beat_stack, "heartbeat", heartbeat, NULL, 0);
    printf("gateway: UDP on port 9000, HTTP on port 8080\n");
    vt_run();                             /* returns when every thread has ended */
    printf("gateway: clean shutdown (%d sockets were left open)\n", net_left);
    return net_left == 0 ? 0 : 1;
}
