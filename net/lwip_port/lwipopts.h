/* SPDX-License-Identifier: MIT */
/**
 * @file net/lwip_port/lwipopts.h
 * @brief lwIP's options for every board: NO_SYS=1, raw API only, IPv4 with
 * TCP, UDP, DHCP and DNS. Every size comes from the network options of
 * vt/net_config.h (the application's header, then the board's
 * board_net.h, then the defaults); nothing here is sized by hand.
 *
 * lwIP is called only from thread context (the poller thread and the
 * threads using vt_tcp_* calls) and never from interrupts, so no
 * lightweight protection is needed. Debug builds check it: lwIP's
 * core-locking hook (LWIP_ASSERT_CORE_LOCKED, at the entry of its raw API
 * functions) stops with a report when called from an interrupt handler.
 */
#ifndef VT_LWIPOPTS_H
#define VT_LWIPOPTS_H

#include "vt/net_config.h"

#if VT_CONFIG_DEBUG
void net_assert_core_locked(void); /* net/net.c */
#define LWIP_ASSERT_CORE_LOCKED() net_assert_core_locked()
#endif

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define DHCP_DOES_ARP_CHECK 0
#define LWIP_DNS 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_TIMERS 1
#define LWIP_SINGLE_NETIF 0

#ifndef MEM_ALIGNMENT
#define MEM_ALIGNMENT 4
#endif

/* memory: the heap, the pbuf pools */
#define MEM_SIZE VT_NET_HEAP
#define PBUF_POOL_SIZE VT_NET_PBUFS
#define MEMP_NUM_PBUF VT_NET_PBUF_REFS
#define MEMP_USE_CUSTOM_POOLS 0

/* TCP: one pcb per connection, listeners apart, the shared segment pool */
#define MEMP_NUM_TCP_PCB VT_NET_TCP_MAX
#define MEMP_NUM_TCP_PCB_LISTEN VT_NET_TCP_LISTEN_MAX
#define MEMP_NUM_TCP_SEG VT_NET_TCP_SEGS
#define TCP_MSS VT_NET_TCP_MSS
#define TCP_WND VT_NET_TCP_WND
#define TCP_SND_BUF VT_NET_TCP_SND_BUF
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define TCP_LISTEN_BACKLOG 1
/* Keep segments that arrive after a lost one: when the lost one comes again
 * (three duplicate ACKs: net/tcp.c), everything is acknowledged at once
 * instead of resent one window at a time. Bounded by the window, and to a
 * few pbufs (tiny segments cost little). */
#define TCP_QUEUE_OOSEQ 1
#define TCP_OOSEQ_MAX_BYTES TCP_WND
#define TCP_OOSEQ_MAX_PBUFS 4
#define LWIP_TCP_KEEPALIVE 1
/* A SYN above a TIME_WAIT connection's sequence numbers opens a new
 * connection (RFC 1122 4.2.2.13; net/lwip_port/patches/0001): clients that
 * reuse their port soon (behind a NAT, through slirp) are served at once.
 * TCP_MSL is lwIP's (60 s: TIME_WAIT 2 minutes); VT_NET_TIME_WAIT_MAX
 * bounds how many stay (net/net.c). */
#define LWIP_TCP_TIMEWAIT_REUSE 1
#define SO_REUSE 1 /* a listener may take a port its closed connections hold (vt_tcp_listen) */

/* UDP: the sockets, plus DHCP's and DNS's own pcbs */
#define MEMP_NUM_UDP_PCB (VT_NET_UDP_MAX + LWIP_DHCP + LWIP_DNS)

/* IP, ARP, DNS */
#define IP_REASSEMBLY (VT_NET_IP_REASS > 0)
#define MEMP_NUM_REASSDATA (VT_NET_IP_REASS > 0 ? VT_NET_IP_REASS : 1)
#define IP_FRAG (VT_NET_IP_FRAGS > 0)
#define MEMP_NUM_FRAG_PBUF (VT_NET_IP_FRAGS > 0 ? VT_NET_IP_FRAGS : 1)
#define ARP_TABLE_SIZE VT_NET_ARP_TABLE
#define ARP_QUEUEING 1            /* packets to an unresolved address wait for the reply */
#define MEMP_NUM_ARP_QUEUE VT_NET_ARP_QUEUE
#define ARP_QUEUE_LEN (VT_NET_ARP_QUEUE < 8 ? VT_NET_ARP_QUEUE : 8) /* per address */
#define DNS_TABLE_SIZE VT_NET_DNS_TABLE
#define DNS_MAX_NAME_LENGTH VT_NET_DNS_NAME_MAX
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 4)

#define LWIP_CHKSUM_ALGORITHM 3
#define LWIP_STATS 1
#define MEMP_STATS 1
#define LINK_STATS 0
#define IP_STATS 0
#define TCP_STATS 0
#define UDP_STATS 0
#define ICMP_STATS 0
#define SYS_STATS 0
#define MEM_STATS 1
#define ETHARP_STATS 0
#define LWIP_STATS_DISPLAY 0

#define LWIP_NOASSERT_ON_ERROR 1
/* vt/net_config.h checks the TCP sizes; lwIP's own checks also demand a
 * pbuf pool as large as the window, which does not apply: the drivers
 * receive into exact-size heap pbufs, the pool is only their fallback */
#define LWIP_DISABLE_TCP_SANITY_CHECKS 1

/* Every segment for a pcb goes past net/tcp.c first: a segment beyond what
 * was received shows a lost frame, and the peer is asked to resend it. */
struct tcp_pcb;
struct tcp_hdr;
struct pbuf;
void vt_tcp_inpacket(struct tcp_pcb *pcb, const struct tcp_hdr *hdr, const struct pbuf *p);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
    (vt_tcp_inpacket((pcb), (hdr), (p)), ERR_OK)

#endif
