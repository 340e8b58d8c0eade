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
 *   silent for longer than timeout= ms is disconnected.
 * - Valid readings go to topic `sensors/<id>`, payload `{"t":T,"h":H}` (the
 *   numbers as received), over MQTT 3.1.1 (mqtt.c) through a bounded queue.
 * - Port 80: GET /stats (JSON counters) and GET /threads (the thread dump).
 *
 * Options (semihosting command line): broker=HOST:PORT (10.0.2.2:1883),
 * max=<sensors at once> (1000), stack=<bytes per sensor thread> (512),
 * timeout=<ms> (30000), qos=0|1 (1), keepalive=<s> (30), window=<QoS 1
 * messages in flight> (16), queue=<messages> (256), queue_wait=<ms a sensor
 * waits for room before `ERR queue full`> (1000), dhcp=1.
 *
 * TLS uplink (link.c, docs/tls.md): tls=1, ca=<CA certificate file>,
 * cert=<client certificate file> key=<its key file> (PEM or DER, read from
 * the host at boot through semihosting; without them the ones built in
 * with CMake's GATEWAY_TLS_CA/_CERT/_KEY), tls_name=<name in the broker's
 * certificate> (the broker's host name), time=<seconds since 1970>, and
 * on boards without a random generator seed=<64+ hex digits> (a test seed).
 * burst=N [bursts=K]: N readings from inside the gateway, timed (burst.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "burst.h"
#include "mqtt.h"
#include "netapp.h"

#define LINE_MAX 72   /* longest reading: 32 + 1 + 15 + 1 + 15 + CR; longer lines are answered `ERR line too long` */
#define NUM_MAX 15    /* characters of a number */
#define ID_MAX 32

/* gateway counters (the network and thread ones are in netapp, mqtt_stats) */
static struct {
    unsigned lines;          /* lines received */
    unsigned readings;       /* valid readings queued for the broker */
    unsigned malformed;      /* lines that are not a reading */
    unsigned oversized;      /* lines longer than LINE_MAX */
    unsigned timeouts;       /* sensors disconnected for silence */
    unsigned queue_waits;    /* readings that found the queue full and waited */
    unsigned queue_full;     /* readings refused: still full after queue_wait */
    unsigned write_errors;   /* replies that could not be written */
    unsigned long bytes_in;
} gw;

static vt_chan_t queue;
static unsigned queue_cap;
static vt_tick_t opt_timeout, opt_queue_wait;
static int argc_;
static char **argv_;

/* ---------------------------------------------------------- validation */

static int is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

/* a decimal number that is also a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)? */
static int is_number(const char *p, size_t n)
{
    size_t i = 0, d;
    if (n == 0 || n > NUM_MAX)
        return 0;
    if (p[i] == '-')
        i++;
    d = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i == d || (p[d] == '0' && i - d > 1))
        return 0;
    if (i < n && p[i] == '.') {
        d = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    return i == n;
}

static int reply(vt_tcp_t *s, const char *text)
{
    size_t n = strlen(text);
    if (vt_tcp_write(s, text, n) != (int)n) {
        gw.write_errors++;
        return -1;
    }
    return 0;
}

/* topic sensors/<id>, payload {"t":T,"h":H}: into the queue, waiting at most
 * queue_wait for room (back-pressure). Not inlined: the message lives on the
 * stack only during this call, not during the reply's write. */
static __attribute__((noinline)) int queue_reading(const char *id, size_t idn, const char *t,
                                                   size_t tn, const char *h, size_t hn)
{
    struct mqtt_msg m;
    char *p = m.data;
    memcpy(p, "sensors/", 8), p += 8;
    memcpy(p, id, idn), p += idn;
    m.topic_len = (uint8_t)(p - m.data);
    memcpy(p, "{\"t\":", 5), p += 5;
    memcpy(p, t, tn), p += tn;
    memcpy(p, ",\"h\":", 5), p += 5;
    memcpy(p, h, hn), p += hn;
    *p++ = '}';
    m.payload_len = (uint8_t)(p - m.data - m.topic_len);
    if (vt_chan_trysend(&queue, &m) == 0)
        return 0;
    gw.queue_waits++;
    return vt_chan_send_timeout(&queue, &m, opt_queue_wait);
}

/* One complete line (without its newline): validate, queue, answer. */
static int handle_line(vt_tcp_t *s, char *line, size_t n)
{
    char *t, *h, *end = line + n;
    size_t idn, tn, hn;

    gw.lines++;
    if (n > 0 && line[n - 1] == '\r')
        end--;
    t = memchr(line, ' ', (size_t)(end - line));
    h = t ? memchr(t + 1, ' ', (size_t)(end - t - 1)) : NULL;
    if (h == NULL || memchr(h + 1, ' ', (size_t)(end - h - 1)) != NULL) {
        gw.malformed++;
        return reply(s, "ERR expected: <sensor-id> <temperature> <humidity>\n");
    }
    idn = (size_t)(t - line);
    tn = (size_t)(h - t - 1);
    hn = (size_t)(end - h - 1);
    t++, h++;
    if (idn == 0 || idn > ID_MAX) {
        gw.malformed++;
        return reply(s, "ERR bad sensor id\n");
    }
    for (size_t i = 0; i < idn; i++)
        if (!is_id_char(line[i])) {
            gw.malformed++;
            return reply(s, "ERR bad sensor id\n");
        }
    if (!is_number(t, tn)) {
        gw.malformed++;
        return reply(s, "ERR bad temperature\n");
    }
    if (!is_number(h, hn)) {
        gw.malformed++;
        return reply(s, "ERR bad humidity\n");
    }
    if (queue_reading(line, idn, t, tn, h, hn) != 0) {
        gw.queue_full++;
        return reply(s, "ERR queue full\n");
    }
    gw.readings++;
    return reply(s, "OK\n");
}

/* ------------------------------------------------------------- sensors */

/* One sensor connection: plain sequential code in its own vthread. */
static int sensor(vt_tcp_t *s)
{
    char line[LINE_MAX], in[32];
    size_t len = 0;
    int toolong = 0, n, rc = 0;

    vt_tcp_set_timeout(s, opt_timeout);
    while ((n = vt_tcp_read(s, in, sizeof in)) > 0) {
        gw.bytes_in += (unsigned)n;
        for (int i = 0; i < n; i++) {
            char c = in[i];
            if (c == '\n') {
                if (toolong) {
                    gw.lines++;
                    gw.oversized++;
                    rc = reply(s, "ERR line too long\n");
                } else {
                    rc = handle_line(s, line, len);
                }
                len = 0;
                toolong = 0;
                if (rc != 0)
                    goto done;
            } else if (len < LINE_MAX) {
                line[len++] = c;
            } else {
                toolong = 1; /* skip to the end of the line */
            }
        }
    }
    if (n == VT_ETIMEDOUT) {
        gw.timeouts++;
        reply(s, "ERR timeout\n");
    }
done:
    vt_tcp_close(s);
    return 0; /* a sensor's misbehaviour is counted above, not a gateway error */
}

/* ---------------------------------------------------------------- HTTP */

static int stats_json(char *buf, size_t len)
{
    int n = netapp_stats_json(buf, len);
    if (n < 2 || (size_t)n >= len)
        return n;
    n -= 2; /* drop "}\n": the gateway's fields follow */
    n += snprintf(buf + n, len - (size_t)n,
                  ",\"sensors_max\":%u,\"lines_in\":%u,\"messages_in\":%u,\"messages_out\":%u,"
                  "\"bytes_in\":%lu,"
                  "\"errors_by_kind\":{\"malformed\":%u,\"oversized\":%u,\"timeout\":%u,"
                  "\"queue_full\":%u,\"write\":%u,\"handler\":%u},"
                  "\"queue_overflow\":%u,\"queue_waits\":%u,\"queue_len\":%u,\"queue_cap\":%u,"
                  "\"mqtt\":{\"connected\":%u,\"connects\":%u,\"connect_fails\":%u,"
                  "\"disconnects\":%u,\"qos\":%s,\"published\":%u,\"delivered\":%u,"
                  "\"inflight\":%u,\"retransmits\":%u,\"lost\":%u,\"pings\":%u,\"pongs\":%u,"
                  "\"backoff_ms\":%u,\"last_error\":\"%s\"}}\n",
                  (unsigned)atoi(netapp_opt(argc_, argv_, "max", "1000")), gw.lines, gw.readings,
                  mqtt_stats.delivered, gw.bytes_in, gw.malformed, gw.oversized, gw.timeouts,
                  gw.queue_full, gw.write_errors, netapp.errors, gw.queue_full, gw.queue_waits,
                  (unsigned)vt_chan_len(&queue), queue_cap, mqtt_stats.connected,
                  mqtt_stats.connects, mqtt_stats.connect_fails, mqtt_stats.disconnects,
                  netapp_opt(argc_, argv_, "qos", "1"), mqtt_stats.published,
                  mqtt_stats.delivered, mqtt_stats.inflight, mqtt_stats.retransmits,
                  mqtt_stats.lost, mqtt_stats.pings, mqtt_stats.pongs, mqtt_stats.backoff_ms,
                  mqtt_stats.last_error ? vt_net_strerror(mqtt_stats.last_error) : "");
    return n;
}

/* the thread dump, collected in memory (the sink must not block) */
struct text {
    char *p;
    size_t len, cap;
};

static void text_put(void *ctx, const char *s)
{
    struct text *t = ctx;
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8192;
        char *p;
        while (cap < t->len + n + 1)
            cap *= 2;
        p = realloc(t->p, cap);
        if (p == NULL)
            return; /* truncated */
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n + 1);
    t->len += n;
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

static vt_tcp_listener_t *http_l;

static int http_server(void *arg)
{
    static char json[1536];
    (void)arg;
    for (;;) {
        vt_tcp_t *s;
        char req[256];
        size_t got = 0;
        int n;
        if (vt_tcp_accept(http_l, &s, VT_FOREVER) != 0)
            continue;
        vt_tcp_set_timeout(s, 5000);
        /* the request line is enough; read until the end of the headers */
        while (got < sizeof req - 1 && (n = vt_tcp_read(s, req + got, sizeof req - 1 - got)) > 0) {
            got += (size_t)n;
            req[got] = 0;
            if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
                break;
        }
        req[got] = 0;
        if (strncmp(req, "GET /stats", 10) == 0 && (req[10] == ' ' || req[10] == '?')) {
            n = stats_json(json, sizeof json);
            http_reply(s, "200 OK", "application/json", json, (size_t)n);
        } else if (strncmp(req, "GET /threads ", 13) == 0) {
            struct text t = {0};
            vt_dump_to(text_put, &t);
            http_reply(s, "200 OK", "text/plain", t.p ? t.p : "", t.len);
            free(t.p);
        } else if (strncmp(req, "GET / ", 6) == 0) {
            static const char idx[] = "vthread gateway: GET /stats, GET /threads\n";
            http_reply(s, "200 OK", "text/plain", idx, sizeof idx - 1);
        } else {
            static const char nf[] = "not found\n";
            http_reply(s, "404 Not Found", "text/plain", nf, sizeof nf - 1);
        }
        vt_tcp_close(s);
    }
    return 0;
}

/* -------------------------------------------------------------- start */

static int gateway(void *arg)
{
    static vt_thread_t http_t[2];
    static uint8_t http_stack[2][VT_STACK_SIZE(2048)] __attribute__((aligned(16)));
    const char *broker = netapp_opt(argc_, argv_, "broker", "10.0.2.2:1883");
    unsigned max = (unsigned)atoi(netapp_opt(argc_, argv_, "max", "1000"));
    size_t stack = (size_t)atoi(netapp_opt(argc_, argv_, "stack", "512"));
    struct mqtt_config mc;
    char host[64], ip[16];
    const char *colon = strrchr(broker, ':');
    size_t hl = colon ? (size_t)(colon - broker) : strlen(broker);
    int rc;
    (void)arg;

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
        printf("gateway: broker %s: %s\n", host, vt_net_strerror(rc));
        return 1;
    }
    if (link_options(argc_, argv_, host, &mc.link) != 0)
        return 1;
    mc.qos = (uint8_t)atoi(netapp_opt(argc_, argv_, "qos", "1"));
    mc.keepalive = (uint16_t)atoi(netapp_opt(argc_, argv_, "keepalive", "30"));
    mc.window = (uint8_t)atoi(netapp_opt(argc_, argv_, "window", "16"));
    mc.client_id = netapp_opt(argc_, argv_, "client", "vthread-gateway");
    mc.queue = &queue;
    queue_cap = (unsigned)atoi(netapp_opt(argc_, argv_, "queue", "256"));
    opt_timeout = (vt_tick_t)atol(netapp_opt(argc_, argv_, "timeout", "30000"));
    opt_queue_wait = (vt_tick_t)atol(netapp_opt(argc_, argv_, "queue_wait", "1000"));
    if (vt_chan_init(&queue, malloc(queue_cap * sizeof(struct mqtt_msg)), sizeof(struct mqtt_msg),
                     queue_cap) != 0) {
        printf("gateway: no memory for a %u-message queue\n", queue_cap);
        return 1;
    }
    mqtt_start(&mc);
    if (atoi(netapp_opt(argc_, argv_, "burst", "0")) > 0)
        burst_start(&queue, (unsigned)atoi(netapp_opt(argc_, argv_, "burst", "0")),
                    (unsigned)atoi(netapp_opt(argc_, argv_, "bursts", "1")));

    rc = vt_tcp_listen(&http_l, 80, 8);
    if (rc != 0) {
        printf("gateway: listen on 80: %s\n", vt_net_strerror(rc));
        return 1;
    }
    for (int i = 0; i < 2; i++)
        vt_thread_create(&http_t[i], http_stack[i], sizeof http_stack[i], "http", http_server,
                         NULL, VT_THREAD_DETACHED);

    printf("gateway: listening on %s port 5000 (max %u sensors, %u-byte stacks, timeout %lu ms),"
           " http on 80, broker %s:%u%s qos %u\n",
           vt_ip4_str(vt_net_addr(), ip), max, (unsigned)stack, (unsigned long)opt_timeout,
           vt_ip4_str(mc.link.ip, host), mc.link.port, mc.link.tls ? " over TLS" : "", mc.qos);
    return netapp_serve(5000, max, stack, sensor);
}


int main(int argc, char **argv)
{
    static vt_thread_t main_t;
    static uint8_t main_stack[VT_STACK_SIZE(3072)] __attribute__((aligned(16)));
    argc_ = argc;
    argv_ = argv;
    if (netapp_start(argc, argv) != 0)
        return 1;
    netapp_console_stats = stats_json;
    netapp_start_services(0); /* the console; /stats is served on port 80 */
    vt_thread_create(&main_t, main_stack, sizeof main_stack, "gateway", gateway, NULL, 0);
    vt_run();
    return 1;
}
