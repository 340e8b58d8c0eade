/* SPDX-License-Identifier: MIT */
/**
 * @file net/tcp.c
 * @brief Blocking TCP for vthreads over lwIP's raw API.
 *
 * A socket (struct vt_tcp, from a static pool) is what lwIP's callbacks
 * know (tcp_arg). Callbacks never block: recv queues the pbuf and wakes
 * readers, sent wakes writers, err records the error, forgets the pcb
 * (lwIP has already freed it) and wakes everybody. Threads copy data in and
 * out during their own calls; no pointer into a thread's memory is kept.
 *
 * Flow control is lwIP's window: received data counts against it until a
 * thread reads it (tcp_recved), so a slow reader slows its peer down.
 */
#include <stdio.h>
#include <string.h>

#include "lwip/memp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "net_priv.h"
#include "vt/vt.h"

#if !defined(LWIP_TCP_TIMEWAIT_REUSE_PATCH)
#error "lwIP without vthread's patches: scripts/fetch-source lwip applies net/lwip_port/patches"
#endif

#define SOCK_TIMEOUT ((vt_tick_t)-2)

enum {
    T_EOF = 0x01,       /* FIN received */
    T_CONNECTED = 0x02,
    T_WR_SHUT = 0x04,   /* we sent FIN */
    T_PENDING = 0x08,   /* accepted by lwIP, not yet by a thread */
    T_HOLE = 0x10,      /* asked the peer to fill a hole; cleared by in-order data */
    T_RESYN = 0x20,     /* connecting, and frames were lost: the SYN-ACK may be one */
};

struct vt_tcp {
    struct tcp_pcb *pcb;   /* NULL once lwIP freed it (error) or we closed */
    struct pbuf *rx;       /* received, not yet read */
    struct vt_tcp *next;   /* free list, or a listener's pending list */
    vt_waitq_t rq, wq;     /* blocked readers, writers */
    vt_tick_t timeout;
    int8_t err;            /* sticky error (VT_E...) */
    uint8_t flags;
};

struct vt_tcp_listener {
    struct tcp_pcb *pcb;
    struct vt_tcp *head, *tail;  /* connections waiting for accept */
    vt_waitq_t q;
    uint16_t npending, backlog;
    uint8_t closed;
};

static struct vt_tcp socks[VT_NET_TCP_MAX];
static struct vt_tcp *free_socks;
static int socks_ready;
static struct vt_tcp_listener listeners[MEMP_NUM_TCP_PCB_LISTEN];

static struct vt_tcp *sock_alloc(void)
{
    struct vt_tcp *s;
    if (!socks_ready) {
        for (int i = VT_NET_TCP_MAX - 1; i >= 0; i--) {
            socks[i].next = free_socks;
            free_socks = &socks[i];
        }
        socks_ready = 1;
    }
    s = free_socks;
    if (s == NULL)
        return NULL;
    free_socks = s->next;
    memset(s, 0, sizeof *s);
    s->timeout = VT_FOREVER;
    vt_net_counters.tcp_open++;
    return s;
}

static void sock_free(struct vt_tcp *s)
{
    if (s->rx != NULL)
        pbuf_free(s->rx);
    s->rx = NULL;
    s->pcb = NULL;
    /* anyone still blocked on it learns it is gone */
    vt_waitq_wake_all(&s->rq, VT_ENOTCONN);
    vt_waitq_wake_all(&s->wq, VT_ENOTCONN);
    s->next = free_socks;
    free_socks = s;
    vt_net_counters.tcp_open--;
}

/* The socket of @p pcb, or NULL: closed by us, or a pcb of an application
 * using lwIP's raw API next to the sockets (its tcp_arg is its own). */
static struct vt_tcp *sock_of(const struct tcp_pcb *pcb)
{
    const struct vt_tcp *s = pcb->callback_arg;
    return s >= socks && s < socks + VT_NET_TCP_MAX ? (struct vt_tcp *)s : NULL;
}

static int map_err(err_t e)
{
    switch (e) {
    case ERR_OK: return 0;
    case ERR_MEM: case ERR_BUF: return VT_ENOMEM;
    case ERR_TIMEOUT: return VT_ETIMEDOUT;
    case ERR_RTE: return VT_EHOSTUNREACH;
    case ERR_USE: return VT_EADDRINUSE;
    case ERR_ABRT: return VT_ECONNABORTED;
    case ERR_RST: return VT_ECONNRESET;
    case ERR_CLSD: case ERR_CONN: return VT_ENOTCONN;
    case ERR_VAL: case ERR_ARG: return VT_EINVAL;
    default: return VT_EIO;
    }
}

/* ------------------------------------------------------ lwIP callbacks */

/* Both directions are done, or the peer had its time: close for good (a
 * segment that still comes is answered with a reset). */
static err_t close_fully(struct tcp_pcb *pcb)
{
    tcp_poll(pcb, NULL, 0);
    if (tcp_close(pcb) != ERR_OK) { /* no memory for what is left to send */
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    return ERR_OK;
}

/* recv of a pcb whose socket was closed (vt_tcp_close): what the peer still
 * sends is taken and dropped, so that it can finish sending and read our
 * answer; its FIN ends it. */
static err_t on_recv_closed(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    (void)arg;
    if (p == NULL)
        return close_fully(pcb);
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
}

/* poll of such a pcb: the peer had VT_NET_LINGER_MS since our last data was
 * acknowledged and has not finished */
static err_t on_poll_closed(void *arg, struct tcp_pcb *pcb)
{
    (void)arg;
    return close_fully(pcb);
}

/* Received data waits in s->rx until a thread reads it, each segment in the
 * pbuf its frame came in: the driver's (exact-size from the heap, or a
 * full-size pool buffer), headers and lwIP's bookkeeping included. A peer
 * that sends one byte per segment would make a window of unread bytes cost
 * a frame per byte, and a few such peers could take lwIP's memory while
 * their threads wait in a write. So a chain of several mostly small
 * segments (or simply a long one) is copied into one pbuf of its exact
 * size: a connection holds about a window of unread bytes plus two frames.
 * Full-size segments are left alone (a 2-MSS window never makes a long
 * chain of them). */
static void rx_bound(struct vt_tcp *s)
{
    u16_t n = pbuf_clen(s->rx);
    struct pbuf *one;
    if (n <= 2 || (n <= VT_NET_RX_PBUFS && s->rx->tot_len >= n * (TCP_MSS / 2)))
        return;
    one = pbuf_alloc(PBUF_RAW, s->rx->tot_len, PBUF_RAM);
    if (one == NULL)
        return; /* no room to copy: the chain stays (the window bounds it) */
    pbuf_copy(one, s->rx);
    pbuf_free(s->rx);
    s->rx = one;
    vt_net_counters.rx_compactions++;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct vt_tcp *s = arg;
    if (p == NULL) {
        s->flags |= T_EOF;
    } else {
        s->flags &= (uint8_t)~T_HOLE;
        if (s->rx == NULL) {
            s->rx = p;
        } else {
            pbuf_cat(s->rx, p);
            rx_bound(s);
        }
    }
    vt_waitq_wake_all(&s->rq, 0);
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    struct vt_tcp *s = arg;
    if (s != NULL)
        vt_waitq_wake_all(&s->wq, 0);
    return ERR_OK;
}

/* lwIP has freed the pcb already: forget it, record why, wake everybody */
static void on_err(void *arg, err_t err)
{
    struct vt_tcp *s = arg;
    if (s == NULL)
        return;
    s->pcb = NULL;
    s->err = (int8_t)(err == ERR_RST && !(s->flags & T_CONNECTED) && !(s->flags & T_PENDING)
                          ? VT_ECONNREFUSED
                          : map_err(err));
    if (err == ERR_RST)
        vt_net_counters.resets++;
    vt_waitq_wake_all(&s->rq, 0);
    vt_waitq_wake_all(&s->wq, 0);
}

static void attach(struct vt_tcp *s, struct tcp_pcb *pcb)
{
    s->pcb = pcb;
    tcp_arg(pcb, s);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_err);
}

static void detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_recv(pcb, on_recv_closed);
}

/* ------------------------------------------------------------- listen */

static err_t on_accept(void *arg, struct tcp_pcb *newpcb, err_t err)
{
    struct vt_tcp_listener *l = arg;
    struct vt_tcp *s;

    if (newpcb == NULL || err != ERR_OK) {
        vt_net_counters.refused_nomem++;
        return ERR_VAL;
    }
    if (l == NULL || l->closed || l->npending >= l->backlog) {
        vt_net_counters.refused_backlog++;
        tcp_abort(newpcb);
        return ERR_ABRT;
    }
    s = sock_alloc();
    if (s == NULL) {
        vt_net_counters.refused_nomem++;
        tcp_abort(newpcb);
        return ERR_ABRT;
    }
    attach(s, newpcb);
    s->flags = T_CONNECTED | T_PENDING;
    tcp_backlog_delayed(newpcb); /* counts against the listen backlog until accepted */
    if (l->tail != NULL)
        l->tail->next = s;
    else
        l->head = s;
    l->tail = s;
    l->npending++;
    vt_waitq_wake_one(&l->q, 0);
    return ERR_OK;
}

int vt_tcp_listen(vt_tcp_listener_t **out, uint16_t port, unsigned backlog)
{
    struct vt_tcp_listener *l = NULL;
    struct tcp_pcb *pcb, *lpcb;
    err_t e;

    NET_ENTER();
    if (out == NULL || backlog == 0 || backlog > 0xFFFF)
        return VT_EINVAL;
    for (unsigned i = 0; i < MEMP_NUM_TCP_PCB_LISTEN; i++)
        if (listeners[i].pcb == NULL) {
            l = &listeners[i];
            break;
        }
    if (l == NULL)
        return VT_ENOMEM;
    pcb = tcp_new();
    if (pcb == NULL)
        return VT_ENOMEM;
    /* a server that stops and listens again must not wait for its old
     * connections' TIME_WAIT (as SO_REUSEADDR on a BSD socket) */
    ip_set_option(pcb, SOF_REUSEADDR);
    e = tcp_bind(pcb, IP_ANY_TYPE, port);
    if (e != ERR_OK) {
        tcp_abort(pcb);
        return map_err(e);
    }
    lpcb = tcp_listen_with_backlog_and_err(pcb, (u8_t)(backlog > 255 ? 255 : backlog), &e);
    if (lpcb == NULL) {
        tcp_abort(pcb);
        return map_err(e);
    }
    memset(l, 0, sizeof *l);
    l->pcb = lpcb;
    l->backlog = (uint16_t)backlog;
    tcp_arg(lpcb, l);
    tcp_accept(lpcb, on_accept);
    *out = l;
    return 0;
}

int vt_tcp_accept(vt_tcp_listener_t *l, vt_tcp_t **out, vt_tick_t timeout)
{
    struct vt_tcp *s;
    int rc;
    vt_deadline_t d = vt_deadline_in(timeout);

    NET_ENTER();
    if (l == NULL || out == NULL || l->pcb == NULL)
        return VT_EINVAL;
    for (;;) {
        if (l->closed)
            return VT_ECLOSED;
        while ((s = l->head) != NULL) {
            l->head = s->next;
            if (l->head == NULL)
                l->tail = NULL;
            l->npending--;
            s->next = NULL;
            s->flags &= (uint8_t)~T_PENDING;
            if (s->pcb == NULL && s->rx == NULL && !(s->flags & T_EOF)) {
                sock_free(s); /* reset before anybody took it */
                continue;
            }
            if (s->pcb != NULL)
                tcp_backlog_accepted(s->pcb);
            vt_net_counters.accepted++;
            *out = s;
            return 0;
        }
        rc = vt_waitq_wait_until(&l->q, &d);
        if (rc != 0)
            return rc;
    }
}

int vt_tcp_listener_close(vt_tcp_listener_t *l)
{
    struct vt_tcp *s;
    NET_CHECK_CONTEXT();
    if (l == NULL || l->pcb == NULL)
        return VT_EINVAL;
    l->closed = 1;
    tcp_arg(l->pcb, NULL);
    tcp_accept(l->pcb, NULL);
    tcp_close(l->pcb);
    while ((s = l->head) != NULL) {
        l->head = s->next;
        vt_tcp_abort(s);
    }
    l->tail = NULL;
    l->npending = 0;
    /* the acceptors return VT_ECLOSED from their wait, without reading l
     * again: the slot is free from now on and may serve a new listener */
    vt_waitq_wake_all(&l->q, VT_ECLOSED);
    l->pcb = NULL;
    return 0;
}

/* ------------------------------------------------------------ connect */

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct vt_tcp *s = arg;
    if (s != NULL) {
        s->flags |= T_CONNECTED;
        vt_waitq_wake_all(&s->wq, 0);
    }
    return ERR_OK;
}

/* A new pcb for @p s, its SYN sent. */
static int connect_start(struct vt_tcp *s, vt_ip4_t ip, uint16_t port)
{
    struct tcp_pcb *pcb = tcp_new();
    ip_addr_t a;
    err_t e;
    if (pcb == NULL)
        return VT_ENOMEM;
    attach(s, pcb);
    /* RFC 6298's initial RTO of 1 s instead of lwIP's fixed 3 s: a lost SYN
     * (a burst overran a NIC) then costs a second, not three */
    pcb->rto = 1000 / TCP_SLOW_INTERVAL;
    ip_addr_set_ip4_u32(&a, ip);
    e = tcp_connect(pcb, &a, port, on_connected);
    if (e != ERR_OK) {
        detach(pcb);
        tcp_abort(pcb);
        s->pcb = NULL;
        return map_err(e);
    }
    vt_net_kick(); /* the SYN's retransmit timer */
    return 0;
}

int vt_tcp_connect(vt_tcp_t **out, vt_ip4_t ip, uint16_t port, vt_tick_t timeout)
{
    struct vt_tcp *s;
    int rc;
    vt_tick_t now, restart_at = 0;
    vt_deadline_t d = vt_deadline_in(timeout);

    NET_ENTER();
    if (out == NULL || ip == 0 || port == 0)
        return VT_EINVAL;
    s = sock_alloc();
    if (s == NULL)
        return VT_ENOMEM;
    rc = connect_start(s, ip, port);
    if (rc != 0) {
        sock_free(s);
        return rc;
    }
    while (!(s->flags & T_CONNECTED) && s->err == 0) {
        vt_deadline_t wait = d;
        now = vt_now_ms();
        if (vt_deadline_passed(&d)) {
            rc = VT_ETIMEDOUT;
            break;
        }
        if (s->flags & T_RESYN) {
            /* frames were lost while this connect waited (net_tcp_recover):
             * if the SYN-ACK does not come soon, it was one of them. Some
             * peers (slirp) answer a repeated SYN with nothing: reset the
             * half-open connection and open a new one */
            if (restart_at == 0)
                restart_at = now + VT_NET_RESYN_MS;
            if ((int32_t)(now - restart_at) >= 0) {
                struct tcp_pcb *old = s->pcb;
                s->flags &= (uint8_t)~T_RESYN;
                restart_at = 0;
                if (old != NULL) {
                    detach(old);
                    tcp_abort(old); /* RST: the peer forgets its half */
                    s->pcb = NULL;
                }
                vt_net_counters.tcp_syn_restarts++;
                if ((rc = connect_start(s, ip, port)) != 0)
                    break;
                continue;
            }
            if (d.kind == VT_DL_NEVER || (int32_t)(d.at - restart_at) > 0)
                wait = vt_deadline_at(restart_at); /* look again at restart_at */
        }
        rc = vt_waitq_wait_until(&s->wq, &wait);
        if (rc != 0 && rc != VT_ETIMEDOUT)
            break; /* cancelled */
        rc = 0; /* woken, or a wait cut short: the loop looks again */
    }
    if (!(s->flags & T_CONNECTED)) {
        if (rc == 0)
            rc = s->err != 0 ? s->err : VT_EIO;
        vt_tcp_abort(s);
        return rc;
    }
    s->flags &= (uint8_t)~T_RESYN;
    vt_net_counters.connected++;
    *out = s;
    return 0;
}

/* ------------------------------------------------------------ data */

void vt_tcp_set_timeout(vt_tcp_t *s, vt_tick_t timeout)
{
    if (s != NULL)
        s->timeout = timeout;
}


int vt_tcp_read_timeout(vt_tcp_t *s, void *buf, size_t len, vt_tick_t timeout)
{
    vt_deadline_t d;
    int rc;

    NET_ENTER();
    if (s == NULL || (buf == NULL && len > 0))
        return VT_EINVAL;
    if (timeout == SOCK_TIMEOUT)
        timeout = s->timeout;
    d = vt_deadline_in(timeout);
    if (len == 0)
        return 0;
    for (;;) {
        if (s->rx != NULL) {
            u16_t n = (u16_t)(len < s->rx->tot_len ? len : s->rx->tot_len);
            pbuf_copy_partial(s->rx, buf, n, 0);
            s->rx = pbuf_free_header(s->rx, n);
            if (s->pcb != NULL) {
                tcp_recved(s->pcb, n); /* reopen the window by what we took */
                vt_net_kick();
            }
            return n;
        }
        if (s->flags & T_EOF)
            return 0;
        if (s->err != 0)
            return s->err;
        if (s->pcb == NULL)
            return VT_ENOTCONN;
        rc = vt_waitq_wait_until(&s->rq, &d);
        if (rc != 0)
            return rc;
    }
}

int vt_tcp_wait_readable(vt_tcp_t *s, vt_tick_t timeout)
{
    int rc;
    vt_deadline_t d;
    NET_ENTER();
    if (s == NULL)
        return VT_EINVAL;
    d = vt_deadline_in(timeout == SOCK_TIMEOUT ? s->timeout : timeout);
    for (;;) {
        if (s->rx != NULL || (s->flags & T_EOF) || s->err != 0 || s->pcb == NULL)
            return 0; /* a read will not block */
        rc = vt_waitq_wait_until(&s->rq, &d);
        if (rc != 0)
            return rc;
    }
}

int net_read_exact(void *stream, net_read_fn rd, vt_tick_t timeout, void *buf, size_t len)
{
    size_t got = 0;
    vt_deadline_t d = vt_deadline_in(timeout);

    if (len > 0x7FFFFFFF)
        return VT_EINVAL;
    while (got < len) {
        int n = rd(stream, (uint8_t *)buf + got, len - got, net_step_timeout(&d));
        if (n == 0)
            return VT_EPIPE;
        if (n < 0)
            return n;
        got += (size_t)n;
    }
    return (int)len;
}

static int tcp_read(void *s, void *buf, size_t len, vt_tick_t timeout)
{
    return vt_tcp_read_timeout(s, buf, len, timeout);
}

int vt_tcp_read_exact(vt_tcp_t *s, void *buf, size_t len)
{
    NET_ENTER();
    if (s == NULL)
        return VT_EINVAL;
    return net_read_exact(s, tcp_read, s->timeout, buf, len);
}

int vt_tcp_write_timeout(vt_tcp_t *s, const void *buf, size_t len, vt_tick_t timeout)
{
    const uint8_t *p = buf;
    size_t done = 0;
    vt_deadline_t d;
    int rc;

    NET_ENTER();
    if (s == NULL || (buf == NULL && len > 0) || len > 0x7FFFFFFF)
        return VT_EINVAL;
    if (timeout == SOCK_TIMEOUT)
        timeout = s->timeout;
    d = vt_deadline_in(timeout);
    while (done < len) {
        size_t n;
        err_t e;
        if (s->err != 0)
            return s->err;
        if (s->pcb == NULL || (s->flags & T_WR_SHUT))
            return VT_ENOTCONN;
        n = len - done;
        if (n > tcp_sndbuf(s->pcb))
            n = tcp_sndbuf(s->pcb);
        if (n > 0xFFFF)
            n = 0xFFFF;
        if (n > 0 && tcp_sndqueuelen(s->pcb) < TCP_SND_QUEUELEN) {
            e = tcp_write(s->pcb, p + done, (u16_t)n,
                          TCP_WRITE_FLAG_COPY | (done + n < len ? TCP_WRITE_FLAG_MORE : 0));
            if (e == ERR_OK) {
                done += n;
                continue;
            }
            if (e != ERR_MEM)
                return map_err(e);
        }
        /* no room: push what is queued, wait for acknowledgements. With
         * nothing of ours in flight, the room missing is lwIP's memory
         * (other connections hold it), and no acknowledgement of ours will
         * come to say it is back: look again soon. */
        tcp_output(s->pcb);
        vt_net_kick();
        {
            vt_tick_t left = vt_deadline_left(&d);
            int memwait = s->pcb->unacked == NULL && s->pcb->unsent == NULL &&
                          left != VT_NOWAIT && (left == VT_FOREVER || left > VT_NET_MEM_RETRY_MS);
            vt_deadline_t retry = vt_deadline_in(VT_NET_MEM_RETRY_MS);
            if (memwait)
                vt_net_counters.tx_nomem++;
            rc = vt_waitq_wait_until(&s->wq, memwait ? &retry : &d);
            if (memwait && rc == VT_ETIMEDOUT)
                continue;
        }
        if (rc != 0)
            return rc;
    }
    if (s->pcb != NULL) {
        tcp_output(s->pcb);
        vt_net_kick();
    }
    return (int)len;
}

int vt_tcp_shutdown(vt_tcp_t *s)
{
    err_t e;
    NET_ENTER();
    if (s == NULL)
        return VT_EINVAL;
    if (s->pcb == NULL)
        return s->err != 0 ? s->err : VT_ENOTCONN;
    if (s->flags & T_WR_SHUT)
        return 0;
    e = tcp_shutdown(s->pcb, 0, 1);
    if (e != ERR_OK)
        return map_err(e);
    s->flags |= T_WR_SHUT;
    vt_net_kick();
    return 0;
}

int vt_tcp_close(vt_tcp_t *s)
{
    NET_CHECK_CONTEXT();
    if (s == NULL)
        return VT_EINVAL;
    if (s->pcb != NULL) {
        /* Graceful: input nobody read is taken (lwIP resets a connection
         * closed with unread input, and the reset destroys the answer still
         * queued for the peer), our FIN follows what is queued, and what the
         * peer still sends is read and dropped until its FIN or the linger
         * time (on_recv_closed, on_poll_closed). */
        struct tcp_pcb *pcb = s->pcb;
        detach(pcb);
        if (s->rx != NULL)
            tcp_recved(pcb, s->rx->tot_len);
        if (s->flags & T_EOF) {
            close_fully(pcb); /* the peer is done already */
        } else if (tcp_shutdown(pcb, 0, 1) != ERR_OK) {
            tcp_abort(pcb);
        } else {
            u32_t ticks = (VT_NET_LINGER_MS + TCP_SLOW_INTERVAL - 1) / TCP_SLOW_INTERVAL;
            tcp_poll(pcb, on_poll_closed, (u8_t)(ticks == 0 ? 1 : ticks > 255 ? 255 : ticks));
        }
        vt_net_kick();
    }
    sock_free(s);
    return 0;
}

void vt_tcp_abort(vt_tcp_t *s)
{
    NET_CHECK_CONTEXT();
    if (s == NULL)
        return;
    if (s->pcb != NULL) {
        struct tcp_pcb *pcb = s->pcb;
        detach(pcb);
        tcp_abort(pcb);
    }
    sock_free(s);
}

int vt_tcp_peer(vt_tcp_t *s, vt_ip4_t *ip, uint16_t *port)
{
    NET_CHECK_CONTEXT();
    if (s == NULL || s->pcb == NULL)
        return VT_ENOTCONN;
    if (ip)
        *ip = ip4_addr_get_u32(ip_2_ip4(&s->pcb->remote_ip));
    if (port)
        *port = s->pcb->remote_port;
    return 0;
}

/* ------------------------------------------------------------ recovery */

/* The NIC dropped received frames (its buffer overflowed); which ones is
 * not known. A peer resends lost data only after its retransmission timeout
 * (a second at least on most stacks, slirp's too, doubling while losses go
 * on) unless three duplicate ACKs make it retransmit at once. So every
 * connection that received something lately asks for what may be missing:
 * a connect in progress sends its SYN again (the SYN-ACK may be lost), a
 * connection with unacknowledged data sends the first segment again (its
 * ACK may be lost: the peer answers with an ACK), and a connection that can
 * still receive sends three identical ACKs (a peer with nothing
 * unacknowledged ignores them). Idle connections are left alone.
 *
 * The peers answer at once, and their answers fill the driver's buffers
 * while this runs: so a pass goes over the sockets a batch at a time, and
 * the poller hands what arrived to lwIP between batches
 * (net_tcp_recover_step()). Connections without a socket (closed by the
 * application, or used through lwIP's raw API) go first, in one go: there
 * are few of them. */
static unsigned recover_pos = VT_NET_TCP_MAX; /* next socket of the pass; MAX: none */
static uint8_t recover_again; /* another overflow during the pass: one more pass after it */

#define RECOVER_BATCH 16
#define RECOVER_RECENT_TICKS (VT_NET_RECOVER_ACTIVE_MS / TCP_SLOW_INTERVAL)

static int recover_pcb(struct tcp_pcb *p)
{
    if ((u32_t)(tcp_ticks - p->tmr) > RECOVER_RECENT_TICKS)
        return 0;
    vt_net_counters.tcp_recoveries++;
    if (p->unacked != NULL) { /* SYN, SYN-ACK, data or FIN */
        u8_t nrtx = p->nrtx; /* not one of the retries that lead to giving up */
        if (tcp_rexmit(p) == ERR_OK)
            tcp_output(p);
        p->nrtx = nrtx;
    }
    if (p->state == SYN_SENT && sock_of(p) != NULL) {
        struct vt_tcp *s = sock_of(p);
        s->flags |= T_RESYN;
        vt_waitq_wake_all(&s->wq, 0);
    }
    /* a shut window: the peer sends probes, and has nothing else to resend */
    if ((p->state == ESTABLISHED || p->state == FIN_WAIT_1 || p->state == FIN_WAIT_2) &&
        p->rcv_ann_wnd != 0) {
        if (p->flags & (TF_ACK_DELAY | TF_ACK_NOW)) { /* an ACK owed goes first */
            tcp_ack_now(p);
            tcp_output(p);
        }
        for (int i = 0; i < 3; i++)
            tcp_send_empty_ack(p);
    }
    return 1;
}

/* lwIP's LWIP_HOOK_TCP_INPACKET_PCB (lwipopts.h): every segment for a
 * pcb, before lwIP takes it. A segment that starts beyond what we received
 * (data, or a pure ACK whose sequence number shows the peer has sent more)
 * means that a frame from the peer was lost on the way. The peer resends it
 * at once on three duplicate ACKs, later on its timer: so ask, once per
 * hole. lwIP adds a duplicate ACK of its own for data out of order. */
void vt_tcp_inpacket(struct tcp_pcb *pcb, const struct tcp_hdr *hdr, const struct pbuf *p)
{
    struct vt_tcp *s;
    u32_t seq = hdr->seqno; /* tcp_input converted the header to host order */
    (void)p;
    if (pcb->state == FIN_WAIT_1 || pcb->state == FIN_WAIT_2 || pcb->state == CLOSING)
        net_time_wait_may_grow++; /* this segment may end in TIME_WAIT (net.c) */
    if (pcb->state != ESTABLISHED && pcb->state != FIN_WAIT_1 && pcb->state != FIN_WAIT_2)
        return;
    s = sock_of(pcb);
    if (s == NULL || (s->flags & T_HOLE) || !TCP_SEQ_GT(seq, pcb->rcv_nxt) ||
        TCP_SEQ_GT(seq, pcb->rcv_nxt + pcb->rcv_wnd))
        return;
    s->flags |= T_HOLE;
    vt_net_counters.tcp_holes++;
    for (int i = 0; i < 3; i++)
        tcp_send_empty_ack(pcb);
}

static void recover_start(void)
{
    for (struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next)
        if (sock_of(p) == NULL)
            recover_pcb(p);
    recover_pos = 0;
}

void net_tcp_recover(void)
{
    /* a pass in progress is not restarted: the sockets after its position
     * would never be reached while overflows go on */
    if (recover_pos < VT_NET_TCP_MAX)
        recover_again = 1;
    else
        recover_start();
}

int net_tcp_recover_step(void)
{
    unsigned n = 0;
    for (; recover_pos < VT_NET_TCP_MAX && n < RECOVER_BATCH; recover_pos++)
        if (socks[recover_pos].pcb != NULL)
            n += (unsigned)recover_pcb(socks[recover_pos].pcb);
    if (recover_pos == VT_NET_TCP_MAX && recover_again) {
        recover_again = 0;
        recover_start();
    }
    return recover_pos < VT_NET_TCP_MAX;
}

const size_t vt_tcp_socket_bytes = sizeof(struct vt_tcp);

/* vt_net_stop(): whoever waits on a socket or listener returns VT_ENETDOWN;
 * the sockets stay their owners' to close. */
int net_tcp_stop(void)
{
    int open = (int)vt_net_counters.tcp_open;
    for (unsigned i = 0; i < MEMP_NUM_TCP_PCB_LISTEN; i++)
        if (listeners[i].pcb != NULL) {
            open++;
            vt_waitq_wake_all(&listeners[i].q, VT_ENETDOWN);
        }
    for (unsigned i = 0; i < VT_NET_TCP_MAX; i++) {
        vt_waitq_wake_all(&socks[i].rq, VT_ENETDOWN);
        vt_waitq_wake_all(&socks[i].wq, VT_ENETDOWN);
    }
    return open;
}

/* For the thread dump (vt_waitq_describe in net.c): a queue of a socket or
 * a listener, named by direction and peer. Read only. */
int net_tcp_describe(const vt_waitq_t *q, char *buf, size_t len)
{
    const uint8_t *p = (const uint8_t *)q;
    char ip[16];
    if (p >= (const uint8_t *)socks && p < (const uint8_t *)(socks + VT_NET_TCP_MAX)) {
        const struct vt_tcp *s = &socks[(size_t)(p - (const uint8_t *)socks) / sizeof socks[0]];
        const char *what = q == &s->rq ? "tcp-read" : "tcp-write";
        if (s->pcb == NULL)
            return snprintf(buf, len, "%s (closed)", what);
        if (q == &s->wq && s->pcb->state == SYN_SENT)
            what = "tcp-connect";
        return snprintf(buf, len, "%s %s:%u", what,
                        vt_ip4_str(ip4_addr_get_u32(ip_2_ip4(&s->pcb->remote_ip)), ip),
                        (unsigned)s->pcb->remote_port);
    }
    if (p >= (const uint8_t *)listeners &&
        p < (const uint8_t *)(listeners + MEMP_NUM_TCP_PCB_LISTEN)) {
        const struct vt_tcp_listener *l =
            &listeners[(size_t)(p - (const uint8_t *)listeners) / sizeof listeners[0]];
        return l->pcb != NULL ? snprintf(buf, len, "tcp-accept :%u", (unsigned)l->pcb->local_port)
                              : snprintf(buf, len, "tcp-accept (closed)");
    }
    return 0;
}
