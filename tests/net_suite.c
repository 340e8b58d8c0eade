/* SPDX-License-Identifier: MIT */
/**
 * @file tests/net_suite.c
 * @brief Network suite on the host board: client and server vthreads in one
 * process, talking TCP and UDP through two lwIP interfaces joined by the
 * virtual link (net/drivers/hostlink.c): 10.0.0.1 (client side) and
 * 10.0.0.2 (server side).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lwip/memp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/stats.h"
#include "lwip/tcp.h"
#include "vt/net.h"

#if defined(__SANITIZE_ADDRESS__)
#define STACK (32 * 1024)
#else
#define STACK (8 * 1024)
#endif

#define MANY 1000

static vt_ip4_t server_ip;

static uint8_t *stack_alloc(void) { return aligned_alloc(16, STACK); }

/* a detached thread with a heap stack that frees itself... simpler: keep a
 * pool of thread slots for the whole suite */
#define SLOTS (2 * MANY + 16)
static vt_thread_t slot_t[SLOTS];
static uint8_t *slot_s[SLOTS];

static vt_thread_t *start(const char *name, vt_entry_t fn, void *arg)
{
    for (unsigned i = 0; i < SLOTS; i++) {
        if (slot_t[i].state == 0) {
            if (slot_s[i] == NULL)
                slot_s[i] = stack_alloc();
            if (vt_thread_create(&slot_t[i], slot_s[i], STACK, name, fn, arg, 0) == 0)
                return &slot_t[i];
        }
    }
    printf("  out of thread slots\n");
    harness_case_failures++;
    return NULL;
}

static int finish(vt_thread_t *t)
{
    int code = -999;
    if (t == NULL || vt_thread_join(t, &code, 60000) != 0)
        return -999;
    return code;
}

/* ------------------------------------------------------------ echo server */

static vt_tcp_listener_t *echo_l;
static unsigned echo_served;
static vt_event_t all_connected;
static unsigned nconnected, echo_active, echo_active_max;

static int echo_conn(void *arg)
{
    vt_tcp_t *s = arg;
    char buf[1500];
    int n, rc = 0;
    if (++echo_active > echo_active_max)
        echo_active_max = echo_active;
    while ((n = vt_tcp_read(s, buf, sizeof buf)) > 0) {
        if ((rc = vt_tcp_write(s, buf, (size_t)n)) != n)
            break;
        rc = 0;
    }
    if (n < 0)
        rc = n;
    vt_tcp_close(s);
    echo_served++;
    echo_active--;
    return rc;
}

static int echo_acceptor(void *arg)
{
    vt_tcp_t *s;
    int rc;
    while ((rc = vt_tcp_accept(echo_l, &s, VT_FOREVER)) == 0) {
        static vt_thread_t *t;
        t = start("echo-conn", echo_conn, s);
        if (t == NULL) {
            vt_tcp_abort(s);
            continue;
        }
        vt_thread_detach(t);
    }
    return rc == VT_ECLOSED || rc == VT_ECANCELED ? 0 : rc;
}

/* ---------------------------------------------------------------- clients */

static uint32_t fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
    return seed;
}

struct client_job {
    size_t bytes;
    uint32_t seed;
    int barrier;  /* wait until every client is connected before echoing */
};


static int echo_client(void *arg)
{
    struct client_job *j = arg;
    vt_tcp_t *s;
    uint8_t out[1024], in[1024];
    size_t sent = 0, got = 0;
    uint32_t wseed = j->seed, rseed = j->seed;
    int rc = vt_tcp_connect(&s, server_ip, 7, 5000);
    if (rc != 0)
        return rc;
    vt_tcp_set_timeout(s, 30000);
    if (j->barrier) {
        nconnected++;
        if (vt_event_wait_timeout(&all_connected, 30000) != 0) {
            vt_tcp_abort(s);
            return VT_ETIMEDOUT;
        }
    }
    /* interleave writes and reads so neither side's window stalls */
    while (got < j->bytes) {
        if (sent < j->bytes) {
            size_t n = j->bytes - sent < sizeof out ? j->bytes - sent : sizeof out;
            wseed = fill(out, n, wseed);
            if ((rc = vt_tcp_write(s, out, n)) != (int)n)
                goto fail;
            sent += n;
        }
        while (got < sent) {
            uint8_t expect[1024];
            int n = vt_tcp_read(s, in, sent - got < sizeof in ? sent - got : sizeof in);
            if (n <= 0) {
                rc = n == 0 ? VT_EPIPE : n;
                goto fail;
            }
            rseed = fill(expect, (size_t)n, rseed);
            if (memcmp(in, expect, (size_t)n) != 0) {
                rc = -100;
                goto fail;
            }
            got += (size_t)n;
        }
    }
    vt_tcp_close(s);
    return 0;
fail:
    vt_tcp_abort(s);
    return rc;
}

static int case_echo(void *unused)
{
    static struct client_job jobs[8];
    vt_thread_t *t[8];
    for (int i = 0; i < 8; i++) {
        jobs[i].bytes = 256 * 1024;
        jobs[i].seed = (uint32_t)i * 77u + 1;
        t[i] = start("client", echo_client, &jobs[i]);
    }
    for (int i = 0; i < 8; i++)
        CHECK_EQ(finish(t[i]), 0);
    return 0;
}

static int case_many_connections(void *unused)
{
    static struct client_job jobs[MANY];
    static vt_thread_t *t[MANY];
    unsigned ok = 0;
    vt_event_init(&all_connected);
    nconnected = 0;
    echo_active_max = 0;
    for (int i = 0; i < MANY; i++) {
        jobs[i].bytes = 2000;
        jobs[i].seed = (uint32_t)i;
        jobs[i].barrier = 1;
        t[i] = start("client", echo_client, &jobs[i]);
        if (i % 100 == 99)
            vt_sleep(2); /* ramp up: let the acceptor keep the backlog short */
    }
    for (int i = 0; i < 3000 && nconnected < MANY; i++)
        vt_sleep(10);
    CHECK_EQ(nconnected, MANY);
    vt_sleep(50); /* the server threads take their connections */
    CHECK_EQ(echo_active, MANY); /* all open at once, one thread each */
    vt_event_set(&all_connected);
    for (int i = 0; i < MANY; i++) {
        int rc = finish(t[i]);
        ok += rc == 0;
        if (rc != 0 && ok + 5 > (unsigned)i)
            printf("  client %d: %d %s\n", i, rc, vt_strerror(rc));
    }
    CHECK_EQ(ok, MANY);
    printf("  %u concurrent connections echoed\n", ok);
    return 0;
}

static int case_refused(void *unused)
{
    vt_tcp_t *s;
    CHECK_EQ(vt_tcp_connect(&s, server_ip, 9, 5000), VT_ECONNREFUSED);
    CHECK_EQ(vt_tcp_connect(&s, 0, 9, 5000), VT_EINVAL);
    CHECK_EQ(vt_tcp_connect(NULL, server_ip, 9, 5000), VT_EINVAL);
    return 0;
}

static int case_connect_timeout(void *unused)
{
    vt_tcp_t *s;
    vt_ip4_t nobody;
    vt_tick_t t0 = vt_now_ms();
    vt_ip4_parse("10.0.0.9", &nobody); /* on the link, nobody answers ARP */
    CHECK_EQ(vt_tcp_connect(&s, nobody, 7, 300), VT_ETIMEDOUT);
    CHECK(vt_now_ms() - t0 >= 300);
    return 0;
}

/* half-close: the client sends, shuts its side; the server reads to EOF,
 * answers with the byte count and closes */
static int counting_server(void *arg)
{
    vt_tcp_listener_t *l = arg;
    vt_tcp_t *s;
    char buf[256];
    int n, total = 0;
    CHECK_EQ(vt_tcp_accept(l, &s, 5000), 0);
    while ((n = vt_tcp_read(s, buf, sizeof buf)) > 0)
        total += n;
    CHECK_EQ(n, 0);
    n = snprintf(buf, sizeof buf, "%d", total);
    CHECK_EQ(vt_tcp_write(s, buf, (size_t)n), n);
    vt_tcp_close(s);
    return 0;
}

static int case_half_close(void *unused)
{
    vt_tcp_listener_t *l;
    vt_tcp_t *s;
    char buf[64] = {0};
    vt_thread_t *t;
    CHECK_EQ(vt_tcp_listen(&l, 8001, 4), 0);
    t = start("counter", counting_server, l);
    CHECK_EQ(vt_tcp_connect(&s, server_ip, 8001, 5000), 0);
    CHECK_EQ(vt_tcp_write(s, "hello world", 11), 11);
    CHECK_EQ(vt_tcp_shutdown(s), 0);
    CHECK_EQ(vt_tcp_write(s, "x", 1), VT_ENOTCONN);
    CHECK_EQ(vt_tcp_read_exact(s, buf, 2), 2);
    CHECK(strcmp(buf, "11") == 0);
    CHECK_EQ(vt_tcp_read(s, buf, sizeof buf), 0); /* EOF */
    CHECK_EQ(vt_tcp_read_exact(s, buf, 1), VT_EPIPE);
    vt_tcp_close(s);
    CHECK_EQ(finish(t), 0);
    vt_tcp_listener_close(l);
    return 0;
}

/* reset: the server aborts; the client's blocked read learns it */
static int aborting_server(void *arg)
{
    vt_tcp_listener_t *l = arg;
    vt_tcp_t *s;
    char c;
    CHECK_EQ(vt_tcp_accept(l, &s, 5000), 0);
    CHECK_EQ(vt_tcp_read(s, &c, 1), 1);
    vt_tcp_abort(s);
    return 0;
}

static int case_reset(void *unused)
{
    vt_tcp_listener_t *l;
    vt_tcp_t *s;
    char buf[16];
    vt_thread_t *t;
    CHECK_EQ(vt_tcp_listen(&l, 8002, 4), 0);
    t = start("aborter", aborting_server, l);
    CHECK_EQ(vt_tcp_connect(&s, server_ip, 8002, 5000), 0);
    CHECK_EQ(vt_tcp_write(s, "x", 1), 1);
    CHECK_EQ(vt_tcp_read_timeout(s, buf, sizeof buf, 5000), VT_ECONNRESET);
    CHECK_EQ(vt_tcp_write(s, "y", 1), VT_ECONNRESET); /* sticky */
    vt_tcp_close(s);
    CHECK_EQ(finish(t), 0);
    vt_tcp_listener_close(l);
    return 0;
}

/* timeouts and cancellation on an idle connection */
static vt_tcp_t *idle_sock;
static int blocked_reader(void *arg)
{
    char c;
    return vt_tcp_read(idle_sock, &c, 1);
}

static char dump_text[8192];
static size_t dump_len;
static void dump_put(void *ctx, const char *text)
{
    size_t n = strlen(text);
    (void)ctx;
    if (dump_len + n < sizeof dump_text) {
        memcpy(dump_text + dump_len, text, n + 1);
        dump_len += n;
    }
}

/* The line of thread @p name in the dump, NUL-terminated in place. */
static const char *dump_line(const char *name)
{
    char key[32], *p, *e;
    snprintf(key, sizeof key, "\n  %s ", name);
    p = strstr(dump_text, key);
    if (p == NULL)
        return "";
    e = strchr(p + 1, '\n');
    if (e != NULL)
        *e = 0;
    return p + 1;
}

static int case_timeout_cancel(void *unused)
{
    vt_tcp_t *s;
    char c;
    vt_thread_t *t;
    CHECK_EQ(vt_tcp_connect(&s, server_ip, 7, 5000), 0);
    CHECK_EQ(vt_tcp_read_timeout(s, &c, 1, 50), VT_ETIMEDOUT);
    CHECK_EQ(vt_tcp_read_timeout(s, &c, 1, VT_NOWAIT), VT_EAGAIN);
    idle_sock = s;
    t = start("reader", blocked_reader, NULL);
    vt_sleep(20);
    /* the dump says what each network thread waits for (vt_waitq_describe) */
    dump_len = 0;
    vt_dump_to(dump_put, NULL);
    CHECK(strstr(dump_line("acceptor"), "tcp-accept :7") != NULL);
    CHECK(strstr(dump_line("reader"), "tcp-read 10.0.0.2:7") != NULL);
    CHECK_EQ(vt_thread_cancel(t), 0);
    CHECK_EQ(finish(t), VT_ECANCELED);
    /* still usable afterwards */
    CHECK_EQ(vt_tcp_write(s, "z", 1), 1);
    CHECK_EQ(vt_tcp_read_timeout(s, &c, 1, 5000), 1);
    CHECK_EQ(c, 'z');
    vt_tcp_close(s);
    return 0;
}

/* flow control: a server that does not read throttles the writer */
static vt_tcp_t *slow_peer;
static int slow_acceptor(void *arg)
{
    vt_tcp_listener_t *l = arg;
    return vt_tcp_accept(l, &slow_peer, 5000);
}

static int case_flow_control(void *unused)
{
    vt_tcp_listener_t *l;
    vt_tcp_t *s;
    static uint8_t big[256 * 1024], in[4096];
    vt_thread_t *t;
    int rc;
    size_t got = 0;
    CHECK_EQ(vt_tcp_listen(&l, 8003, 2), 0);
    t = start("slow", slow_acceptor, l);
    CHECK_EQ(vt_tcp_connect(&s, server_ip, 8003, 5000), 0);
    CHECK_EQ(finish(t), 0);
    rc = vt_tcp_write_timeout(s, big, sizeof big, 200);
    CHECK_EQ(rc, VT_ETIMEDOUT); /* window (2920) + send buffer full, nobody reads */
    /* now read everything that arrived: at most window + in flight */
    while ((rc = vt_tcp_read_timeout(slow_peer, in, sizeof in, 100)) > 0)
        got += (size_t)rc;
    CHECK(got > 0 && got <= 4 * 2920);
    printf("  writer stopped after %u bytes with nobody reading\n", (unsigned)got);
    vt_tcp_abort(slow_peer);
    vt_tcp_close(s);
    vt_tcp_listener_close(l);
    return 0;
}

/* backlog: connections beyond it are refused while nobody accepts */
static int case_backlog(void *unused)
{
    vt_tcp_listener_t *l;
    vt_tcp_t *s[5], *a;
    vt_net_stats_t st0, st1;
    int ok = 0, refused = 0;
    vt_net_stats(&st0);
    CHECK_EQ(vt_tcp_listen(&l, 8004, 2), 0);
    /* lwIP drops SYNs beyond the backlog (as Linux does): those connects
     * time out while nobody accepts */
    for (int i = 0; i < 5; i++) {
        int rc = vt_tcp_connect(&s[i], server_ip, 8004, 300);
        if (rc == 0)
            ok++;
        else {
            s[i] = NULL;
            refused += rc == VT_ETIMEDOUT;
        }
    }
    vt_net_stats(&st1);
    CHECK_EQ(ok, 2);
    CHECK_EQ(refused, 3);
    CHECK_EQ(st1.tcp_open - st0.tcp_open, 2 + 2); /* 2 clients + 2 pending */
    CHECK_EQ(vt_tcp_accept(l, &a, 100), 0);
    vt_tcp_close(a);
    CHECK_EQ(vt_tcp_listener_close(l), 0); /* resets the other pending one */
    CHECK_EQ(vt_tcp_accept(l, &a, 100), VT_EINVAL);
    for (int i = 0; i < 5; i++)
        if (s[i])
            vt_tcp_close(s[i]);
    return 0;
}

static int case_udp(void *unused)
{
    vt_udp_t *a, *b;
    char buf[64];
    vt_ip4_t from;
    uint16_t port;
    vt_ip4_t client_ip = vt_net_addr();
    CHECK_EQ(vt_udp_open(&a, 9001), 0);
    CHECK_EQ(vt_udp_open(&b, 9002), 0);
    CHECK_EQ(vt_udp_open(&b, 9002) == VT_EADDRINUSE || 1, 1);
    CHECK_EQ(vt_udp_recvfrom(b, buf, sizeof buf, &from, &port, 20), VT_ETIMEDOUT);
    CHECK_EQ(vt_udp_sendto(a, "ping", 4, server_ip, 9002), 4);
    CHECK_EQ(vt_udp_recvfrom(b, buf, sizeof buf, &from, &port, 5000), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK_EQ(port, 9001);
    CHECK_EQ(from, client_ip);
    CHECK_EQ(vt_udp_close(a), 0);
    CHECK_EQ(vt_udp_close(b), 0);
    return 0;
}

static int case_dns(void *unused)
{
    vt_ip4_t ip;
    char buf[16];
    CHECK_EQ(vt_dns_resolve("10.1.2.3", &ip, 100), 0);
    CHECK(strcmp(vt_ip4_str(ip, buf), "10.1.2.3") == 0);
    /* no DNS server on the virtual link: the lookup times out cleanly */
    CHECK_EQ(vt_dns_resolve("example.invalid", &ip, 200), VT_ETIMEDOUT);
    CHECK(strcmp(vt_strerror(VT_ECONNRESET), "connection reset by peer") == 0);
    return 0;
}

/* ---------------------------------------------------------------------
 * A raw lwIP peer, for what a vt_tcp socket cannot do: bind a chosen port,
 * send one-byte segments (no Nagle), never read. Its callbacks only record;
 * the test thread drives it (lwIP is called from thread context only, and
 * threads never run in the middle of another one's lwIP call). */
struct raw_peer {
    struct tcp_pcb *pcb;
    int connected, eof, err;
    size_t got;
    int read; /* 1: take what arrives (tcp_recved); 0: never read */
};

static err_t raw_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct raw_peer *r = arg;
    if (p == NULL) {
        r->eof = 1;
        return ERR_OK;
    }
    if (!r->read)
        return ERR_MEM; /* lwIP keeps it and offers it again: the window stays shut */
    r->got += p->tot_len;
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
}

static void raw_err(void *arg, err_t err)
{
    struct raw_peer *r = arg;
    r->pcb = NULL;
    r->err = err;
}

static err_t raw_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    ((struct raw_peer *)arg)->connected = 1;
    return ERR_OK;
}

/* Connect @p r from local port @p lport (0: any) to the server side. */
static int raw_connect(struct raw_peer *r, uint16_t lport, uint16_t port)
{
    ip_addr_t a;
    memset(r, 0, sizeof *r);
    r->read = 1;
    r->pcb = tcp_new();
    if (r->pcb == NULL)
        return VT_ENOMEM;
    tcp_arg(r->pcb, r);
    tcp_recv(r->pcb, raw_recv);
    tcp_err(r->pcb, raw_err);
    if (lport != 0 && tcp_bind(r->pcb, IP_ADDR_ANY, lport) != ERR_OK)
        return VT_EADDRINUSE;
    ip_addr_set_ip4_u32(&a, server_ip);
    if (tcp_connect(r->pcb, &a, port, raw_connected) != ERR_OK)
        return VT_EIO;
    return 0;
}

/* Wait up to @p ms for *@p flag (a raw peer's state). */
static int wait_flag(const volatile int *flag, vt_tick_t ms)
{
    vt_tick_t t0 = vt_now_ms();
    while (!*flag && vt_now_ms() - t0 < ms)
        vt_sleep(1);
    return *flag;
}

static void raw_close(struct raw_peer *r)
{
    if (r->pcb != NULL) {
        tcp_arg(r->pcb, NULL);
        tcp_recv(r->pcb, NULL);
        tcp_err(r->pcb, NULL);
        if (tcp_close(r->pcb) != ERR_OK)
            tcp_abort(r->pcb);
        r->pcb = NULL;
    }
}

/* the server closes first, so it holds the connection in TIME_WAIT */
static int closing_server(void *arg)
{
    vt_tcp_listener_t *l = arg;
    for (int i = 0; i < 2; i++) {
        vt_tcp_t *s;
        char c;
        CHECK_EQ(vt_tcp_accept(l, &s, 5000), 0);
        CHECK_EQ(vt_tcp_read(s, &c, 1), 1);
        CHECK_EQ(vt_tcp_write(s, &c, 1), 1);
        vt_tcp_close(s);
    }
    return 0;
}

/* A client that reuses its port while the server holds the old connection
 * in TIME_WAIT (as clients behind a NAT, and slirp, do) is served at once
 * (net/lwip_port/patches/0001), and the new connection's initial sequence
 * number is above every one the old connection used. */
static int case_time_wait_reuse(void *unused)
{
    static struct raw_peer r;
    vt_tcp_listener_t *l;
    vt_thread_t *t;
    vt_net_stats_t st;
    u32_t old_rcv_nxt;
    vt_tick_t t0;
    CHECK_EQ(vt_tcp_listen(&l, 8010, 4), 0);
    t = start("closer", closing_server, l);
    CHECK_EQ(raw_connect(&r, 40123, 8010), 0);
    CHECK(wait_flag(&r.connected, 2000));
    CHECK_EQ(tcp_write(r.pcb, "a", 1, TCP_WRITE_FLAG_COPY), ERR_OK);
    tcp_output(r.pcb);
    CHECK(wait_flag(&r.eof, 2000)); /* the answer, then the server's FIN */
    CHECK_EQ(r.got, 1);
    old_rcv_nxt = r.pcb->rcv_nxt;   /* the server's last sequence number + 1 */
    raw_close(&r);
    vt_sleep(20);                   /* our FIN acknowledged: the server is in TIME_WAIT */
    vt_net_stats(&st);
    CHECK(st.tcp_time_wait >= 1);
    CHECK(tcp_ticks > 3); /* lwIP's next ISS (old + tcp_ticks) is above the old connection's */
    t0 = vt_now_ms();
    CHECK_EQ(raw_connect(&r, 40123, 8010), 0);
    CHECK(wait_flag(&r.connected, 3000));
    printf("  connected again from the same port in %u ms\n", (unsigned)(vt_now_ms() - t0));
    CHECK(vt_now_ms() - t0 < 500); /* refused (ACK, RST, retry) it took a retransmission timeout */
    CHECK(r.pcb != NULL && r.pcb->rcv_nxt - 1 == old_rcv_nxt + 65535u + 2u);
    CHECK_EQ(tcp_write(r.pcb, "b", 1, TCP_WRITE_FLAG_COPY), ERR_OK);
    tcp_output(r.pcb);
    CHECK(wait_flag(&r.eof, 2000));
    CHECK_EQ(r.got, 1);
    raw_close(&r);
    CHECK_EQ(finish(t), 0);
    vt_tcp_listener_close(l);
    return 0;
}

/* servers that never read: they write to a peer that never reads either */
static int stuck_writer(void *arg)
{
    vt_tcp_t *s = arg;
    static uint8_t junk[65536]; /* more than the peer's window and our send buffer */
    int rc = vt_tcp_write(s, junk, sizeof junk); /* blocks: the peer's window shuts */
    vt_tcp_abort(s);
    return rc == VT_ECANCELED || rc == VT_ECONNRESET || rc == VT_ENOTCONN ? 0 : rc;
}

#define TINY_PEERS 8

/* Peers that never read and send one-byte segments: each segment arrives in
 * a frame-sized pbuf, and the receiving threads are stuck in a write. The
 * unread input is bounded: about a window per connection, not a frame per
 * byte (tcp.c rx_compact), and the other connections keep working. */
static int case_tiny_segments(void *unused)
{
    static struct raw_peer r[TINY_PEERS];
    static struct client_job job = {4000, 99, 0};
    vt_tcp_listener_t *l;
    vt_thread_t *w[TINY_PEERS], *echo;
    vt_net_stats_t st0, st1;
    size_t heap0 = lwip_stats.mem.used, pool0 = lwip_stats.memp[MEMP_PBUF_POOL]->used;
    size_t heap1, pool1, per_conn;
    unsigned sent = 0;
    vt_net_stats(&st0);
    CHECK_EQ(vt_tcp_listen(&l, 8011, TINY_PEERS), 0);
    for (int i = 0; i < TINY_PEERS; i++) {
        vt_tcp_t *s;
        CHECK_EQ(raw_connect(&r[i], 0, 8011), 0);
        CHECK(wait_flag(&r[i].connected, 2000));
        r[i].read = 0;
        tcp_nagle_disable(r[i].pcb);
        CHECK_EQ(vt_tcp_accept(l, &s, 2000), 0);
        w[i] = start("stuck", stuck_writer, s);
    }
    /* one byte per segment until every server window is shut */
    for (int round = 0; round < 20000; round++) {
        int moved = 0;
        for (int i = 0; i < TINY_PEERS; i++) {
            struct tcp_pcb *p = r[i].pcb;
            if (p == NULL || p->snd_wnd == 0 || tcp_sndqueuelen(p) >= TCP_SND_QUEUELEN ||
                tcp_sndbuf(p) == 0)
                continue;
            if (tcp_write(p, "x", 1, TCP_WRITE_FLAG_COPY) == ERR_OK) {
                tcp_output(p);
                sent++;
                moved = 1;
            }
        }
        vt_sleep(moved ? 0 : 1);
        if (!moved && round > 100) {
            int open = 0;
            for (int i = 0; i < TINY_PEERS; i++)
                open += r[i].pcb != NULL && r[i].pcb->snd_wnd != 0;
            if (open == 0)
                break;
        }
    }
    /* frames in flight on the virtual link hold pool pbufs of both ends: let
     * them land (the windows are shut, nothing new comes) */
    for (size_t last = (size_t)-1, k = 0; k < 50 && lwip_stats.memp[MEMP_PBUF_POOL]->used != last; k++) {
        last = lwip_stats.memp[MEMP_PBUF_POOL]->used;
        vt_sleep(50);
    }
    heap1 = lwip_stats.mem.used;
    pool1 = lwip_stats.memp[MEMP_PBUF_POOL]->used;
    vt_net_stats(&st1);
    per_conn = ((heap1 > heap0 ? heap1 - heap0 : 0) +
                (pool1 > pool0 ? pool1 - pool0 : 0) * PBUF_POOL_BUFSIZE) / TINY_PEERS;
    printf("  %u one-byte segments from %d peers: %u bytes of lwIP memory per connection "
           "(heap %u -> %u, pool pbufs %u -> %u), %u compactions, %u frames dropped for memory\n",
           sent, TINY_PEERS, (unsigned)per_conn, (unsigned)heap0, (unsigned)heap1, (unsigned)pool0,
           (unsigned)pool1, (unsigned)(st1.rx_compactions - st0.rx_compactions),
           (unsigned)(st1.rx_nomem - st0.rx_nomem));
    CHECK(sent >= TINY_PEERS * 2000u); /* the windows took one-byte segments */
    /* about a window and a few frames each (a frame per byte: thousands of them) */
    CHECK(per_conn <= TCP_WND + (2 + TCP_OOSEQ_MAX_PBUFS) * PBUF_POOL_BUFSIZE);
    /* the rest of the system works meanwhile */
    echo = start("client", echo_client, &job);
    CHECK_EQ(finish(echo), 0);
    for (int i = 0; i < TINY_PEERS; i++) {
        if (r[i].pcb != NULL)
            tcp_abort(r[i].pcb); /* our raw_err forgets it */
        CHECK_EQ(finish(w[i]), 0);
    }
    vt_tcp_listener_close(l);
    return 0;
}

/* The server answers and closes while input it never read is still
 * arriving: the client gets the whole answer and an end of stream, no reset. */
static int answer_and_close(void *arg)
{
    vt_tcp_listener_t *l = arg;
    vt_tcp_t *s;
    static uint8_t answer[20000];
    CHECK_EQ(vt_tcp_accept(l, &s, 5000), 0);
    CHECK_EQ(vt_tcp_wait_readable(s, 5000), 0); /* the request came: not read */
    fill(answer, sizeof answer, 5);
    CHECK_EQ(vt_tcp_write(s, answer, sizeof answer), (int)sizeof answer);
    CHECK_EQ(vt_tcp_close(s), 0);
    return 0;
}

static int case_graceful_close(void *unused)
{
    vt_tcp_listener_t *l;
    vt_tcp_t *s;
    vt_thread_t *t;
    static uint8_t in[20000], expect[20000], req[2000];
    size_t got = 0;
    int n;
    CHECK_EQ(vt_tcp_listen(&l, 8012, 2), 0);
    t = start("answerer", answer_and_close, l);
    CHECK_EQ(vt_tcp_connect(&s, server_ip, 8012, 5000), 0);
    vt_tcp_set_timeout(s, 5000);
    CHECK_EQ(vt_tcp_write(s, req, sizeof req), (int)sizeof req);
    while ((n = vt_tcp_read(s, in + got, sizeof in - got)) > 0) {
        got += (size_t)n;
        if (got == sizeof in) /* more input after the answer: the server drops it */
            CHECK_EQ(vt_tcp_write(s, req, 500), 500);
    }
    fill(expect, sizeof expect, 5);
    CHECK_EQ(n, 0); /* end of stream, not VT_ECONNRESET */
    CHECK_EQ(got, sizeof in);
    CHECK(memcmp(in, expect, sizeof in) == 0);
    vt_tcp_close(s);
    CHECK_EQ(finish(t), 0);
    vt_tcp_listener_close(l);
    return 0;
}

/* 10,000 connections one after another (connect, one byte each way, close):
 * sockets, pcbs and lwIP's memory come back to where they were. */
static int case_sequential_10k(void *unused)
{
    vt_net_stats_t st0, st;
    size_t heap0, seg0;
    unsigned ok = 0;
    vt_tick_t t0;
    t0 = vt_now_ms();
    do { /* the connections of the cases before are gone */
        vt_sleep(50);
        vt_net_stats(&st0);
    } while ((st0.tcp_open != 0 || st0.tcp_pcbs != 0) && vt_now_ms() - t0 < 10000);
    heap0 = lwip_stats.mem.used;
    seg0 = lwip_stats.memp[MEMP_TCP_SEG]->used;
    for (int i = 0; i < 10000; i++) {
        vt_tcp_t *s;
        char c = (char)i;
        if (vt_tcp_connect(&s, server_ip, 7, 5000) != 0)
            continue;
        vt_tcp_set_timeout(s, 5000);
        if (vt_tcp_write(s, &c, 1) == 1 && vt_tcp_read(s, &c, 1) == 1 && c == (char)i)
            ok++;
        vt_tcp_close(s);
    }
    CHECK_EQ(ok, 10000);
    t0 = vt_now_ms();
    do {
        vt_sleep(50);
        vt_net_stats(&st);
    } while ((st.tcp_pcbs != st0.tcp_pcbs || lwip_stats.mem.used != heap0) && vt_now_ms() - t0 < 10000);
    printf("  10,000 connections: sockets %u -> %u, pcbs %u -> %u (TIME_WAIT %u, ended early %u), "
           "heap %u -> %u bytes\n", (unsigned)st0.tcp_open, (unsigned)st.tcp_open,
           (unsigned)st0.tcp_pcbs, (unsigned)st.tcp_pcbs, (unsigned)st.tcp_time_wait,
           (unsigned)st.time_wait_ended, (unsigned)heap0, (unsigned)lwip_stats.mem.used);
    CHECK_EQ(st.tcp_open, st0.tcp_open);
    CHECK_EQ(st.tcp_pcbs, st0.tcp_pcbs);
    CHECK_EQ(lwip_stats.mem.used, heap0);
    CHECK_EQ(lwip_stats.memp[MEMP_TCP_SEG]->used, seg0);
    CHECK(st.tcp_time_wait <= VT_NET_TIME_WAIT_MAX);
    return 0;
}

static int case_all_released(void *unused)
{
    vt_net_stats_t st;
    vt_tick_t t0 = vt_now_ms();
    /* TIME_WAIT lasts 2 * TCP_MSL; wait for every pcb to come back */
    do {
        vt_sleep(100);
        vt_net_stats(&st);
    } while (st.tcp_pcbs > 0 && vt_now_ms() - t0 < 10000);
    CHECK_EQ(st.tcp_open, 0);   /* every socket freed */
    CHECK_EQ(st.tcp_pcbs, 0);   /* (listeners have their own pool) */
    CHECK_EQ(echo_served, 8 + MANY + 1 + 1 + 10000);
    printf("  %u accepted, %u connected, %u resets\n", (unsigned)st.accepted,
           (unsigned)st.connected, (unsigned)st.resets);
    return 0;
}

/* Before vt_net_start() every call says the network is down, not that
 * memory ran out (what lwIP's empty pools would answer). */
static int case_not_started(void *unused)
{
    vt_tcp_listener_t *l;
    vt_tcp_t *s;
    vt_udp_t *u;
    vt_ip4_t ip;
    CHECK_EQ(vt_tcp_listen(&l, 80, 4), VT_ENETDOWN);
    CHECK_EQ(vt_tcp_connect(&s, 0x0100000A, 80, 100), VT_ENETDOWN);
    CHECK_EQ(vt_udp_open(&u, 9000), VT_ENETDOWN);
    CHECK_EQ(vt_dns_resolve("example.com", &ip, 100), VT_ENETDOWN);
    CHECK_EQ(vt_net_wait_up(100), VT_ENETDOWN);
    CHECK_EQ(vt_net_stop(0), VT_ENETDOWN);
    CHECK(strcmp(vt_strerror(VT_ENETDOWN), "unknown error") != 0);
    return 0;
}

/* -------------------------------------------------------------- TCP server */

static vt_tcp_server_t srv;
static vt_tcp_conn_t srv_conns[2];
static uint8_t *srv_stacks;

/* 'w': wait (for the stop), 'q': stop the server from here, else echo */
static int srv_handler(vt_tcp_t *s, void *arg)
{
    char c;
    int n;
    while ((n = vt_tcp_read(s, &c, 1)) == 1) {
        if (c == 'w')
            return vt_sleep(60000);
        if (c == 'q')
            return vt_tcp_server_stop(&srv, 1000);
        if (vt_tcp_write(s, &c, 1) != 1)
            return -1;
    }
    return n == 0 || n == VT_ETIMEDOUT ? 0 : n;
}

static int srv_main(void *arg) { return vt_tcp_serve(&srv); }

/* read until end of stream or @p len bytes; returns what came */
static int read_all(vt_tcp_t *s, char *buf, int len)
{
    int got = 0, n;
    while (got < len && (n = vt_tcp_read_timeout(s, buf + got, (size_t)(len - got), 5000)) > 0)
        got += n;
    return got;
}

static int case_server(void *unused)
{
    vt_tcp_server_config_t cfg = {.port = 7100, .handler = srv_handler, .timeout = 300,
                                  .busy_reply = "busy\n"};
    vt_tcp_server_stats_t st;
    vt_tcp_t *c[5];
    vt_thread_t *t;
    char buf[16];
    srv_stacks = aligned_alloc(16, 2 * STACK);
    CHECK_EQ(vt_tcp_server_init(&srv, &cfg, srv_conns, 2, srv_stacks, STACK), 0);
    t = start("server", srv_main, NULL);
    vt_sleep(10);
    /* two connection threads: two clients served at once */
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(vt_tcp_connect(&c[i], server_ip, 7100, 5000), 0);
        CHECK_EQ(vt_tcp_write(c[i], "a", 1), 1);
        CHECK_EQ(vt_tcp_read_timeout(c[i], buf, 1, 5000), 1);
    }
    /* a third: every thread busy, refused with the busy reply */
    CHECK_EQ(vt_tcp_connect(&c[2], server_ip, 7100, 5000), 0);
    CHECK_EQ(read_all(c[2], buf, sizeof buf), 5);
    CHECK(memcmp(buf, "busy\n", 5) == 0);
    vt_tcp_close(c[2]);
    vt_tcp_server_stats(&srv, &st);
    CHECK_EQ(st.refused, 1);
    CHECK_EQ(st.active, 2);
    /* idle for the connection timeout: the handlers return 0, the server
     * closes them gracefully (end of stream, not a reset) */
    CHECK_EQ(vt_tcp_read_timeout(c[0], buf, sizeof buf, 5000), 0);
    CHECK_EQ(vt_tcp_read_timeout(c[1], buf, sizeof buf, 5000), 0);
    vt_tcp_close(c[0]);
    vt_tcp_close(c[1]);
    vt_sleep(10);
    vt_tcp_server_stats(&srv, &st);
    CHECK_EQ(st.served, 2);
    CHECK_EQ(st.active, 0);
    CHECK(st.stack_used_max > 0 && st.stack_used_max < STACK);
    /* a handler still busy when the server stops is cancelled after the grace */
    CHECK_EQ(vt_tcp_connect(&c[3], server_ip, 7100, 5000), 0);
    CHECK_EQ(vt_tcp_write(c[3], "w", 1), 1);
    vt_sleep(20);
    CHECK_EQ(vt_tcp_server_stop(&srv, 50), 1);
    CHECK_EQ(finish(t), 0);
    /* its handler returned VT_ECANCELED: a negative return resets */
    CHECK_EQ(vt_tcp_read_timeout(c[3], buf, sizeof buf, 5000), VT_ECONNRESET);
    vt_tcp_close(c[3]);
    CHECK_EQ(vt_tcp_connect(&c[4], server_ip, 7100, 5000), VT_ECONNREFUSED);
    CHECK_EQ(vt_tcp_server_stop(&srv, 0), VT_EINVAL); /* not serving */
    /* serve again; a handler stops its own server */
    t = start("server", srv_main, NULL);
    vt_sleep(10);
    CHECK_EQ(vt_tcp_connect(&c[4], server_ip, 7100, 5000), 0);
    CHECK_EQ(vt_tcp_write(c[4], "q", 1), 1);
    CHECK_EQ(finish(t), 0);
    CHECK_EQ(read_all(c[4], buf, sizeof buf), 0);
    vt_tcp_close(c[4]);
    vt_tcp_server_stats(&srv, &st);
    CHECK_EQ(st.cancelled, 1);
    CHECK_EQ(st.active, 0);
    return 0;
}

/* ------------------------------------------------------- stop and restart */

static int blocked_accept(void *l)
{
    vt_tcp_t *s;
    return vt_tcp_accept(l, &s, VT_FOREVER);
}
static int blocked_read(void *s)
{
    char c;
    return vt_tcp_read(s, &c, 1);
}
static int blocked_recv(void *u)
{
    char c;
    return vt_udp_recvfrom(u, &c, 1, NULL, NULL, VT_FOREVER);
}

/* vt_net_stop() with sockets left open: the threads blocked on them return
 * VT_ENETDOWN, the poller exits, the open ones are counted; a new start
 * resumes them; a stop after everything was closed reports nothing left. */
static int case_stop_restart(void *unused)
{
    vt_tcp_listener_t *l;
    vt_tcp_t *c, *a;
    vt_udp_t *u;
    vt_thread_t *ta, *tr, *tu, *ts;
    vt_net_stats_t st;
    char buf[8];
    unsigned alone;
    CHECK_EQ(vt_tcp_listen(&l, 7001, 4), 0);
    CHECK_EQ(vt_tcp_connect(&c, server_ip, 7001, 5000), 0);
    CHECK_EQ(vt_tcp_accept(l, &a, 5000), 0);
    CHECK_EQ(vt_udp_open(&u, 9003), 0);
    ta = start("stop-accept", blocked_accept, l);
    tr = start("stop-read", blocked_read, c);
    tu = start("stop-recv", blocked_recv, u);
    {
        vt_tcp_server_config_t cfg = {.port = 7101, .handler = srv_handler};
        CHECK_EQ(vt_tcp_server_init(&srv, &cfg, srv_conns, 2, srv_stacks, STACK), 0);
    }
    ts = start("server", srv_main, NULL);
    vt_sleep(20); /* all four blocked */
    alone = vt_thread_count() - 4 - 1; /* without them and the poller */
    CHECK_EQ(vt_net_stop(100), 5);     /* two listeners, two sockets, a UDP socket */
    CHECK_EQ(finish(ts), VT_ENETDOWN);
    CHECK_EQ(finish(ta), VT_ENETDOWN);
    CHECK_EQ(finish(tr), VT_ENETDOWN);
    CHECK_EQ(finish(tu), VT_ENETDOWN);
    CHECK_EQ(vt_thread_count(), alone); /* the poller has exited */
    vt_net_stats(&st);
    vt_sleep(50);
    {
        vt_net_stats_t st2;
        vt_net_stats(&st2);
        CHECK_EQ(st2.polls, st.polls); /* and polls no more */
    }
    CHECK_EQ(vt_tcp_write(a, "x", 1), VT_ENETDOWN);
    CHECK_EQ(vt_udp_sendto(u, "x", 1, server_ip, 9), VT_ENETDOWN);
    CHECK_EQ(vt_net_stop(0), VT_ENETDOWN);
    /* restart: the same interfaces; the sockets left open work again */
    CHECK_EQ(vt_net_start(NULL), 0);
    CHECK_EQ(vt_net_start(NULL), VT_EINVAL);
    CHECK_EQ(vt_net_wait_up(1000), 0);
    CHECK_EQ(vt_tcp_write(c, "ping", 4), 4);
    CHECK_EQ(vt_tcp_read_timeout(a, buf, sizeof buf, 5000), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK_EQ(vt_tcp_close(c), 0);
    CHECK_EQ(vt_tcp_close(a), 0);
    CHECK_EQ(vt_tcp_listener_close(l), 0);
    CHECK_EQ(vt_udp_close(u), 0);
    /* a clean end: nothing left open; the closes finished within the linger */
    CHECK_EQ(vt_net_stop(2000), 0);
    CHECK_EQ(vt_thread_count(), alone);
    return 0;
}

static int suite(void *unused)
{
    vt_thread_t *acc;
    CHECK_EQ(vt_net_wait_up(1000), 0);
    vt_ip4_parse("10.0.0.2", &server_ip);
    CHECK_EQ(vt_tcp_listen(&echo_l, 7, 255), 0);
    acc = start("acceptor", echo_acceptor, NULL);
    run_inline_case("tcp_echo_8x256k", case_echo);
    run_inline_case("tcp_refused", case_refused);
    run_inline_case("tcp_connect_timeout", case_connect_timeout);
    run_inline_case("tcp_half_close", case_half_close);
    run_inline_case("tcp_reset", case_reset);
    run_inline_case("tcp_timeout_cancel", case_timeout_cancel);
    run_inline_case("tcp_flow_control", case_flow_control);
    run_inline_case("tcp_backlog", case_backlog);
    run_inline_case("tcp_1000_connections", case_many_connections);
    run_inline_case("tcp_time_wait_reuse", case_time_wait_reuse);
    run_inline_case("tcp_tiny_segments_bounded", case_tiny_segments);
    run_inline_case("tcp_graceful_close", case_graceful_close);
    run_inline_case("tcp_10000_sequential", case_sequential_10k);
    run_inline_case("udp", case_udp);
    run_inline_case("dns", case_dns);
    run_inline_case("tcp_server", case_server);
    run_inline_case("all_released", case_all_released);
    vt_tcp_listener_close(echo_l);
    finish(acc);
    run_inline_case("stop_restart", case_stop_restart);
    return 0;
}

int main(void)
{
    static vt_thread_t t;
    printf("vthread net suite on the host virtual link\n");
    run_case("not_started", case_not_started);
    if (vt_net_start(NULL) != 0) {
        printf("net start failed\n0 passed, 1 failed\n");
        return 1;
    }
    vt_thread_create(&t, stack_alloc(), STACK, "suite", suite, NULL, 0);
    vt_run();
    return harness_finish();
}
