/* SPDX-License-Identifier: MIT */
/**
 * @file net/drivers/hostlink.c
 * @brief Host board NIC: two lwIP interfaces joined by an in-process
 * virtual cable, so client and server vthreads in one process talk TCP
 * through real Ethernet, ARP, IP and TCP code paths.
 *
 *   if0 10.0.0.1 (primary)  <== frames ==>  if1 10.0.0.2
 *
 * A frame sent on one interface is copied into a queue and handed to the
 * other one's input by the poller (never from inside lwIP's own output
 * call, which would re-enter lwIP). Routing is by source address (the
 * LWIP_HOOK_IP4_ROUTE_SRC hook, net/lwip_port/vt_lwip_hooks.h), because both
 * interfaces share one subnet.
 */
#include <string.h>

#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netdrv.h"
#include "netif/ethernet.h"
#include "vt_lwip_hooks.h"

#define QUEUE 1024

static struct netif ifs[2];
static struct {
    struct pbuf *p;
    uint8_t to;
} queue[QUEUE];
static unsigned qhead, qcount;

static err_t link_output(struct netif *nif, struct pbuf *p)
{
    struct pbuf *copy;
    unsigned to = nif == &ifs[0] ? 1 : 0;
    if (qcount == QUEUE) {
        vt_net_counters.rx_dropped++;
        return ERR_OK; /* a full cable drops, like a wire would */
    }
    copy = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_POOL);
    if (copy == NULL) {
        vt_net_counters.rx_nomem++;
        return ERR_OK;
    }
    pbuf_copy(copy, p);
    queue[(qhead + qcount) % QUEUE].p = copy;
    queue[(qhead + qcount) % QUEUE].to = (uint8_t)to;
    qcount++;
    vt_net_counters.tx_frames++;
    vt_net_wake(); /* the poller delivers it: no lwIP re-entry */
    return ERR_OK;
}

static err_t if_init(struct netif *nif)
{
    unsigned idx = nif == &ifs[0] ? 0 : 1;
    static const uint8_t mac[2][6] = {{0x02, 0, 0, 0, 0, 1}, {0x02, 0, 0, 0, 0, 2}};
    net_netif_ethernet(nif, mac[idx], link_output);
    nif->name[0] = 'h';
    nif->name[1] = (char)('0' + idx);
    return ERR_OK;
}

static struct netif *route_src(const void *src_, const void *dest_)
{
    const ip4_addr_t *src = src_, *dest = dest_;
    for (int i = 0; i < 2; i++) {
        if (!ip4_addr_isany(src) && ip4_addr_cmp(src, netif_ip4_addr(&ifs[i])))
            return &ifs[i];
    }
    /* no source yet (connect): leave through the interface that is not the
     * destination, so the frame crosses the cable */
    for (int i = 0; i < 2; i++)
        if (ip4_addr_cmp(dest, netif_ip4_addr(&ifs[i])))
            return &ifs[1 - i];
    return NULL;
}

void netdrv_default_config(vt_net_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->addr = PP_HTONL(0x0A000001u);    /* 10.0.0.1 */
    cfg->netmask = PP_HTONL(0xFFFFFF00u);
    cfg->gateway = PP_HTONL(0x0A000002u);
}

int netdrv_start(const vt_net_config_t *cfg, struct netif **primary)
{
    vt_net_config_t other = *cfg;
    vt_lwip_route_src = route_src;
    for (int i = 0; i < 2; i++) {
        ip4_addr_t any;
        ip4_addr_set_zero(&any);
        if (netif_add(&ifs[i], &any, &any, &any, NULL, if_init, ethernet_input) == NULL)
            return VT_EIO;
    }
    net_netif_configure(&ifs[0], cfg);
    other.dhcp = 0;
    other.addr = cfg->gateway;   /* the peer end of the cable */
    other.gateway = cfg->addr;
    net_netif_configure(&ifs[1], &other);
    *primary = &ifs[0];
    return 0;
}

void netdrv_poll(void)
{
    /* deliver what is queued now; frames sent while delivering wait for the
     * next turn, so one poll is bounded */
    unsigned n = qcount;
    while (n-- > 0 && qcount > 0) {
        struct pbuf *p = queue[qhead].p;
        struct netif *to = &ifs[queue[qhead].to];
        qhead = (qhead + 1) % QUEUE;
        qcount--;
        vt_net_counters.rx_frames++;
        if (to->input(p, to) != ERR_OK)
            pbuf_free(p);
    }
    if (qcount > 0)
        vt_net_wake();
}
