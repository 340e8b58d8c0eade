/* SPDX-License-Identifier: MIT */
/**
 * @file examples/common/netapp.c
 * @brief Shared plumbing of the network examples (see netapp.h).
 */
#include "netapp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "http_req.h"
#include "lwip/tcp.h"
#include "vt/shared.h"

static vt_tcp_server_t *server;   /* the example's server, for the stats */
static vt_runstack_t *runstacks; /* shared mode: connection threads share these */
static unsigned nrunstacks, next_runstack;

int netapp_use_shared(unsigned n, size_t size)
{
    runstacks = calloc(n, sizeof *runstacks);
    if (runstacks == NULL)
        return VT_ENOMEM;
    for (unsigned i = 0; i < n; i++) {
        void *mem = malloc(size);
        if (mem == NULL || vt_runstack_init(&runstacks[i], mem, size) != 0)
            return VT_ENOMEM;
    }
    nrunstacks = n;
    return 0;
}

vt_runstack_t *netapp_runstack(void)
{
    return nrunstacks > 0 ? &runstacks[next_runstack++ % nrunstacks] : NULL;
}

int netapp_thread(vt_thread_t *t, size_t stack, const char *name, vt_entry_t fn, void *arg,
                  unsigned flags)
{
    uint8_t *mem;
    int rc;
    if (nrunstacks > 0)
        return vt_thread_create_shared(t, netapp_runstack(), name, fn, arg, flags);
    mem = malloc(NETAPP_STACK(stack)); /* for good: these threads never end */
    if (mem == NULL)
        return VT_ENOMEM;
    rc = vt_thread_create(t, mem, NETAPP_STACK(stack), name, fn, arg, flags);
    if (rc != 0)
        free(mem);
    return rc;
}

const char *netapp_opt(int argc, char **argv, const char *key, const char *def)
{
    size_t n = strlen(key);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
            return argv[i] + n + 1;
    return def;
}

long netapp_opt_num(int argc, char **argv, const char *key, long def)
{
    const char *v = netapp_opt(argc, argv, key, NULL);
    return v != NULL ? atol(v) : def;
}

int netapp_start(int argc, char **argv)
{
    vt_net_config_t cfg;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    cfg.dhcp = atoi(netapp_opt(argc, argv, "dhcp", "0"));
    vt_ip4_parse(netapp_opt(argc, argv, "ip", "10.0.2.15"), &cfg.addr);
    vt_ip4_parse(netapp_opt(argc, argv, "mask", "255.255.255.0"), &cfg.netmask);
    vt_ip4_parse(netapp_opt(argc, argv, "gw", "10.0.2.2"), &cfg.gateway);
    vt_ip4_parse(netapp_opt(argc, argv, "dns", "10.0.2.3"), &cfg.dns);
    rc = vt_net_start(&cfg);
    if (rc != 0)
        printf("network start failed: %s\n", vt_strerror(rc));
    return rc;
}

int netapp_server_init(vt_tcp_server_t *srv, const vt_tcp_server_config_t *cfg, unsigned max,
                       size_t stack)
{
    size_t size = nrunstacks > 0 ? 0 : NETAPP_STACK(stack);
    vt_tcp_conn_t *conns = calloc(max, sizeof *conns);
    uint8_t *stacks = size > 0 ? malloc(max * size) : NULL; /* aligned inside */
    int rc;
    if (conns == NULL || (size > 0 && stacks == NULL)) {
        printf("no memory for %u connection threads\n", max);
        free(conns);
        return VT_ENOMEM;
    }
    rc = vt_tcp_server_init(srv, cfg, conns, max, stacks, size);
    if (rc == 0 && nrunstacks > 0)
        rc = vt_tcp_server_use_shared(srv, runstacks, nrunstacks);
    if (rc != 0)
        printf("server: %s\n", vt_strerror(rc));
    server = srv;
    return rc;
}

int netapp_http_read(vt_tcp_t *s, char *buf, size_t cap, size_t *have, vt_tick_t deadline,
                     struct http_req *req)
{
    for (;;) {
        int32_t left;
        int n = http_req_parse(buf, *have, cap - 1, req);
        if (n != HTTP_REQ_MORE)
            return n;
        left = (int32_t)(deadline - vt_now_ms());
        if (left <= 0)
            return VT_ETIMEDOUT;
        n = vt_tcp_read_timeout(s, buf + *have, cap - 1 - *have, (vt_tick_t)left);
        if (n <= 0)
            return n == 0 ? (*have == 0 ? 0 : VT_EPIPE) : n;
        *have += (size_t)n;
    }
}

size_t netapp_conn_bytes(void)
{
    vt_tcp_server_stats_t st = {0};
    size_t stack;
    vt_tcp_server_stats(server, &st);
    stack = st.stack_size;
    if (nrunstacks > 0) { /* shared: the average save area of suspended threads */
        vt_shared_stats_t ss;
        vt_shared_stats(&ss);
        stack = ss.saved_threads > 0 ? ss.saved_bytes / ss.saved_threads : 0;
    }
    return sizeof(vt_tcp_conn_t) + stack + vt_tcp_socket_bytes + sizeof(struct tcp_pcb);
}

int netapp_appendf(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
    va_list ap;
    int k;
    if (*n >= len)
        return VT_ENOMEM;
    va_start(ap, fmt);
    k = vsnprintf(buf + *n, len - *n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= len - *n) {
        *n = len - 1; /* cut: buf stays NUL-terminated */
        return VT_ENOMEM;
    }
    *n += (size_t)k;
    return 0;
}

int netapp_stats_fields(char *buf, size_t len, size_t *n)
{
    vt_net_stats_t st;
    vt_tcp_server_stats_t ss = {0};
    vt_net_stats(&st);
    vt_tcp_server_stats(server, &ss);
    return netapp_appendf(
        buf, len, n,
        "\"connections\":%u,\"connections_max\":%u,\"served\":%u,\"errors\":%u,"
        "\"refused\":%u,\"threads\":%u,\"tcp_sockets\":%lu,\"tcp_pcbs\":%lu,\"tcp_time_wait\":%lu,"
        "\"time_wait_ended\":%lu,\"accepted\":%lu,\"resets\":%lu,\"rx_frames\":%lu,"
        "\"tx_frames\":%lu,\"rx_dropped\":%lu,\"rx_nomem\":%lu,\"rx_overflows\":%lu,"
        "\"tcp_recoveries\":%lu,\"tcp_holes\":%lu,\"tcp_syn_restarts\":%lu,"
        "\"rx_compactions\":%lu,\"tx_busy\":%lu,\"tx_nomem\":%lu,\"bytes_per_connection\":%u,"
        "\"thread_bytes\":%u,\"stack_bytes\":%u,\"stack_used_max\":%u,\"shared_runstacks\":%u",
        ss.active, ss.active_max, ss.served, ss.errors, ss.refused,
        vt_thread_count(),
        (unsigned long)st.tcp_open, (unsigned long)st.tcp_pcbs, (unsigned long)st.tcp_time_wait,
        (unsigned long)st.time_wait_ended, (unsigned long)st.accepted, (unsigned long)st.resets,
        (unsigned long)st.rx_frames, (unsigned long)st.tx_frames, (unsigned long)st.rx_dropped,
        (unsigned long)st.rx_nomem, (unsigned long)st.rx_overflows,
        (unsigned long)st.tcp_recoveries, (unsigned long)st.tcp_holes, (unsigned long)st.tcp_syn_restarts,
        (unsigned long)st.rx_compactions, (unsigned long)st.tx_busy, (unsigned long)st.tx_nomem,
        (unsigned)netapp_conn_bytes(), (unsigned)sizeof(vt_thread_t), (unsigned)ss.stack_size,
        (unsigned)ss.stack_used_max, nrunstacks);
}

int netapp_stats_json(char *buf, size_t len)
{
    size_t n = 0;
    if (netapp_appendf(buf, len, &n, "{") != 0 || netapp_stats_fields(buf, len, &n) != 0 ||
        netapp_appendf(buf, len, &n, "}\n") != 0)
        return VT_ENOMEM;
    return (int)n;
}

static int stats_server(void *port)
{
    vt_tcp_listener_t *l;
    int rc = vt_tcp_listen(&l, (uint16_t)(uintptr_t)port, 4);
    if (rc != 0)
        return rc;
    for (;;) {
        vt_tcp_t *s;
        char *buf, *msg;
        int n;
        rc = vt_tcp_accept(l, &s, VT_FOREVER);
        if (rc == VT_ENETDOWN || rc == VT_ECANCELED)
            return 0;
        if (rc != 0)
            continue;
        buf = malloc(NETAPP_STATS_MAX); /* only while answering */
        n = buf != NULL ? netapp_stats_json(buf, NETAPP_STATS_MAX) : VT_ENOMEM;
        msg = n < 0 ? "{\"error\":\"the stats do not fit\"}\n" : buf;
        vt_tcp_write(s, msg, n < 0 ? strlen(msg) : (size_t)n);
        free(buf);
        vt_tcp_close(s);
    }
}

int (*netapp_console_stats)(char *buf, size_t len) = netapp_stats_json;

/* The console: the board's UART is polled every 20 ms (a console is for a
 * person typing; no receive interrupt is wired up for it). */
static int console_main(void *unused)
{
    char line[32];
    size_t n = 0;
    (void)unused;
    for (;;) {
        int c = board_getc();
        if (c < 0) {
            if (vt_sleep(20) != 0)
                return 0; /* cancelled */
            continue;
        }
        if (c != '\r' && c != '\n') {
            if (n < sizeof line - 1)
                line[n++] = (char)c;
            continue;
        }
        line[n] = 0;
        if (n == 0) {
            continue;
        } else if (strcmp(line, "threads") == 0 || strcmp(line, "dump") == 0) {
            vt_dump();
        } else if (strcmp(line, "stats") == 0) {
            char *buf = malloc(NETAPP_STATS_MAX); /* only while printing */
            if (buf == NULL)
                printf("console: no memory for the stats\n");
            else if (netapp_console_stats(buf, NETAPP_STATS_MAX) < 0)
                printf("console: the stats do not fit %u bytes\n", (unsigned)NETAPP_STATS_MAX);
            else
                fputs(buf, stdout);
            free(buf);
        } else if (strcmp(line, "help") == 0) {
            printf("console commands: threads (or dump): the thread dump; stats: the counters\n");
        } else {
            printf("console: unknown command '%s' (try help)\n", line);
        }
        fflush(stdout);
        n = 0;
    }
}

int netapp_start_services(uint16_t stats_port)
{
    static vt_thread_t console, stats;
    int rc = netapp_thread(&console, 2048, "console", console_main, NULL, 0);
    if (rc == 0 && stats_port != 0)
        rc = netapp_thread(&stats, 2048, "stats", stats_server, (void *)(uintptr_t)stats_port, 0);
    return rc;
}
