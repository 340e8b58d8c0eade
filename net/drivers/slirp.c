/* SPDX-License-Identifier: MIT */
/**
 * @file net/drivers/slirp.c
 * @brief Host board NIC: libslirp, the user-mode network QEMU uses, inside
 * the firmware's process. The firmware gets the network a QEMU guest gets
 * (10.0.2.15/24, gateway and host 10.0.2.2, DNS 10.0.2.3, DHCP) and real
 * programs reach it through forwarded ports, with no root rights:
 *
 *   ./firmware hostfwd=tcp:127.0.0.1:8080-:80 hostfwd=udp:127.0.0.1:9000-:9000
 *
 * Options on the process's command line (as QEMU's -nic user takes them;
 * several may share one word, separated by commas):
 *   hostfwd=tcp|udp:[hostaddr]:hostport-[guestaddr]:guestport
 *       forward a host port to the firmware (empty hostaddr: every
 *       address; empty guestaddr: the firmware's address); repeatable
 *   restrict=on|off
 *       on: the firmware reaches nothing outside (forwarded ports still
 *       work); off (the default, as in QEMU): it may connect out, and
 *       10.0.2.2 is the host's own 127.0.0.1
 *
 * libslirp works on the host's sockets and needs a poll loop. Here that
 * loop is the poller thread's turn (netdrv_poll): it asks the sockets slirp
 * wants watched (slirp_pollfds_fill), polls them without waiting and lets
 * slirp act on what is ready (slirp_pollfds_poll). Between turns the
 * process sleeps in the scheduler's idle wait; what wakes it is what would
 * be the NIC's interrupt on a chip: every socket slirp watches is switched
 * to signal-driven I/O (O_ASYNC), so the kernel sends SIGIO when one of
 * them has something, and SIGIO is a host-board interrupt whose handler
 * only wakes the poller (vt_net_kick_isr). No thread spins and nothing
 * polls on a period, except slirp's own TCP timers: slirp asks to be run at
 * least once a second, every 0.5 s while it has connections.
 *
 * Frames go through queues both ways and only the poller thread runs
 * slirp (its stack is sized for slirp, which builds every frame it sends
 * in a 64 KB buffer on the stack): frames from lwIP (any thread's output) wait for the turn, which
 * hands them to slirp_input on the poller's stack; frames from slirp
 * (send_packet, inside slirp's calls) wait for the turn's delivery step,
 * so lwIP is never re-entered.
 */
#include <errno.h>
#include <fcntl.h>
#include <libslirp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* libslirp.h brings the C library's byte-order macros; lwIP defines its own */
#undef htons
#undef ntohs
#undef htonl
#undef ntohl

#include "board.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netdrv.h"
#include "netif/ethernet.h"

#define QUEUE 1024     /* frames from slirp not yet handed to lwIP */
#define FRAME_MAX 1514 /* Ethernet header + 1500-byte MTU */
#define TIMERS 4       /* slirp 4.7 makes one (IPv6 router advertisements) */

static Slirp *slirp;
static struct netif nif;
static const uint8_t qemu_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}; /* QEMU's default */

static struct pbuf *queue[QUEUE]; /* from slirp, for lwIP */
static unsigned qhead, qcount;
static struct pbuf *out[QUEUE];   /* from lwIP, for slirp */
static unsigned outhead, outcount;
static int tx_was_full;            /* lwIP got ERR_MEM: tell it when there is room */

/* the sockets slirp asked to watch at the end of the last turn */
static struct pollfd *fds;
static unsigned nfds, fds_cap;
static int new_async; /* a socket was switched to O_ASYNC in this fill */

static struct slirp_timer {
    int used, armed;
    SlirpTimerId id;
    void *cb_opaque;
    int64_t expire_ms;
} timers[TIMERS];

/* ------------------------------------------------------ slirp callbacks */

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
    struct pbuf *p;
    if (qcount == QUEUE || len > 0xFFFF ||
        (p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL)) == NULL) {
        vt_net_counters.rx_dropped++; /* slirp's TCP resends, as over a wire */
        return (ssize_t)len;
    }
    pbuf_take(p, buf, (u16_t)len);
    queue[(qhead + qcount) % QUEUE] = p;
    qcount++;
    vt_net_wake();
    return (ssize_t)len;
}

static void guest_error(const char *msg, void *opaque)
{
    printf("host NIC (slirp): %s\n", msg);
}

static int64_t clock_get_ns(void *opaque) { return (int64_t)vt_now_us() * 1000; }

static void *timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    for (unsigned i = 0; i < TIMERS; i++)
        if (!timers[i].used) {
            memset(&timers[i], 0, sizeof timers[i]);
            timers[i].used = 1;
            timers[i].id = id;
            timers[i].cb_opaque = cb_opaque;
            return &timers[i];
        }
    printf("host NIC (slirp): out of timers\n");
    return NULL;
}

static void timer_free(void *timer, void *opaque)
{
    if (timer != NULL)
        ((struct slirp_timer *)timer)->used = 0;
}

static void timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    struct slirp_timer *t = timer;
    if (t == NULL)
        return;
    t->expire_ms = expire_ms;
    t->armed = 1;
    vt_net_wake(); /* the turn plans its wake-up with it */
}

static void no_fd_op(int fd, void *opaque) {}
static void notify(void *opaque) { vt_net_wake(); }

static const SlirpCb callbacks = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = clock_get_ns,
    .timer_free = timer_free,
    .timer_mod = timer_mod,
    .register_poll_fd = no_fd_op,   /* sockets are met in add_poll instead */
    .unregister_poll_fd = no_fd_op,
    .notify = notify,
    .timer_new_opaque = timer_new_opaque,
};

/* ---------------------------------------------------- the poll interface */

static int add_poll(int fd, int events, void *opaque)
{
    int fl;
    if (nfds == fds_cap) {
        unsigned cap = fds_cap ? 2 * fds_cap : 64;
        struct pollfd *n = realloc(fds, cap * sizeof *n);
        if (n == NULL)
            return -1; /* slirp skips a socket it has no index for */
        fds = n;
        fds_cap = cap;
    }
    fds[nfds].fd = fd;
    fds[nfds].events = (short)((events & SLIRP_POLL_IN ? POLLIN : 0) |
                               (events & SLIRP_POLL_OUT ? POLLOUT : 0) |
                               (events & SLIRP_POLL_PRI ? POLLPRI : 0));
    fds[nfds].revents = 0;
    /* the socket's events become SIGIO interrupts (a socket is new, or its
     * descriptor number was reused, when O_ASYNC is not set yet) */
    fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !(fl & O_ASYNC)) {
        fcntl(fd, F_SETOWN, getpid());
        fcntl(fd, F_SETFL, fl | O_ASYNC);
        new_async = 1;
    }
    return (int)nfds++;
}

static int get_revents(int idx, void *opaque)
{
    short r = fds[idx].revents;
    return (r & POLLIN ? SLIRP_POLL_IN : 0) | (r & POLLOUT ? SLIRP_POLL_OUT : 0) |
           (r & POLLPRI ? SLIRP_POLL_PRI : 0) | (r & POLLERR ? SLIRP_POLL_ERR : 0) |
           (r & POLLHUP ? SLIRP_POLL_HUP : 0);
}

static int poll_now(void)
{
    int r;
    do
        r = poll(fds, nfds, 0);
    while (r < 0 && errno == EINTR);
    return r;
}

/* lwIP timeout at slirp's next wish: the poller wakes for it */
static void slirp_due(void *arg) { vt_net_wake(); }

/* ------------------------------------------------------------ interface */

static void sigio(void) { vt_net_kick_isr(); }

/* lwIP sends: copy the frame (lwIP may rewrite a segment it keeps for
 * retransmission) for the poller to give slirp. slirp_input is never run
 * here: this may be any thread's small stack, and slirp's input path is deep. */
static err_t link_output(struct netif *n, struct pbuf *p)
{
    struct pbuf *copy;
    if (outcount == QUEUE || (copy = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_RAM)) == NULL) {
        vt_net_counters.tx_busy++;
        tx_was_full = 1;
        return ERR_MEM; /* lwIP keeps TCP segments back (net_tx_room) */
    }
    pbuf_copy(copy, p);
    out[(outhead + outcount) % QUEUE] = copy;
    outcount++;
    vt_net_counters.tx_frames++;
    vt_net_wake();
    return ERR_OK;
}

static err_t if_init(struct netif *n)
{
    net_netif_ethernet(n, qemu_mac, link_output);
    n->name[0] = 's';
    n->name[1] = 'l';
    return ERR_OK;
}

void netdrv_default_config(vt_net_config_t *cfg) { net_qemu_user_config(cfg); }

/* "tcp:127.0.0.1:8080-:80": 0 and the parts, or -1 */
static int parse_fwd(const char *s, size_t len, int *udp, struct in_addr *haddr, int *hport,
                     struct in_addr *gaddr, int *gport)
{
    char buf[96], *h, *hp, *g, *gp, *end;
    if (len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    if (strncmp(buf, "tcp:", 4) == 0)
        *udp = 0;
    else if (strncmp(buf, "udp:", 4) == 0)
        *udp = 1;
    else
        return -1;
    h = buf + 4;
    if ((hp = strchr(h, ':')) == NULL || (g = strchr(hp, '-')) == NULL)
        return -1;
    *hp++ = 0;
    *g++ = 0;
    if ((gp = strchr(g, ':')) == NULL)
        return -1;
    *gp++ = 0;
    haddr->s_addr = INADDR_ANY;
    if (*h != 0 && inet_pton(AF_INET, h, haddr) != 1)
        return -1;
    if (*g != 0 && inet_pton(AF_INET, g, gaddr) != 1)
        return -1;
    *hport = (int)strtol(hp, &end, 10);
    if (*hp == 0 || *end != 0 || *hport < 0 || *hport > 65535)
        return -1;
    *gport = (int)strtol(gp, &end, 10);
    if (*gp == 0 || *end != 0 || *gport < 1 || *gport > 65535)
        return -1;
    return 0;
}

/* Apply the command line's net options: restrict first (slirp_new takes it),
 * then the forwards (@p pass 1). @return 0 or VT_EINVAL / VT_EADDRINUSE */
static int apply_options(int pass, int *restricted, struct in_addr guest)
{
    char **argv;
    int argc = board_cmdline(&argv);
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        while (*w != 0) {
            size_t n = strcspn(w, ",");
            if (pass == 0 && strncmp(w, "restrict=", 9) == 0) {
                if (n == 11 && strncmp(w + 9, "on", 2) == 0) {
                    *restricted = 1;
                } else if (n == 12 && strncmp(w + 9, "off", 3) == 0) {
                    *restricted = 0;
                } else {
                    printf("host NIC: bad option '%.*s' (restrict=on or restrict=off)\n", (int)n, w);
                    return VT_EINVAL;
                }
            } else if (pass == 1 && strncmp(w, "hostfwd=", 8) == 0) {
                struct in_addr ha, ga = guest;
                int udp, hp, gp;
                char hs[16];
                if (parse_fwd(w + 8, n - 8, &udp, &ha, &hp, &ga, &gp) != 0) {
                    printf("host NIC: bad option '%.*s' (hostfwd=tcp|udp:[hostaddr]:hostport-"
                           "[guestaddr]:guestport)\n", (int)n, w);
                    return VT_EINVAL;
                }
                if (slirp_add_hostfwd(slirp, udp, ha, hp, ga, gp) != 0) {
                    printf("host NIC: cannot forward %s %s:%d: %s\n", udp ? "udp" : "tcp",
                           inet_ntop(AF_INET, &ha, hs, sizeof hs), hp, strerror(errno));
                    return VT_EADDRINUSE;
                }
            }
            w += n;
            if (*w == ',')
                w++;
        }
    }
    return 0;
}

int netdrv_start(const vt_net_config_t *cfg, struct netif **primary)
{
    SlirpConfig sc;
    struct in_addr guest;
    ip4_addr_t any;
    int restricted = 0, rc;

    memset(&sc, 0, sizeof sc);
    sc.version = 4;
    sc.in_enabled = true;
    inet_pton(AF_INET, "10.0.2.0", &sc.vnetwork);
    inet_pton(AF_INET, "255.255.255.0", &sc.vnetmask);
    inet_pton(AF_INET, "10.0.2.2", &sc.vhost);
    inet_pton(AF_INET, "10.0.2.15", &sc.vdhcp_start);
    inet_pton(AF_INET, "10.0.2.3", &sc.vnameserver);
    sc.vhostname = "vthread";
    /* forwards go to the static address, or to the one DHCP hands out */
    guest.s_addr = cfg->dhcp || cfg->addr == 0 ? sc.vdhcp_start.s_addr : cfg->addr;
    if ((rc = apply_options(0, &restricted, guest)) != 0)
        return rc;
    sc.restricted = restricted;
    host_irq_attach(SIGIO, sigio);
    /* slirp writes to sockets whose peer may have gone: EPIPE, not the
     * process killed by SIGPIPE (QEMU ignores it too) */
    signal(SIGPIPE, SIG_IGN);
    slirp = slirp_new(&sc, &callbacks, NULL);
    if (slirp == NULL)
        return VT_EIO;
    if ((rc = apply_options(1, &restricted, guest)) != 0)
        return rc;
    ip4_addr_set_zero(&any);
    if (netif_add(&nif, &any, &any, &any, NULL, if_init, ethernet_input) == NULL)
        return VT_EIO;
    net_netif_configure(&nif, cfg);
    *primary = &nif;
    return 0;
}

void netdrv_poll(void)
{
    uint32_t timeout = UINT32_MAX;
    int64_t now;
    unsigned n;
    int r;

    /* 1. frames lwIP sent since the last turn, to slirp (one pass: what
     *    lwIP sends meanwhile waits for the next turn) */
    n = outcount;
    while (n-- > 0 && outcount > 0) {
        struct pbuf *p = out[outhead];
        static uint8_t frame[FRAME_MAX];
        outhead = (outhead + 1) % QUEUE;
        outcount--;
        if (p->tot_len <= sizeof frame) { /* lwIP builds no larger frame (MTU 1500) */
            pbuf_copy_partial(p, frame, p->tot_len, 0);
            slirp_input(slirp, frame, p->tot_len);
        }
        pbuf_free(p);
    }
    if (outcount == 0 && tx_was_full) {
        tx_was_full = 0;
        net_tx_room(); /* segments lwIP kept back go out now */
    }
    /* 2. what the sockets watched since the last turn have for slirp (its
     *    TCP timers run in this call too, ready sockets or not) */
    r = poll_now();
    slirp_pollfds_poll(slirp, r < 0, get_revents, NULL);
    now = (int64_t)vt_now_ms();
    for (unsigned i = 0; i < TIMERS; i++)
        if (timers[i].used && timers[i].armed && timers[i].expire_ms <= now) {
            timers[i].armed = 0;
            slirp_handle_timer(slirp, timers[i].id, timers[i].cb_opaque);
        }
    /* 3. frames slirp produced, to lwIP; what lwIP sends in reply waits
     *    for the next turn */
    n = qcount;
    while (n-- > 0 && qcount > 0) {
        struct pbuf *p = queue[qhead];
        qhead = (qhead + 1) % QUEUE;
        qcount--;
        vt_net_counters.rx_frames++;
        if (nif.input(p, &nif) != ERR_OK)
            pbuf_free(p);
    }
    if (qcount > 0 || outcount > 0)
        vt_net_wake();
    /* 4. the sockets to watch until the next turn, and when slirp wants it */
    nfds = 0;
    new_async = 0;
    slirp_pollfds_fill(slirp, &timeout, add_poll, NULL);
    now = (int64_t)vt_now_ms();
    for (unsigned i = 0; i < TIMERS; i++)
        if (timers[i].used && timers[i].armed) {
            int64_t left = timers[i].expire_ms - now;
            if (left < (int64_t)timeout)
                timeout = left > 0 ? (uint32_t)left : 0;
        }
    sys_untimeout(slirp_due, NULL);
    if (timeout != UINT32_MAX)
        sys_timeout(timeout, slirp_due, NULL);
    /* a socket that became signal-driven just now may have had its event
     * before: look once, so that no readiness waits for the next timeout */
    if (new_async && poll_now() > 0)
        vt_net_wake();
}
