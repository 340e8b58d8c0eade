/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fuzz/lwip_harness.c
 * @brief lwIP in a fuzzer (lwip_harness.h): what net/lwip_port/sys_arch.c
 * and the board's driver give lwIP on a board, made deterministic.
 */
#include "lwip_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ethernet.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

struct netif harness_netif;
const uint8_t harness_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
const uint8_t harness_peer_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
uint8_t harness_out[1600];
size_t harness_out_len;
unsigned harness_outs;

static uint32_t now_ms = 1000;

/* ---- what lwipopts.h, cc.h and net/lwip_port expect of the platform */
u32_t sys_now(void) { return now_ms; }

uint32_t vt_net_rand(void)
{
    static uint32_t x = 2463534242u; /* fixed: runs repeat */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

void vt_panic(const char *msg)
{
    fprintf(stderr, "lwIP assertion: %s\n", msg);
    abort();
}

/* lwIP's core-locking hook (lwipopts.h, debug builds): lwIP runs in the
 * fuzzer's own thread here, never in an interrupt handler */
void net_assert_core_locked(void) {}

/* the host board's source routing hook: one interface here */
struct netif *(*vt_lwip_route_src)(const void *src, const void *dest);

/* net/tcp.c's segment hook acts on vthread sockets only: none here */
void vt_tcp_inpacket(struct tcp_pcb *pcb, const struct tcp_hdr *hdr, const struct pbuf *p)
{
    (void)pcb, (void)hdr, (void)p;
}

/* ---- the interface */
static err_t link_output(struct netif *n, struct pbuf *p)
{
    (void)n;
    harness_out_len = pbuf_copy_partial(p, harness_out, sizeof harness_out, 0);
    harness_outs++;
    return ERR_OK;
}

static err_t if_init(struct netif *n)
{
    n->name[0] = 'f';
    n->name[1] = 'z';
    n->hwaddr_len = 6;
    memcpy(n->hwaddr, harness_mac, 6);
    n->mtu = 1500;
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    n->output = etharp_output;
    n->linkoutput = link_output;
    return ERR_OK;
}

void harness_init(void)
{
    ip4_addr_t a, m, g;
    static int done;
    if (done)
        return;
    done = 1;
    lwip_init();
    IP4_ADDR(&a, 10, 0, 2, 15);
    IP4_ADDR(&m, 255, 255, 255, 0);
    IP4_ADDR(&g, 10, 0, 2, 2);
    netif_add(&harness_netif, &a, &m, &g, NULL, if_init, ethernet_input);
    netif_set_default(&harness_netif);
    netif_set_up(&harness_netif);
    netif_set_link_up(&harness_netif);
}

void harness_advance(uint32_t ms)
{
    /* in steps: lwIP's cyclic timers fire once per call however late they are */
    while (ms > 0) {
        uint32_t step = ms < 250 ? ms : 250;
        now_ms += step;
        ms -= step;
        sys_check_timeouts();
    }
}

void harness_input(const uint8_t *frame, size_t len)
{
    struct pbuf *p;
    if (len == 0 || len > 1514)
        return;
    p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (p == NULL)
        return;
    pbuf_take(p, frame, (u16_t)len);
    if (harness_netif.input(p, &harness_netif) != ERR_OK)
        pbuf_free(p);
}

/* an ARP reply from 10.0.2.@p host */
static void arp_reply(uint8_t host)
{
    uint8_t f[42] = {0};
    memcpy(f, harness_mac, 6);
    memcpy(f + 6, harness_peer_mac, 6);
    f[12] = 0x08, f[13] = 0x06;                   /* ARP */
    f[14] = 0, f[15] = 1, f[16] = 0x08, f[17] = 0; /* Ethernet, IPv4 */
    f[18] = 6, f[19] = 4, f[20] = 0, f[21] = 2;   /* reply */
    memcpy(f + 22, harness_peer_mac, 6);
    f[28] = 10, f[29] = 0, f[30] = 2, f[31] = host;
    memcpy(f + 32, harness_mac, 6);
    f[38] = 10, f[39] = 0, f[40] = 2, f[41] = 15;
    harness_input(f, sizeof f);
}

void harness_arp_peers(void)
{
    arp_reply(2);
    arp_reply(3);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    return s;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xFFFF) + (s >> 16);
    return (uint16_t)~s;
}

void harness_fix_checksums(uint8_t *f, size_t len)
{
    uint8_t *ip = f + 14;
    size_t ihl, total;
    uint16_t c;
    if (len < 14 + 20 || f[12] != 0x08 || f[13] != 0x00 || (ip[0] >> 4) != 4)
        return;
    ihl = (size_t)(ip[0] & 15) * 4;
    total = (size_t)(ip[2] << 8 | ip[3]);
    if (ihl < 20 || 14 + ihl > len)
        return;
    ip[10] = ip[11] = 0;
    c = fold(sum16(ip, ihl, 0));
    ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
    if (total < ihl || 14 + total > len)
        return;
    if (ip[9] == 6 && total - ihl >= 20) { /* TCP */
        uint8_t *t = ip + ihl;
        size_t tl = total - ihl;
        uint32_t s = sum16(ip + 12, 8, 0) + 6 + (uint32_t)tl;
        t[16] = t[17] = 0;
        c = fold(sum16(t, tl, s));
        t[16] = (uint8_t)(c >> 8), t[17] = (uint8_t)c;
    } else if (ip[9] == 17 && total - ihl >= 8) { /* UDP */
        uint8_t *u = ip + ihl;
        size_t ul = total - ihl;
        uint32_t s = sum16(ip + 12, 8, 0) + 17 + (uint32_t)ul;
        u[6] = u[7] = 0;
        c = fold(sum16(u, ul, s));
        if (c == 0)
            c = 0xFFFF;
        u[6] = (uint8_t)(c >> 8), u[7] = (uint8_t)c;
    }
}

size_t harness_udp_frame(uint8_t *f, uint32_t src, uint16_t sport, uint16_t dport,
                         const uint8_t *data, size_t n)
{
    uint8_t *ip = f + 14, *u = ip + 20;
    size_t total = 20 + 8 + n;
    memcpy(f, harness_mac, 6);
    memcpy(f + 6, harness_peer_mac, 6);
    f[12] = 0x08, f[13] = 0x00;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    ip[2] = (uint8_t)(total >> 8), ip[3] = (uint8_t)total;
    ip[8] = 64, ip[9] = 17;
    ip[12] = (uint8_t)(src >> 24), ip[13] = (uint8_t)(src >> 16);
    ip[14] = (uint8_t)(src >> 8), ip[15] = (uint8_t)src;
    ip[16] = 10, ip[17] = 0, ip[18] = 2, ip[19] = 15;
    u[0] = (uint8_t)(sport >> 8), u[1] = (uint8_t)sport;
    u[2] = (uint8_t)(dport >> 8), u[3] = (uint8_t)dport;
    u[4] = (uint8_t)((8 + n) >> 8), u[5] = (uint8_t)(8 + n);
    memcpy(u + 8, data, n);
    harness_fix_checksums(f, 14 + total);
    return 14 + total;
}
