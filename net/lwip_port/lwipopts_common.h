/**
 * @file net/lwip_port/lwipopts_common.h
 * @brief lwIP options shared by every board: NO_SYS=1, raw API only, IPv4
 * with TCP, UDP, DHCP and DNS. Each board's lwipopts.h sets its sizes
 * first (VT_NET_TCP_MAX ...) and then includes this file.
 *
 * lwIP is called only from thread context (the poller thread and the
 * threads using vt_tcp_* calls) and never from interrupts, so no
 * lightweight protection is needed.
 */
#ifndef VT_LWIPOPTS_COMMON_H
#define VT_LWIPOPTS_COMMON_H

#ifndef VT_NET_TCP_MAX
#define VT_NET_TCP_MAX 64          /* concurrent TCP connections (pcbs and sockets) */
#endif
#ifndef VT_NET_PBUFS
#define VT_NET_PBUFS 64            /* receive pbufs (full-size frames) */
#endif
#ifndef VT_NET_HEAP
#define VT_NET_HEAP (64 * 1024)    /* lwIP heap: transmit data (copied) */
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
#define MEM_SIZE VT_NET_HEAP
#define MEMP_NUM_PBUF 32
#define PBUF_POOL_SIZE VT_NET_PBUFS
#define MEMP_NUM_TCP_PCB VT_NET_TCP_MAX
#define MEMP_NUM_TCP_PCB_LISTEN 8
#define MEMP_NUM_UDP_PCB 8
#ifndef MEMP_NUM_TCP_SEG
#define MEMP_NUM_TCP_SEG (4 * VT_NET_TCP_MAX + 32)
#endif
#define ARP_QUEUEING 1            /* packets to an unresolved address wait for the reply */
#define ARP_QUEUE_LEN 8
#define MEMP_NUM_ARP_QUEUE 32
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 4)
#define MEMP_USE_CUSTOM_POOLS 0

#define TCP_MSS 1460
#define TCP_WND (2 * TCP_MSS)
#define TCP_SND_BUF (2 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define TCP_LISTEN_BACKLOG 1
#define TCP_QUEUE_OOSEQ 0
#define LWIP_TCP_KEEPALIVE 1
#ifndef TCP_MSL
#define TCP_MSL 2000UL /* short TIME_WAIT: tests open and close many connections */
#endif

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

#endif
