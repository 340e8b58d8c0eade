/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fuzz/fuzz_lwip_input.c
 * @brief Frames into lwIP through an interface, with the project's options
 * (net/lwip_port/lwipopts.h with the host board's sizes: TIME_WAIT
 * reuse, out-of-order queue, ...), against a TCP echo service on port 80
 * (raw API, as examples do over vthread sockets) and a UDP echo on port 7.
 *
 * Input: records of [length (2 bytes), flags (1 byte), frame]. Flags: 1 =
 * set the IPv4/TCP/UDP checksums, 2 = move the clock 300 ms first, 4 = make
 * a TCP segment fit the connection its ports name (sequence and
 * acknowledgment numbers from that pcb), so that handshakes and transfers
 * get somewhere. After the records every connection is aborted and the
 * clock moves past the reassembly and ARP-queue timeouts: lwIP's pools and
 * heap must be back where they were (a leaked pbuf or segment fails).
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "lwip/etharp.h"
#include "lwip/memp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/stats.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip_harness.h"

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    (void)arg;
    if (p == NULL) {
        if (tcp_close(pcb) != ERR_OK) {
            tcp_abort(pcb);
            return ERR_ABRT;
        }
        return ERR_OK;
    }
    for (struct pbuf *q = p; q != NULL; q = q->next)
        if (tcp_write(pcb, q->payload, q->len, TCP_WRITE_FLAG_COPY) != ERR_OK)
            break;
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    tcp_output(pcb);
    return ERR_OK;
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (pcb == NULL || err != ERR_OK)
        return ERR_VAL;
    tcp_recv(pcb, echo_recv);
    return ERR_OK;
}

static void udp_echo(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    (void)arg;
    udp_sendto(pcb, p, addr, port);
    pbuf_free(p);
}

/* flag 4: sequence and acknowledgment numbers of the pcb the ports name */
static void fit_segment(uint8_t *f, size_t len)
{
    size_t ihl;
    uint8_t *t;
    uint16_t sport, dport;
    if (len < 14 + 20 + 20 || f[12] != 0x08 || f[13] != 0x00 || f[14 + 9] != 6)
        return;
    ihl = (size_t)(f[14] & 15) * 4;
    if (ihl < 20 || 14 + ihl + 20 > len)
        return;
    t = f + 14 + ihl;
    sport = (uint16_t)(t[0] << 8 | t[1]);
    dport = (uint16_t)(t[2] << 8 | t[3]);
    for (struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next)
        if (p->remote_port == sport && p->local_port == dport) {
            u32_t seq = p->rcv_nxt, ack = p->snd_nxt;
            t[4] = (uint8_t)(seq >> 24), t[5] = (uint8_t)(seq >> 16), t[6] = (uint8_t)(seq >> 8), t[7] = (uint8_t)seq;
            t[8] = (uint8_t)(ack >> 24), t[9] = (uint8_t)(ack >> 16), t[10] = (uint8_t)(ack >> 8), t[11] = (uint8_t)ack;
            return;
        }
}

static void abort_all(void)
{
    while (tcp_active_pcbs != NULL)
        tcp_abort(tcp_active_pcbs);
    while (tcp_tw_pcbs != NULL)
        tcp_abort(tcp_tw_pcbs);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static int ready;
    static mem_size_t heap0;
    static u16_t pool0, seg0, ref0;
    static uint8_t f[1514];
    size_t i = 0;
    if (!ready) {
        struct tcp_pcb *l = tcp_new();
        struct udp_pcb *u = udp_new();
        harness_init();
        tcp_bind(l, IP_ANY_TYPE, 80);
        l = tcp_listen(l);
        tcp_accept(l, echo_accept);
        udp_bind(u, IP_ANY_TYPE, 7);
        udp_recv(u, udp_echo, NULL);
        harness_arp_peers();
        harness_advance(20000);
        heap0 = lwip_stats.mem.used;
        pool0 = lwip_stats.memp[MEMP_PBUF_POOL]->used;
        seg0 = lwip_stats.memp[MEMP_TCP_SEG]->used;
        ref0 = lwip_stats.memp[MEMP_PBUF]->used;
        ready = 1;
    }
    harness_arp_peers();
    while (i + 3 <= n) {
        size_t len = (size_t)(d[i] << 8 | d[i + 1]);
        uint8_t flags = d[i + 2];
        i += 3;
        if (len > n - i)
            len = n - i;
        if (len > sizeof f)
            len = sizeof f;
        memcpy(f, d + i, len);
        i += len;
        if (flags & 2)
            harness_advance(300);
        if (flags & 4)
            fit_segment(f, len);
        if (flags & 1)
            harness_fix_checksums(f, len);
        harness_input(f, len);
    }
    abort_all();
    harness_advance(20000); /* reassembly (15 s), packets waiting for ARP (5 s) */
    FUZZ_CHECK(tcp_active_pcbs == NULL && tcp_tw_pcbs == NULL);
    FUZZ_CHECK(lwip_stats.memp[MEMP_PBUF_POOL]->used == pool0);
    FUZZ_CHECK(lwip_stats.memp[MEMP_TCP_SEG]->used == seg0);
    FUZZ_CHECK(lwip_stats.memp[MEMP_PBUF]->used == ref0);
    FUZZ_CHECK(lwip_stats.mem.used == heap0);
    return 0;
}
