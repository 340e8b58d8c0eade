/* SPDX-License-Identifier: MIT */
/**
 * @file net/udp.c
 * @brief Blocking UDP for vthreads: datagrams queue in the socket (up to a
 * small bound, then the newest is dropped and counted) until read.
 */
#include <stdio.h>
#include <string.h>

#include "lwip/udp.h"
#include "net_priv.h"
#include "vt/vt.h"

#define UDP_QUEUE VT_NET_UDP_QUEUE /* vt/net_config.h */
#define UDP_SOCKETS VT_NET_UDP_MAX

struct vt_udp {
    struct udp_pcb *pcb;
    struct {
        struct pbuf *p;
        vt_ip4_t ip;
        uint16_t port;
    } q[UDP_QUEUE];
    uint8_t head, count;
    uint32_t dropped;
    vt_waitq_t rq;
};

static struct vt_udp udps[UDP_SOCKETS];

static void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                   u16_t port)
{
    struct vt_udp *u = arg;
    if (u->count == UDP_QUEUE) {
        u->dropped++;
        vt_net_counters.rx_dropped++;
        pbuf_free(p);
        return;
    }
    {
        unsigned i = (u->head + u->count) % UDP_QUEUE;
        u->q[i].p = p;
        u->q[i].ip = ip4_addr_get_u32(ip_2_ip4(addr));
        u->q[i].port = port;
        u->count++;
    }
    vt_waitq_wake_one(&u->rq, 0);
}

int vt_udp_open(vt_udp_t **out, uint16_t port)
{
    struct vt_udp *u = NULL;
    err_t e;
    NET_ENTER();
    if (out == NULL)
        return VT_EINVAL;
    for (unsigned i = 0; i < UDP_SOCKETS; i++)
        if (udps[i].pcb == NULL) {
            u = &udps[i];
            break;
        }
    if (u == NULL)
        return VT_ENOMEM;
    memset(u, 0, sizeof *u);
    u->pcb = udp_new();
    if (u->pcb == NULL)
        return VT_ENOMEM;
    e = udp_bind(u->pcb, IP_ANY_TYPE, port);
    if (e != ERR_OK) {
        udp_remove(u->pcb);
        u->pcb = NULL;
        return e == ERR_USE ? VT_EADDRINUSE : VT_EIO;
    }
    udp_recv(u->pcb, on_udp, u);
    *out = u;
    return 0;
}

int vt_udp_sendto(vt_udp_t *u, const void *buf, size_t len, vt_ip4_t ip, uint16_t port)
{
    struct pbuf *p;
    ip_addr_t a;
    err_t e;
    NET_ENTER();
    if (u == NULL || u->pcb == NULL || (buf == NULL && len > 0) || len > 65507)
        return VT_EINVAL;
    p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    if (p == NULL)
        return VT_ENOMEM;
    memcpy(p->payload, buf, len);
    ip_addr_set_ip4_u32(&a, ip);
    e = udp_sendto(u->pcb, p, &a, port);
    pbuf_free(p);
    vt_net_kick(); /* ARP may have queued it with a timer */
    if (e == ERR_OK)
        return (int)len;
    return e == ERR_MEM ? VT_ENOMEM : e == ERR_RTE ? VT_EHOSTUNREACH : VT_EIO;
}

int vt_udp_recvfrom(vt_udp_t *u, void *buf, size_t len, vt_ip4_t *ip, uint16_t *port,
                    vt_tick_t timeout)
{
    struct pbuf *p;
    int rc, n;
    vt_deadline_t d = vt_deadline_in(timeout);
    NET_ENTER();
    if (u == NULL || u->pcb == NULL || (buf == NULL && len > 0))
        return VT_EINVAL;
    while (u->count == 0) {
        rc = vt_waitq_wait_until(&u->rq, &d);
        if (rc != 0)
            return rc;
        if (u->pcb == NULL)
            return VT_ENOTCONN;
    }
    p = u->q[u->head].p;
    if (ip)
        *ip = u->q[u->head].ip;
    if (port)
        *port = u->q[u->head].port;
    u->head = (uint8_t)((u->head + 1) % UDP_QUEUE);
    u->count--;
    n = p->tot_len < len ? p->tot_len : (int)len;
    pbuf_copy_partial(p, buf, (u16_t)n, 0);
    pbuf_free(p);
    return n;
}

int vt_udp_close(vt_udp_t *u)
{
    NET_CHECK_CONTEXT();
    if (u == NULL || u->pcb == NULL)
        return VT_EINVAL;
    udp_remove(u->pcb);
    u->pcb = NULL;
    while (u->count > 0) {
        pbuf_free(u->q[u->head].p);
        u->head = (uint8_t)((u->head + 1) % UDP_QUEUE);
        u->count--;
    }
    vt_waitq_wake_all(&u->rq, VT_ENOTCONN);
    return 0;
}

/* vt_net_stop(): whoever waits on a socket returns VT_ENETDOWN. */
int net_udp_stop(void)
{
    int open = 0;
    for (unsigned i = 0; i < UDP_SOCKETS; i++)
        if (udps[i].pcb != NULL) {
            open++;
            vt_waitq_wake_all(&udps[i].rq, VT_ENETDOWN);
        }
    return open;
}

/* For the thread dump (vt_waitq_describe in net.c). Read only. */
int net_udp_describe(const vt_waitq_t *q, char *buf, size_t len)
{
    const uint8_t *p = (const uint8_t *)q;
    if (p < (const uint8_t *)udps || p >= (const uint8_t *)(udps + UDP_SOCKETS))
        return 0;
    const struct vt_udp *u = &udps[(size_t)(p - (const uint8_t *)udps) / sizeof udps[0]];
    return u->pcb != NULL ? snprintf(buf, len, "udp-recv :%u", (unsigned)u->pcb->local_port)
                          : snprintf(buf, len, "udp-recv (closed)");
}
