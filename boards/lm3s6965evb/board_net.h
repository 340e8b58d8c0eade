/* SPDX-License-Identifier: MIT */
/**
 * @file boards/lm3s6965evb/board_net.h
 * @brief Network defaults of the LM3S6965 (64 KB of RAM), and what its
 * Ethernet driver needs from lwIP. vt/net_config.h documents each option;
 * the application's own header overrides any of them (the gateway
 * example's examples/gateway/gateway_64k.h sizes the part for 100+
 * connections).
 *
 * These defaults take about 13 KB of RAM: 16 connections, 536-byte
 * segments (frames of at most 590 bytes: smaller buffers), an 8 KB heap
 * for data in flight, 4 pool buffers, no IP fragmentation or reassembly
 * (TCP never needs it), short DNS names.
 */
#ifndef VT_BOARD_NET_H
#define VT_BOARD_NET_H

#ifndef VT_NET_TCP_MAX
#define VT_NET_TCP_MAX 16
#endif
#ifndef VT_NET_TCP_LISTEN_MAX
#define VT_NET_TCP_LISTEN_MAX 4
#endif
#ifndef VT_NET_TCP_SEGS
#define VT_NET_TCP_SEGS 48
#endif
#ifndef VT_NET_TCP_MSS
#define VT_NET_TCP_MSS 536
#endif
#ifndef VT_NET_UDP_MAX
#define VT_NET_UDP_MAX 2
#endif
#ifndef VT_NET_UDP_QUEUE
#define VT_NET_UDP_QUEUE 4
#endif
#ifndef VT_NET_HEAP
#define VT_NET_HEAP (8 * 1024)
#endif
#ifndef VT_NET_PBUFS
#define VT_NET_PBUFS 4
#endif
#ifndef VT_NET_PBUF_REFS
#define VT_NET_PBUF_REFS 8
#endif
#ifndef VT_NET_RX_FRAMES
#define VT_NET_RX_FRAMES 1 /* unused: the MAC's own FIFO holds received frames */
#endif
#ifndef VT_NET_ARP_TABLE
#define VT_NET_ARP_TABLE 4
#endif
#ifndef VT_NET_ARP_QUEUE
#define VT_NET_ARP_QUEUE 8
#endif
#ifndef VT_NET_IP_REASS
#define VT_NET_IP_REASS 0
#endif
#ifndef VT_NET_IP_FRAGS
#define VT_NET_IP_FRAGS 0
#endif
#ifndef VT_NET_DNS_TABLE
#define VT_NET_DNS_TABLE 2
#endif
#ifndef VT_NET_DNS_NAME_MAX
#define VT_NET_DNS_NAME_MAX 64
#endif
#ifndef VT_NET_POLLER_STACK
#define VT_NET_POLLER_STACK 1536
#endif

/* the MAC's FIFO words carry a 2-byte length before each frame: with 2
 * bytes of padding in front of every pbuf, frames copy word for word and
 * lwIP's IP headers stay aligned (net/drivers/stellaris.c) */
#define ETH_PAD_SIZE 2

#endif
