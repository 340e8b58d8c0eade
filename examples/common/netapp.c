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

struct netapp_counters netapp;
const char *netapp_full_reply;

/* One connection's thread. Kept small: a server holds one per connection
 * it may have (the stack, when dedicated, is slot_stacks[index]). */
struct slot {
    vt_thread_t t;
    union {
        vt_tcp_t *s;        /* in use: the connection */
        struct slot *next;  /* free: the next free slot */
    } u;
};

static struct slot *slots, *free_slots;
static uint8_t *slot_stacks;      /* dedicated stacks, one per slot (not shared mode) */
static netapp_handler_t serve_fn; /* netapp_serve's handler: one server per program */
static vt_sem_t room;
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

int netapp_thread(vt_thread_t *t, size_t stack, const char *name, vt_entry_t fn, void *arg,
                  unsigned flags)
{
    uint8_t *mem;
    int rc;
    if (nrunstacks > 0)
        return vt_thread_create_shared(t, &runstacks[next_runstack++ % nrunstacks], name, fn,
                                       arg, flags);
    mem = malloc(VT_STACK_SIZE(stack)); /* for good: these threads never end */
    if (mem == NULL)
        return VT_ENOMEM;
    rc = vt_thread_create(t, mem, VT_STACK_SIZE(stack), name, fn, arg, flags);
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

static int conn_main(void *arg)
{
    struct slot *sl = arg;
    int rc = serve_fn(sl->u.s);
    size_t used = nrunstacks > 0 ? 0 : vt_thread_stack_used(&sl->t);
    if (used > netapp.stack_used_max)
        netapp.stack_used_max = used;
    if (rc != 0)
        netapp.errors++;
    netapp.conns--;
    netapp.served++;
    /* the slot is free once this thread has switched away for good; nothing
     * else runs before that, so it can go back on the list now */
    sl->u.next = free_slots;
    free_slots = sl;
    vt_sem_post(&room);
    return rc;
}

/* No slot free: answer netapp_full_reply and close (gracefully: the text
 * arrives). A fresh connection has room for a short text at once; the
 * timeout bounds the accept loop's wait should memory be short. */
static void refuse(vt_tcp_t *s)
{
    size_t n = strlen(netapp_full_reply);
    netapp.refused++;
    vt_tcp_set_timeout(s, 1000);
    vt_tcp_write(s, netapp_full_reply, n);
    vt_tcp_close(s);
}

int netapp_serve(uint16_t port, unsigned max, size_t stack, netapp_handler_t fn)
{
    vt_tcp_listener_t *l;
    int rc;

    stack = nrunstacks > 0 ? 0 : VT_STACK_SIZE(stack);
    slots = calloc(max, sizeof *slots);
    slot_stacks = stack > 0 ? malloc(max * stack) : NULL;
    if (slots == NULL || (stack > 0 && slot_stacks == NULL)) {
        printf("no memory for %u connection slots\n", max);
        return VT_ENOMEM;
    }
    for (unsigned i = max; i-- > 0;) {
        slots[i].u.next = free_slots;
        free_slots = &slots[i];
    }
    serve_fn = fn;
    netapp.stack = stack;
    vt_sem_init(&room, (int32_t)max);
    rc = vt_tcp_listen(&l, port, 255);
    if (rc != 0) {
        printf("listen on %u: %s\n", port, vt_strerror(rc));
        return rc;
    }
    for (;;) {
        vt_tcp_t *s;
        struct slot *sl;
        if (netapp_full_reply == NULL)
            vt_sem_wait(&room); /* a free slot, or the backlog holds them */
        rc = vt_tcp_accept(l, &s, VT_FOREVER);
        if (rc != 0) {
            if (netapp_full_reply == NULL)
                vt_sem_post(&room);
            printf("accept: %s\n", vt_strerror(rc));
            if (rc == VT_ECANCELED)
                return rc;
            continue;
        }
        if (netapp_full_reply != NULL && vt_sem_trywait(&room) != 0) {
            refuse(s); /* full: say so now rather than keep it waiting */
            continue;
        }
        sl = free_slots;
        free_slots = sl->u.next;
        sl->u.s = s;
        if (nrunstacks > 0)
            rc = vt_thread_create_shared(&sl->t, &runstacks[next_runstack++ % nrunstacks],
                                         "conn", conn_main, sl, VT_THREAD_DETACHED);
        else
            rc = vt_thread_create(&sl->t, slot_stacks + (size_t)(sl - slots) * stack, stack,
                                  "conn", conn_main, sl, VT_THREAD_DETACHED);
        if (rc != 0) {
            sl->u.next = free_slots;
            free_slots = sl;
            vt_sem_post(&room);
            if (netapp_full_reply != NULL && rc == VT_ENOMEM) {
                refuse(s); /* no memory for its stack: full as well */
                continue;
            }
            printf("thread: %s\n", vt_strerror(rc));
            vt_tcp_abort(s);
            continue;
        }
        if (++netapp.conns > netapp.conns_max)
            netapp.conns_max = netapp.conns;
    }
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
    /* vt_tcp is private to net/: its size is what tcp.c allocates per socket;
     * the slot is the thread plus this file's bookkeeping */
    extern const size_t vt_tcp_socket_bytes;
    size_t stack = netapp.stack;
    if (nrunstacks > 0) { /* shared: the average save area of suspended threads */
        vt_shared_stats_t st;
        vt_shared_stats(&st);
        stack = st.saved_threads > 0 ? st.saved_bytes / st.saved_threads : 0;
    }
    return sizeof(struct slot) + stack + vt_tcp_socket_bytes + sizeof(struct tcp_pcb);
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
    vt_net_stats(&st);
    return netapp_appendf(
        buf, len, n,
        "\"connections\":%u,\"connections_max\":%u,\"served\":%u,\"errors\":%u,"
        "\"refused\":%u,\"threads\":%u,\"tcp_sockets\":%lu,\"tcp_pcbs\":%lu,\"tcp_time_wait\":%lu,"
        "\"time_wait_ended\":%lu,\"accepted\":%lu,\"resets\":%lu,\"rx_frames\":%lu,"
        "\"tx_frames\":%lu,\"rx_dropped\":%lu,\"rx_nomem\":%lu,\"rx_overflows\":%lu,"
        "\"tcp_recoveries\":%lu,\"tcp_holes\":%lu,\"tcp_syn_restarts\":%lu,"
        "\"rx_compactions\":%lu,\"tx_busy\":%lu,\"tx_nomem\":%lu,\"bytes_per_connection\":%u,"
        "\"thread_bytes\":%u,\"stack_bytes\":%u,\"stack_used_max\":%u,\"shared_runstacks\":%u",
        netapp.conns, netapp.conns_max, netapp.served, netapp.errors, netapp.refused,
        vt_thread_count(),
        (unsigned long)st.tcp_open, (unsigned long)st.tcp_pcbs, (unsigned long)st.tcp_time_wait,
        (unsigned long)st.time_wait_ended, (unsigned long)st.accepted, (unsigned long)st.resets,
        (unsigned long)st.rx_frames, (unsigned long)st.tx_frames, (unsigned long)st.rx_dropped,
        (unsigned long)st.rx_nomem, (unsigned long)st.rx_overflows,
        (unsigned long)st.tcp_recoveries, (unsigned long)st.tcp_holes, (unsigned long)st.tcp_syn_restarts,
        (unsigned long)st.rx_compactions, (unsigned long)st.tx_busy, (unsigned long)st.tx_nomem,
        (unsigned)netapp_conn_bytes(), (unsigned)sizeof(vt_thread_t), (unsigned)netapp.stack,
        (unsigned)netapp.stack_used_max, nrunstacks);
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
        if (vt_tcp_accept(l, &s, VT_FOREVER) != 0)
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
