/* SPDX-License-Identifier: MIT */
/**
 * @file examples/http_server/http_server.c
 * @brief A small HTTP/1.1 server, one vthread per connection, keep-alive.
 *
 *   GET /        a static page
 *   GET /stats   counters as JSON (connections, threads, memory)
 *
 * Each connection is the plain loop in serve(): read a request, answer it,
 * repeat while the client keeps the connection. Request heads are parsed by
 * examples/common/http_req.c. Malformed or oversized requests get
 * 400/414/431 and the connection is closed; the other connections never
 * notice. Options: dhcp=1, max=<connections>, stack=<bytes>, idle=<ms>
 * (the time a request head may take to arrive, idle time included,
 * default 10000). Port 9: stats JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_req.h"
#include "netapp.h"

#define REQ_MAX 768

static vt_tick_t idle_ms = 10000;
static unsigned requests, bad_requests;

/* the page: the same size as lwIP's own httpd index page, for a fair rate
 * comparison with it (see docs/benchmarks.md) */
static char page[1751];

static __attribute__((noinline)) int send_response(vt_tcp_t *s, int code, const char *reason, const char *type,
                         const char *body, size_t len, int keep)
{
    char head[192];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nServer: vthread\r\nContent-Type: %s\r\n"
                     "Content-Length: %u\r\nConnection: %s\r\n\r\n",
                     code, reason, type, (unsigned)len, keep ? "keep-alive" : "close");
    if (vt_tcp_write(s, head, (size_t)n) != n)
        return -1;
    if (len > 0 && vt_tcp_write(s, body, len) != (int)len)
        return -1;
    return 0;
}

/* The stats JSON is built in one buffer that connections take in turn:
 * netapp_appendf's formatting needs more stack than a connection thread
 * has to spare, and an answer's write may block while another connection
 * wants the buffer. */
static vt_mutex_t stats_lock;

static __attribute__((noinline)) int send_stats(vt_tcp_t *s, int keep)
{
    static char json[NETAPP_STATS_MAX];
    size_t n = 0;
    int rc;
    vt_mutex_lock(&stats_lock);
    if (netapp_appendf(json, sizeof json, &n, "{") != 0 ||
        netapp_stats_fields(json, sizeof json, &n) != 0 ||
        netapp_appendf(json, sizeof json, &n, ",\"requests\":%u,\"bad_requests\":%u}\n", requests,
                       bad_requests) != 0)
        rc = send_response(s, 500, "Internal Server Error", "text/plain", "stats do not fit\n",
                           17, keep);
    else
        rc = send_response(s, 200, "OK", "application/json", json, n, keep);
    vt_mutex_unlock(&stats_lock);
    return rc;
}

/* One connection: read a request head (the whole head within idle ms, so a
 * client that trickles bytes holds the thread no longer), answer, repeat
 * while the client keeps the connection. */
static int serve(vt_tcp_t *s, void *arg)
{
    char buf[REQ_MAX];
    size_t have = 0;
    int keep = 1, rc = 0;
    while (keep) {
        struct http_req req;
        int len = netapp_http_read(s, buf, sizeof buf, &have, vt_now_ms() + idle_ms, &req);
        if (len == 0 || len == VT_ETIMEDOUT || len == VT_ECONNRESET || len == VT_EPIPE)
            break; /* the client went away or idled out: a normal end */
        if (len == HTTP_REQ_TOO_LONG || len == HTTP_REQ_URI_LONG || len == HTTP_REQ_BAD) {
            bad_requests++;
            if (len == HTTP_REQ_TOO_LONG)
                send_response(s, 431, "Request Header Fields Too Large", "text/plain",
                              "too large\n", 10, 0);
            else if (len == HTTP_REQ_URI_LONG)
                send_response(s, 414, "URI Too Long", "text/plain", "uri too long\n", 13, 0);
            else
                send_response(s, 400, "Bad Request", "text/plain", "bad request\n", 12, 0);
            break;
        }
        if (len < 0) {
            rc = len;
            break;
        }
        keep = req.keep_alive;
        requests++;
        if (strcmp(req.method, "GET") != 0) {
            rc = send_response(s, 405, "Method Not Allowed", "text/plain", "GET only\n", 9, keep);
        } else if (strcmp(req.path, "/") == 0 || strcmp(req.path, "/index.html") == 0) {
            rc = send_response(s, 200, "OK", "text/html", page, sizeof page, keep);
        } else if (strcmp(req.path, "/stats") == 0) {
            rc = send_stats(s, keep);
        } else {
            rc = send_response(s, 404, "Not Found", "text/plain", "not found\n", 10, keep);
        }
        if (rc != 0)
            break;
        /* keep what followed this request (pipelining) */
        memmove(buf, buf + len, have - (size_t)len);
        have -= (size_t)len;
    }
    return rc < 0 && rc != VT_ECONNRESET ? rc : 0;
}

static int argc_;
static char **argv_;

static int server(void *arg)
{
    static vt_tcp_server_t srv;
    vt_tcp_server_config_t cfg = {
        .port = 80, .handler = serve, .backlog = 255, .full_wait = 1000,
        .busy_reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                      "Connection: close\r\n\r\n"};
    unsigned max = (unsigned)atoi(netapp_opt(argc_, argv_, "max", "256"));
    size_t stack = (size_t)atoi(netapp_opt(argc_, argv_, "stack", "2560"));
    idle_ms = (vt_tick_t)atoi(netapp_opt(argc_, argv_, "idle", "10000"));
    cfg.timeout = idle_ms;
    if (netapp_server_init(&srv, &cfg, max, stack) != 0)
        return 1;
    if (vt_net_wait_up(15000) != 0)
        return 1;
    printf("http_server: listening on port 80\n");
    return vt_tcp_serve(&srv);
}

int main(int argc, char **argv)
{
    static vt_thread_t srv;
    static uint8_t srv_stack[NETAPP_STACK(2048)] __attribute__((aligned(16)));
    static const char body[] = "<html><head><title>vthread</title></head><body>"
                               "<h1>Served by a vthread</h1><p>One thread per connection.</p>";
    memset(page, ' ', sizeof page);
    memcpy(page, body, sizeof body - 1);
    memcpy(page + sizeof page - 15, "</body></html>\n", 15);
    argc_ = argc;
    argv_ = argv;
    if (netapp_start(argc, argv) != 0)
        return 1;
    netapp_start_services(9);
    vt_thread_create(&srv, srv_stack, sizeof srv_stack, "http", server, NULL, 0);
    vt_run();
    return 1;
}
