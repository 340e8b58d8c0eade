/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/gateway.c
 * @brief IoT gateway: many sensors over TCP, one vthread each, their
 * readings forwarded to an MQTT broker.
 *
 * - Port 5000: sensors send one reading per line,
 *   `<sensor-id> <temperature> <humidity>\n` (id: 1-32 of [A-Za-z0-9_-],
 *   numbers in decimal, e.g. `t-17 21.5 40`). Each line is answered: `OK`
 *   once the reading is queued for the broker, `ERR <reason>` otherwise
 *   (malformed, too long, queue full); the connection carries on. A sensor
 *   silent for longer than timeout= ms is disconnected. A sensor that
 *   connects while max= sensors are connected is answered `ERR full` and
 *   closed; the connected ones are never dropped to make room. The lines
 *   are checked by reading.c.
 * - Valid readings go to topic `sensors/<id>`, payload `{"t":T,"h":H}` (the
 *   numbers as received), over MQTT 3.1.1 (mqtt.c, mqtt_proto.c) through a
 *   bounded queue.
 * - Port 80: GET /stats (JSON counters), GET /threads (the thread dump,
 *   sent a page at a time: memory stays bounded however many threads) and
 *   GET /summary (the periodic summary offloaded with vt_offload:
 *   summary.h). A request head (up to 1 KB) must arrive within 5 s.
 *
 * Options (semihosting command line): broker=HOST:PORT (10.0.2.2:1883),
 * max=<sensors at once> (GATEWAY_SENSORS), stack=<bytes per sensor
 * thread> (512), shared=<run stacks>: sensors and the gateway's own
 * threads share that many run stacks and keep only their live stack while
 * idle (GATEWAY_SHARED), timeout=<ms> (30000), line_timeout=<ms the rest
 * of a started line may take> (5000), busy=<sensors handling a reading at
 * once; the others wait their turn> (GATEWAY_BUSY_MAX, 0: no limit),
 * qos=0|1 (1), keepalive=<s> (30), window=<QoS 1 messages in flight> (16,
 * at most MQTT_WINDOW_MAX), queue=<messages> (GATEWAY_QUEUE),
 * queue_wait=<ms a sensor waits for room before `ERR queue full`> (1000),
 * dhcp=1.
 *
 * TLS uplink (link.c, docs/tls.md): tls=1, ca=<CA certificate file>,
 * cert=<client certificate file> key=<its key file> (PEM or DER, read from
 * the host at boot through semihosting; without them the ones built in
 * with CMake's GATEWAY_TLS_CA/_CERT/_KEY), tls_name=<name in the broker's
 * certificate> (the broker's host name), time=<seconds since 1970>, and
 * on boards without a random generator seed=<64+ hex digits> (a test seed).
 * burst=N [bursts=K]: N readings from inside the gateway, timed (burst.c).
 * summary=<ms> and the options of summary.h: a CPU-heavy job, offloaded.
 *
 * The defaults in capitals come from the application's options header when
 * it has one (VT_USER_CONFIG: examples/gateway/gateway_64k.h on a 64 KB
 * part), else from below.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "burst.h"
#include "http_req.h"
#include "lwip/memp.h"
#include "lwip/stats.h"
#include "mqtt.h"
#include "netapp.h"
#include "reading.h"
#include "summary.h"

/* application options (the defaults of max=, queue=, shared=, busy=) */
#ifndef GATEWAY_SENSORS
#define GATEWAY_SENSORS 1000   /* sensors connected at once */
#endif
#ifndef GATEWAY_QUEUE
#define GATEWAY_QUEUE 256      /* readings waiting for the broker */
#endif
#ifndef GATEWAY_SHARED
#define GATEWAY_SHARED 0       /* run stacks shared by the threads; 0: a stack each */
#endif
#ifndef GATEWAY_RUNSTACK
#define GATEWAY_RUNSTACK 2048  /* bytes of each shared run stack */
#endif
#ifndef GATEWAY_HTTP_THREADS
#define GATEWAY_HTTP_THREADS 2 /* HTTP requests served at once */
#endif
#ifndef GATEWAY_BUSY_MAX
#define GATEWAY_BUSY_MAX 0     /* sensors handling a reading at once (busy=); 0: all */
#endif


/* gateway counters (the network and thread ones are in netapp, mqtt_stats) */
static struct {
    unsigned lines;          /* lines received */
    unsigned readings;       /* valid readings queued for the broker */
    unsigned malformed;      /* lines that are not a reading */
    unsigned oversized;      /* lines longer than READING_LINE_MAX */
    unsigned timeouts;       /* sensors disconnected for silence */
    unsigned queue_waits;    /* readings that found the queue full and waited */
    unsigned queue_full;     /* readings refused: still full after queue_wait */
    unsigned write_errors;   /* replies that could not be written */
    unsigned http_requests;  /* HTTP requests answered */
    unsigned http_bad;       /* HTTP requests refused: malformed, too long */
    unsigned http_timeouts;  /* HTTP clients whose request head took too long */
    unsigned long bytes_in;
} gw;
static vt_tcp_server_t sensors; /* port 5000: a thread per sensor (vt_tcp_serve) */
static unsigned opt_max, shared_stacks;

static vt_chan_t queue;
static unsigned queue_cap;
static vt_tick_t opt_timeout, opt_queue_wait, opt_line_timeout;
static unsigned opt_busy;
static vt_sem_t busy; /* opt_busy > 0: sensors allowed to handle a reading now */
static int argc_;
static char **argv_;

/* ---------------------------------------------------------- validation */

static int reply(vt_tcp_t *s, const char *text)
{
    size_t n = strlen(text);
    if (vt_tcp_write(s, text, n) != (int)n) {
        gw.write_errors++;
        return -1;
    }
    return 0;
}

/* Into the queue, waiting at most queue_wait for room (back-pressure). Not
 * inlined: the message lives on the stack only during this call, not during
 * the reply's write. */
static __attribute__((noinline)) int queue_reading(const struct reading *r)
{
    struct mqtt_msg m;
    if (reading_to_msg(r, &m) != 0)
        return VT_EINVAL; /* reading_parse's limits make it fit */
    if (vt_chan_trysend(&queue, &m) == 0)
        return 0;
    gw.queue_waits++;
    return vt_chan_send_timeout(&queue, &m, opt_queue_wait);
}

/* One complete line (without its newline): check, queue, answer. */
static int handle_line(vt_tcp_t *s, const char *line, size_t n)
{
    struct reading r;
    int err = reading_parse(line, n, &r);
    gw.lines++;
    if (err != READING_OK) {
        gw.malformed++;
        return reply(s, reading_error_text(err));
    }
    if (queue_reading(&r) != 0) {
        gw.queue_full++;
        return reply(s, "ERR queue full\n");
    }
    gw.readings++;
    summary_record(line, n);
    return reply(s, "OK\n");
}

/* ------------------------------------------------------------- sensors */

/* What a sensor sent: the lines there now and, if they end inside a line,
 * what follows up to that line's end. The line buffer lives only during
 * this call: a sensor waiting for its next reading holds none (on a shared
 * run stack, that is what it keeps while idle). Not inlined for that.
 * @return 1 to carry on, 0 when the sensor closed, < 0 on error */
static __attribute__((noinline)) int sensor_input(vt_tcp_t *s)
{
    struct line_buf lb = {0};
    char in[32];

    do {
        /* the first read finds data; the rest of a line must follow soon */
        int n = vt_tcp_read_timeout(s, in, sizeof in, line_open(&lb) ? opt_line_timeout
                                                                      : opt_timeout);
        if (n <= 0)
            return n;
        gw.bytes_in += (unsigned)n;
        for (int i = 0; i < n; i++) {
            int what = line_push(&lb, in[i]), rc = 0;
            if (what == LINE_DONE) {
                rc = handle_line(s, lb.line, lb.len);
            } else if (what == LINE_TOO_LONG) {
                gw.lines++;
                gw.oversized++;
                rc = reply(s, "ERR line too long\n");
            }
            if (rc != 0)
                return VT_EIO;
        }
    } while (line_open(&lb)); /* inside a line: read on to its end */
    return 1;
}

/* One sensor connection: plain sequential code in its own vthread. With
 * busy= (opt_busy), at most that many sensors handle a reading at once:
 * the others wait for their turn where an idle sensor waits, with a
 * shallow stack. On shared run stacks this bounds memory: N sensors cost
 * N idle stacks plus opt_busy deep ones (a reading being queued or
 * answered), whatever they all send at once. */
static int sensor(vt_tcp_t *s, void *arg)
{
    int rc;
    vt_tcp_set_timeout(s, opt_timeout);
    do {
        rc = vt_tcp_wait_readable(s, opt_timeout);
        if (rc == 0 && opt_busy > 0)
            rc = vt_sem_wait(&busy);
        if (rc == 0) {
            rc = sensor_input(s);
            if (opt_busy > 0)
                vt_sem_post(&busy);
        }
    } while (rc > 0);
    if (rc == VT_ETIMEDOUT) {
        gw.timeouts++;
        reply(s, "ERR timeout\n");
    }
    return 0; /* a sensor's misbehaviour is counted above, not a gateway error */
}

/* ---------------------------------------------------------------- HTTP */

/* bytes malloc has handed out and not had back (chunk headers included),
 * and what it could still hand out: its free blocks, and on the boards the
 * heap the linker script left (up to __heap_end) not yet taken */
extern char __heap_end[] __attribute__((weak));

static size_t malloc_in_use(void)
{
#if defined(__GLIBC__)
    return mallinfo2().uordblks;
#else
    return (size_t)mallinfo().uordblks;
#endif
}

static size_t malloc_free(void)
{
#if defined(__GLIBC__)
    size_t n = mallinfo2().fordblks;
#else
    size_t n = (size_t)mallinfo().fordblks;
#endif
    if (__heap_end != NULL)
        n += (size_t)(__heap_end - (char *)sbrk(0));
    return n;
}

/* The stats JSON: netapp's counters, then the gateway's. @return its
 * length, or VT_ENOMEM if it does not fit @p len bytes */
static int stats_json(char *buf, size_t len)
{
    vt_shared_stats_t ss;
    vt_tcp_server_stats_t sst;
    size_t n = 0;
    vt_shared_stats(&ss);
    vt_tcp_server_stats(&sensors, &sst);
    if (netapp_appendf(buf, len, &n, "{") != 0 || netapp_stats_fields(buf, len, &n) != 0)
        return VT_ENOMEM;
    if (netapp_appendf(buf, len, &n,
                  ",\"sensors_max\":%u,\"lines_in\":%u,\"messages_in\":%u,\"messages_out\":%u,"
                  "\"bytes_in\":%lu,"
                  "\"errors_by_kind\":{\"malformed\":%u,\"oversized\":%u,\"timeout\":%u,"
                  "\"queue_full\":%u,\"write\":%u,\"handler\":%u},"
                  "\"queue_overflow\":%u,\"queue_waits\":%u,\"queue_len\":%u,\"queue_cap\":%u,"
                  "\"http\":{\"requests\":%u,\"bad\":%u,\"timeouts\":%u},"
                  "\"mqtt\":{\"connected\":%u,\"connects\":%u,\"connect_fails\":%u,"
                  "\"disconnects\":%u,\"qos\":%s,\"published\":%u,\"delivered\":%u,"
                  "\"inflight\":%u,\"retransmits\":%u,\"lost\":%u,\"pings\":%u,\"pongs\":%u,"
                  "\"unexpected\":%u,\"protocol_errors\":%u,"
                  "\"backoff_ms\":%u,\"last_error\":\"%s\"},"
                  "\"mem\":{\"malloc_in_use\":%lu,\"malloc_free\":%lu,\"lwip_heap_used\":%u,\"lwip_heap_max\":%u,"
                  "\"tcp_pcbs_max\":%u,\"tcp_segs_max\":%u,\"saved_stack_bytes\":%lu,"
                  "\"saved_threads\":%u}}\n",
                  opt_max, gw.lines, gw.readings,
                  mqtt_stats.delivered, gw.bytes_in, gw.malformed, gw.oversized, gw.timeouts,
                  gw.queue_full, gw.write_errors, sst.errors, gw.queue_full, gw.queue_waits,
                  (unsigned)vt_chan_len(&queue), queue_cap, gw.http_requests, gw.http_bad,
                  gw.http_timeouts, mqtt_stats.connected,
                  mqtt_stats.connects, mqtt_stats.connect_fails, mqtt_stats.disconnects,
                  netapp_opt(argc_, argv_, "qos", "1"), mqtt_stats.published,
                  mqtt_stats.delivered, mqtt_stats.inflight, mqtt_stats.retransmits,
                  mqtt_stats.lost, mqtt_stats.pings, mqtt_stats.pongs, mqtt_stats.unexpected,
                  mqtt_stats.protocol_errors, mqtt_stats.backoff_ms,
                  mqtt_stats.last_error ? vt_strerror(mqtt_stats.last_error) : "",
                  (unsigned long)malloc_in_use(), (unsigned long)malloc_free(), (unsigned)lwip_stats.mem.used,
                  (unsigned)lwip_stats.mem.max, (unsigned)lwip_stats.memp[MEMP_TCP_PCB]->max,
                  (unsigned)lwip_stats.memp[MEMP_TCP_SEG]->max, (unsigned long)ss.saved_bytes,
                  ss.saved_threads) != 0)
        return VT_ENOMEM;
    return (int)n;
}

/* Both answers are built in one buffer, a response at a time. */
static char out[NETAPP_STATS_MAX];
static vt_mutex_t out_lock;

/* The thread dump, a page at a time: the lines [from, from + what fits
 * in out) of a fresh dump. Memory stays one buffer however many threads
 * there are; threads that come or go between pages may shift a line into
 * the next page twice or out of both. The sink must not block (the thread
 * list is walked meanwhile): it only copies. */
struct page {
    size_t len;
    unsigned line, from, next;
    int full;
};

static void page_put(void *ctx, const char *text)
{
    struct page *p = ctx;
    size_t n = strlen(text);
    unsigned i = p->line++;
    if (i < p->from || p->full)
        return;
    if (p->len + n > sizeof out) {
        p->full = 1; /* this line opens the next page */
        return;
    }
    memcpy(out + p->len, text, n);
    p->len += n;
    p->next = i + 1;
}

static void http_threads(vt_tcp_t *s)
{
    static const char head[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                               "Connection: close\r\n\r\n"; /* the body ends at the close */
    struct page p = {0};
    if (vt_tcp_write(s, head, sizeof head - 1) != (int)sizeof head - 1)
        return;
    do {
        p.from = p.next;
        p.len = 0;
        p.line = 0;
        p.full = 0;
        vt_dump_to(page_put, &p);
        if (p.len == 0 || vt_tcp_write(s, out, p.len) != (int)p.len)
            return;
    } while (p.full);
}

static void http_reply(vt_tcp_t *s, const char *status, const char *type, const char *body,
                       size_t n)
{
    char head[160];
    int hn = snprintf(head, sizeof head,
                      "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %u\r\n"
                      "Connection: close\r\n\r\n",
                      status, type, (unsigned)n);
    if (vt_tcp_write(s, head, (size_t)hn) == hn)
        vt_tcp_write(s, body, n);
}

#define HTTP_REQ_BYTES 1024 /* a browser's request head is 300-800 bytes */
#define HTTP_REQ_MS 5000    /* a whole request head within this: a client that
                               trickles bytes holds a thread no longer */

/* Read a request head (http_req.c parses it). Not inlined: its buffer
 * lives only while the head is read, not while the answer is written.
 * @return netapp_http_read()'s result */
static __attribute__((noinline)) int http_request(vt_tcp_t *s, struct http_req *req)
{
    char buf[HTTP_REQ_BYTES];
    size_t have = 0;
    return netapp_http_read(s, buf, sizeof buf, &have, vt_now_ms() + HTTP_REQ_MS, req);
}

static void http_serve(vt_tcp_t *s)
{
    struct http_req req;
    size_t plen;
    int n;
    vt_tcp_set_timeout(s, HTTP_REQ_MS); /* the answer's writes */
    n = http_request(s, &req);
    if (n == HTTP_REQ_BAD || n == HTTP_REQ_TOO_LONG || n == HTTP_REQ_URI_LONG) {
        static const char bad[] = "bad request\n";
        gw.http_bad++;
        http_reply(s, n == HTTP_REQ_TOO_LONG  ? "431 Request Header Fields Too Large"
                      : n == HTTP_REQ_URI_LONG ? "414 URI Too Long"
                                               : "400 Bad Request",
                   "text/plain", bad, sizeof bad - 1);
        return;
    }
    if (n <= 0) {
        if (n == VT_ETIMEDOUT)
            gw.http_timeouts++;
        return;
    }
    gw.http_requests++;
    plen = strcspn(req.path, "?");
    if (strcmp(req.method, "GET") != 0) {
        static const char m[] = "GET only\n";
        http_reply(s, "405 Method Not Allowed", "text/plain", m, sizeof m - 1);
    } else if (plen == 6 && strncmp(req.path, "/stats", 6) == 0) {
        vt_mutex_lock(&out_lock);
        n = stats_json(out, sizeof out);
        if (n < 0) {
            static const char e[] = "stats do not fit\n";
            http_reply(s, "500 Internal Server Error", "text/plain", e, sizeof e - 1);
        } else {
            http_reply(s, "200 OK", "application/json", out, (size_t)n);
        }
        vt_mutex_unlock(&out_lock);
    } else if (plen == 8 && strncmp(req.path, "/threads", 8) == 0) {
        vt_mutex_lock(&out_lock);
        http_threads(s);
        vt_mutex_unlock(&out_lock);
    } else if (plen == 8 && strncmp(req.path, "/summary", 8) == 0) {
        vt_mutex_lock(&out_lock);
        n = summary_http(req.path + plen, out, sizeof out); /* "?mode" switches it */
        http_reply(s, "200 OK", "application/json", out, (size_t)n);
        vt_mutex_unlock(&out_lock);
    } else if (plen == 1 && req.path[0] == '/') {
        static const char idx[] = "vthread gateway: GET /stats, GET /threads\n";
        http_reply(s, "200 OK", "text/plain", idx, sizeof idx - 1);
    } else {
        static const char nf[] = "not found\n";
        http_reply(s, "404 Not Found", "text/plain", nf, sizeof nf - 1);
    }
}

static vt_tcp_listener_t *http_l;

static int http_server(void *arg)
{
    (void)arg;
    for (;;) {
        vt_tcp_t *s;
        if (vt_tcp_accept(http_l, &s, VT_FOREVER) != 0)
            continue;
        http_serve(s);
        vt_tcp_close(s); /* graceful: the rest of a request is read and dropped */
    }
    return 0;
}

/* -------------------------------------------------------------- start */

/* Everything before serving sensors: broker address, queue, MQTT, HTTP.
 * Not inlined: its buffers are gone while the thread serves. */
static __attribute__((noinline)) int gateway_setup(size_t stack)
{
    static vt_thread_t http_t[GATEWAY_HTTP_THREADS];
    const char *broker = netapp_opt(argc_, argv_, "broker", "10.0.2.2:1883");
    struct mqtt_config mc;
    char host[64], ip[16];
    const char *colon = strrchr(broker, ':');
    size_t hl = colon ? (size_t)(colon - broker) : strlen(broker);
    int rc;

    if (vt_net_wait_up(15000) != 0) {
        printf("gateway: no address\n");
        return 1;
    }
    memset(&mc, 0, sizeof mc);
    if (hl >= sizeof host)
        hl = sizeof host - 1;
    memcpy(host, broker, hl);
    host[hl] = 0;
    mc.link.port = (uint16_t)(colon ? atoi(colon + 1) : 1883);
    rc = vt_dns_resolve(host, &mc.link.ip, 10000);
    if (rc != 0) {
        printf("gateway: broker %s: %s\n", host, vt_strerror(rc));
        return 1;
    }
    if (link_options(argc_, argv_, host, &mc.link) != 0)
        return 1;
    mc.qos = (uint8_t)atoi(netapp_opt(argc_, argv_, "qos", "1"));
    mc.keepalive = (uint16_t)atoi(netapp_opt(argc_, argv_, "keepalive", "30"));
    mc.window = (uint8_t)atoi(netapp_opt(argc_, argv_, "window", "16"));
    mc.client_id = netapp_opt(argc_, argv_, "client", "vthread-gateway");
    mc.queue = &queue;
    mc.reader_runstack = netapp_runstack(); /* MQTT_READER_STACK 0: the reader shares it */
    queue_cap = (unsigned)netapp_opt_num(argc_, argv_, "queue", GATEWAY_QUEUE);
    opt_timeout = (vt_tick_t)atol(netapp_opt(argc_, argv_, "timeout", "30000"));
    opt_queue_wait = (vt_tick_t)atol(netapp_opt(argc_, argv_, "queue_wait", "1000"));
    opt_line_timeout = (vt_tick_t)netapp_opt_num(argc_, argv_, "line_timeout", 5000);
    opt_busy = (unsigned)netapp_opt_num(argc_, argv_, "busy", GATEWAY_BUSY_MAX);
    vt_sem_init(&busy, (int32_t)opt_busy);
    if (vt_chan_init(&queue, malloc(queue_cap * sizeof(struct mqtt_msg)), sizeof(struct mqtt_msg),
                     queue_cap) != 0) {
        printf("gateway: no memory for a %u-message queue\n", queue_cap);
        return 1;
    }
    if ((rc = mqtt_start(&mc)) != 0) {
        printf("gateway: MQTT uplink: %s\n", vt_strerror(rc));
        return 1;
    }
    if (atoi(netapp_opt(argc_, argv_, "burst", "0")) > 0)
        burst_start(&queue, (unsigned)atoi(netapp_opt(argc_, argv_, "burst", "0")),
                    (unsigned)atoi(netapp_opt(argc_, argv_, "bursts", "1")));
    summary_start(argc_, argv_, &queue); /* summary=<ms>: the offloaded job (summary.h) */

    rc = vt_tcp_listen(&http_l, 80, 8);
    if (rc != 0) {
        printf("gateway: listen on 80: %s\n", vt_strerror(rc));
        return 1;
    }
    for (int i = 0; i < GATEWAY_HTTP_THREADS; i++)
        if ((rc = netapp_thread(&http_t[i], 2048, "http", http_server, NULL, VT_THREAD_DETACHED)) != 0) {
            printf("gateway: http thread: %s\n", vt_strerror(rc));
            return 1;
        }

    printf("gateway: listening on %s port 5000 (max %u sensors, %s %u bytes, timeout %lu ms),"
           " http on 80, broker %s:%u%s qos %u\n",
           vt_ip4_str(vt_net_addr(), ip), opt_max,
           shared_stacks ? "shared run stacks of" : "stacks of",
           shared_stacks ? (unsigned)GATEWAY_RUNSTACK : (unsigned)stack, (unsigned long)opt_timeout,
           vt_ip4_str(mc.link.ip, host), mc.link.port, mc.link.tls ? " over TLS" : "", mc.qos);
    return 0;
}

static int gateway(void *arg)
{
    size_t stack = (size_t)atoi(netapp_opt(argc_, argv_, "stack", "512"));
    (void)arg;
    /* full: a new sensor is told so and closed at once; those connected stay */
    vt_tcp_server_config_t cfg = {.port = 5000, .handler = sensor, .backlog = 255,
                                  .busy_reply = "ERR full\n"};
    if (gateway_setup(stack) != 0 || netapp_server_init(&sensors, &cfg, opt_max, stack) != 0)
        return 1;
    return vt_tcp_serve(&sensors);
}

int main(int argc, char **argv)
{
    static vt_thread_t main_t;
    argc_ = argc;
    argv_ = argv;
    opt_max = (unsigned)netapp_opt_num(argc, argv, "max", GATEWAY_SENSORS);
    shared_stacks = (unsigned)netapp_opt_num(argc, argv, "shared", GATEWAY_SHARED);
    if (shared_stacks > 0 && netapp_use_shared(shared_stacks, GATEWAY_RUNSTACK) != 0) {
        printf("gateway: no memory for %u run stacks\n", shared_stacks);
        return 1;
    }
    if (netapp_start(argc, argv) != 0)
        return 1;
    netapp_console_stats = stats_json;
    netapp_start_services(0); /* the console; /stats is served on port 80 */
    if (netapp_thread(&main_t, 3072, "gateway", gateway, NULL, 0) != 0) {
        printf("gateway: no memory for its thread\n");
        return 1;
    }
    vt_run();
    return 1;
}
