/**
 * @file examples/http_server/http_server.c
 * @brief A small HTTP/1.1 server, one vthread per connection, keep-alive.
 *
 *   GET /        a static page
 *   GET /stats   counters as JSON (connections, threads, memory)
 *
 * Each connection is the plain loop in serve(): read a request, answer it,
 * repeat while the client keeps the connection. Malformed or oversized
 * requests get 400/431 and the connection is closed; the other connections
 * never notice. Options: dhcp=1, max=<connections>, stack=<bytes>,
 * idle=<ms> (keep-alive timeout, default 10000). Port 9: stats JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* apart from serve(): its buffer costs stack only while it runs */
static __attribute__((noinline)) int send_stats(vt_tcp_t *s, int keep)
{
    char json[640];
    int n = netapp_stats_json(json, sizeof json);
    /* append the server's own counters inside the object */
    if (n > 2 && n < (int)sizeof json - 64)
        n = n - 2 + snprintf(json + n - 2, sizeof json - (size_t)n + 2,
                             ",\"requests\":%u,\"bad_requests\":%u}\n", requests, bad_requests);
    return send_response(s, 200, "OK", "application/json", json, (size_t)n, keep);
}

/* Read one request head (up to the blank line) into buf. Returns its
 * length, 0 at a clean end of the connection, -431 when too long, or a
 * -400 for binary junk, or a VT_E error. Bytes after the head (pipelined
 * requests) stay in buf. */
static int read_head(vt_tcp_t *s, char *buf, int *have)
{
    for (;;) {
        char *end;
        int n;
        buf[*have] = 0;
        end = strstr(buf, "\r\n\r\n");
        if (end != NULL)
            return (int)(end - buf) + 4;
        if (*have >= REQ_MAX - 1)
            return -431;
        n = vt_tcp_read(s, buf + *have, (size_t)(REQ_MAX - 1 - *have));
        if (n <= 0)
            return *have == 0 && n == 0 ? 0 : (n == 0 ? VT_EPIPE : n);
        if (memchr(buf + *have, 0, (size_t)n) != NULL)
            return -400; /* a NUL byte: not HTTP */
        *have += n;
    }
}

static int serve(vt_tcp_t *s)
{
    char buf[REQ_MAX];
    int have = 0, keep = 1, rc = 0;
    vt_tcp_set_timeout(s, idle_ms);
    while (keep) {
        char method[8], path[64], version[10];
        int len = read_head(s, buf, &have);
        if (len == 0 || len == VT_ETIMEDOUT || len == VT_ECONNRESET || len == VT_EPIPE)
            break; /* the client went away or idled out: a normal end */
        if (len == -431) {
            bad_requests++;
            send_response(s, 431, "Request Header Fields Too Large", "text/plain", "too large\n",
                          10, 0);
            break;
        }
        if (len < 0 && len != -400) {
            rc = len;
            break;
        }
        if (len == -400 || sscanf(buf, "%7s %63s %9s", method, path, version) != 3 ||
            strncmp(version, "HTTP/1.", 7) != 0) {
            bad_requests++;
            send_response(s, 400, "Bad Request", "text/plain", "bad request\n", 12, 0);
            break;
        }
        keep = version[7] == '1' ? strstr(buf, "Connection: close") == NULL
                                 : strstr(buf, "Connection: keep-alive") != NULL;
        requests++;
        if (strcmp(method, "GET") != 0) {
            rc = send_response(s, 405, "Method Not Allowed", "text/plain", "GET only\n", 9, keep);
        } else if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0) {
            rc = send_response(s, 200, "OK", "text/html", page, sizeof page, keep);
        } else if (strcmp(path, "/stats") == 0) {
            rc = send_stats(s, keep);
        } else {
            rc = send_response(s, 404, "Not Found", "text/plain", "not found\n", 10, keep);
        }
        if (rc != 0)
            break;
        /* keep what followed this request (pipelining) */
        memmove(buf, buf + len, (size_t)(have - len));
        have -= len;
    }
    vt_tcp_close(s);
    return rc < 0 && rc != VT_ECONNRESET ? rc : 0;
}

static int argc_;
static char **argv_;

static int server(void *arg)
{
    unsigned max = (unsigned)atoi(netapp_opt(argc_, argv_, "max", "256"));
    size_t stack = (size_t)atoi(netapp_opt(argc_, argv_, "stack", "2560"));
    idle_ms = (vt_tick_t)atoi(netapp_opt(argc_, argv_, "idle", "10000"));
    if (vt_net_wait_up(15000) != 0)
        return 1;
    printf("http_server: listening on port 80\n");
    return netapp_serve(80, max, stack, serve);
}

int main(int argc, char **argv)
{
    static vt_thread_t srv;
    static uint8_t srv_stack[VT_STACK_SIZE(2048)] __attribute__((aligned(16)));
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
