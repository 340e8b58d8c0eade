/* SPDX-License-Identifier: MIT */
/**
 * @file vt/net_config.h
 * @brief Network options: every pool, queue and buffer of the network stack
 * (vthread's sockets, lwIP under them, the NIC driver), each with its
 * default and the RAM it costs. docs/net-config.md explains how to size
 * them for a part.
 *
 * Where a value comes from, first match wins:
 *  1. the application's own header, named by `VT_USER_CONFIG` (the same
 *     header as the kernel options of vt/config.h; CMake: the cache
 *     variable `VT_USER_CONFIG`);
 *  2. the board's defaults, sized for its RAM: boards/<board>/board_net.h;
 *  3. the defaults below.
 * The whole network (lwIP included) is compiled with the result, so an
 * application that says `#define VT_NET_TCP_MAX 16` gets 16 pcbs, 16
 * sockets and the segment pool that goes with them, nothing more.
 *
 * RAM figures are for a 32-bit core (Cortex-M, RV32) with this project's
 * lwIP options; a 64-bit host doubles most of them. "Static" costs are in
 * .bss whether used or not; "heap" costs come from VT_NET_HEAP while used.
 * Invalid values and combinations stop the build with an `#error` (end of
 * this file).
 */
#ifndef VT_NET_CONFIG_H
#define VT_NET_CONFIG_H

#include "vt/config.h" /* reads VT_USER_CONFIG first */

#if defined(__has_include)
#if __has_include("board_net.h")
#include "board_net.h"
#endif
#endif

/* ------------------------------------------------------------------ TCP */

/** Concurrent TCP connections: sockets (accepted, connected, or waiting to
 *  be accepted) and lwIP pcbs, including those closing or in TIME_WAIT
 *  (lwIP reuses TIME_WAIT pcbs first when it runs out). Static: 188 bytes
 *  each (lwIP pcb 160 + socket 28). Default 64. */
#ifndef VT_NET_TCP_MAX
#define VT_NET_TCP_MAX 64
#endif

/** Listening sockets (vt_tcp_listen). Static: 56 bytes each (lwIP listen
 *  pcb 32 + listener 24). Default 8. */
#ifndef VT_NET_TCP_LISTEN_MAX
#define VT_NET_TCP_LISTEN_MAX 8
#endif

/** TCP segments queued at once, all connections together: sent and not
 *  yet acknowledged, or not yet sent. Static: 16 bytes each (their data is
 *  on the heap). A write that finds none free waits for acknowledgements.
 *  Must be at least TCP_SND_QUEUELEN (4 x VT_NET_TCP_SND_BUF / MSS).
 *  Default 4 per connection + 32. */
#ifndef VT_NET_TCP_SEGS
#define VT_NET_TCP_SEGS (4 * VT_NET_TCP_MAX + 32)
#endif

/** Largest TCP segment payload (MSS) this side sends and announces.
 *  Sizes the pool buffers (VT_NET_PBUFS); smaller segments mean smaller
 *  frames to hold. Default 1460 (a full Ethernet frame). */
#ifndef VT_NET_TCP_MSS
#define VT_NET_TCP_MSS 1460
#endif

/** Receive window per connection: bytes a peer may send before a thread
 *  reads them. Costs heap only while received data waits to be read (at
 *  most this much per connection, bounded overall by VT_NET_HEAP).
 *  Default 2 x MSS. */
#ifndef VT_NET_TCP_WND
#define VT_NET_TCP_WND (2 * VT_NET_TCP_MSS)
#endif

/** Send buffer per connection: bytes written and not yet acknowledged.
 *  Heap while unacknowledged (plus about 80 bytes of headers per
 *  segment). Default 2 x MSS (lwIP's minimum). */
#ifndef VT_NET_TCP_SND_BUF
#define VT_NET_TCP_SND_BUF (2 * VT_NET_TCP_MSS)
#endif

/* ------------------------------------------------------------------ UDP */

/** UDP sockets (vt_udp_open). Static: 48 + 12 x VT_NET_UDP_QUEUE bytes each
 *  (socket with its queue 16 + 12 per datagram, lwIP pcb 32); lwIP gets
 *  one pcb more each for DHCP and DNS. Default 8. */
#ifndef VT_NET_UDP_MAX
#define VT_NET_UDP_MAX 8
#endif

/** Datagrams waiting per UDP socket for a thread to read them; one more
 *  is dropped and counted. Static: 12 bytes each per socket (the datagrams
 *  themselves are on the heap). Default 8. */
#ifndef VT_NET_UDP_QUEUE
#define VT_NET_UDP_QUEUE 8
#endif

/* ------------------------------------------------------- buffers, memory */

/** lwIP's heap, in bytes (static, + 19 of bookkeeping, 27 from 64 KB):
 *  received frames waiting to be read (exact size plus about 24 bytes
 *  each), data sent and not yet acknowledged, packets waiting for ARP.
 *  Size it for the traffic in flight, not for the connections. When it is
 *  full, received frames fall back to the pool (VT_NET_PBUFS) and then are
 *  dropped (the peer resends); writes wait. Default 64 KB. */
#ifndef VT_NET_HEAP
#define VT_NET_HEAP (64 * 1024)
#endif

/** Full-size receive buffers (lwIP's pbuf pool), used when the heap cannot
 *  take a frame; larger frames are chained. Static: MSS + 56 + 16 bytes
 *  each (1532 at MSS 1460, 608 at MSS 536). Default 64. */
#ifndef VT_NET_PBUFS
#define VT_NET_PBUFS 64
#endif

/** pbufs that point to data held elsewhere (lwIP's MEMP_NUM_PBUF: read-only
 *  data, IP fragments being sent). Static: 16 bytes each. Default 32. */
#ifndef VT_NET_PBUF_REFS
#define VT_NET_PBUF_REFS 32
#endif

/** Frames the NIC driver keeps in RAM: LAN9118 (its FIFO is small and
 *  drops what does not fit: a ring the interrupt drains into, 1544 bytes a
 *  full frame; smaller frames are packed, so it holds more of them), virtio-net (descriptors per queue, a power of two up to 128:
 *  a receive and a transmit buffer of 1536 bytes each, plus 16 KB of queue
 *  pages). The Stellaris MAC needs none (its FIFO holds them). Static.
 *  Default 64. */
#ifndef VT_NET_RX_FRAMES
#define VT_NET_RX_FRAMES 64
#endif

/* -------------------------------------------------------- IP, ARP, DNS */

/** ARP cache entries (neighbours on the local network; behind a router
 *  one is enough). Static: 24 bytes each. Default 10. */
#ifndef VT_NET_ARP_TABLE
#define VT_NET_ARP_TABLE 10
#endif

/** Packets waiting for an ARP reply, all addresses together. Static: 8
 *  bytes each (the packets are on the heap). Default 32. */
#ifndef VT_NET_ARP_QUEUE
#define VT_NET_ARP_QUEUE 32
#endif

/** IP datagrams reassembled from fragments at once; 0 drops fragments.
 *  Static: 32 bytes each (the fragments are on the heap). Default 5. */
#ifndef VT_NET_IP_REASS
#define VT_NET_IP_REASS 5
#endif

/** Fragments being sent at once (a datagram larger than the MTU); 0 never
 *  fragments (TCP never needs to). Static: 24 bytes each. Default 15. */
#ifndef VT_NET_IP_FRAGS
#define VT_NET_IP_FRAGS 15
#endif

/** Names DNS remembers (and resolves at once). Static: about
 *  VT_NET_DNS_NAME_MAX + 28 bytes each. Default 4. */
#ifndef VT_NET_DNS_TABLE
#define VT_NET_DNS_TABLE 4
#endif

/** Longest host name DNS takes, in bytes. Default 256. */
#ifndef VT_NET_DNS_NAME_MAX
#define VT_NET_DNS_NAME_MAX 256
#endif

/* ------------------------------------------------- robustness (docs/net-robustness.md) */

/** Connections kept in TIME_WAIT at most (after closing first: 2 x MSL,
 *  two minutes, when few close). lwIP searches them for every new
 *  connection, so past this the list is cut to half, the oldest ending
 *  early, as Linux does past tcp_max_tw_buckets. Costs no RAM of its own
 *  (they are pcbs of VT_NET_TCP_MAX). Default 128. */
#ifndef VT_NET_TIME_WAIT_MAX
#define VT_NET_TIME_WAIT_MAX 128
#endif

/** Frames lost on receive (the NIC's buffer overflowed): the peers of
 *  recently active connections are asked to resend at once, by a pass over
 *  the connections started at most this often, in ms. Default 20. */
#ifndef VT_NET_RECOVER_MS
#define VT_NET_RECOVER_MS 20
#endif

/** Such a pass covers the connections that received something within this
 *  many ms (longer: more peers asked, each costing three small frames).
 *  Default 3000. */
#ifndef VT_NET_RECOVER_ACTIVE_MS
#define VT_NET_RECOVER_ACTIVE_MS 3000
#endif

/** A connect still waiting for its SYN-ACK this many ms after frames were
 *  lost resets the half-open connection and starts a new one (some peers,
 *  slirp, answer a repeated SYN with nothing). Default 100. */
#ifndef VT_NET_RESYN_MS
#define VT_NET_RESYN_MS 100
#endif

/** Received data not yet read, in more pbufs than this (or in three or
 *  more mostly small ones), is copied into one pbuf of its exact size: a
 *  peer sending one-byte segments cannot make a window of bytes cost a
 *  frame each. Default 8. */
#ifndef VT_NET_RX_PBUFS
#define VT_NET_RX_PBUFS 8
#endif

/** A write that found lwIP's memory full, with nothing of its own in
 *  flight to free it, tries again after this many ms. Default 10. */
#ifndef VT_NET_MEM_RETRY_MS
#define VT_NET_MEM_RETRY_MS 10
#endif

/** vt_tcp_close(): what the peer still sends is read and dropped for this
 *  many ms after our data was acknowledged (or until its FIN), so that it
 *  gets our answer instead of a reset. Default 2000. */
#ifndef VT_NET_LINGER_MS
#define VT_NET_LINGER_MS 2000
#endif

/* ---------------------------------------------------------------- poller */

/** Stack of the network poller thread (lwIP's input, timers and the
 *  driver's receive path run on it). Static. Default 2048. */
#ifndef VT_NET_POLLER_STACK
#define VT_NET_POLLER_STACK 2048
#endif

/* ---------------------------------------------------------------- checks */

#if VT_NET_TCP_MAX < 1 || VT_NET_TCP_MAX > 65535
#error "VT_NET_TCP_MAX must be between 1 and 65535"
#endif
#if VT_NET_TCP_LISTEN_MAX < 0 || VT_NET_TCP_LISTEN_MAX > 255
#error "VT_NET_TCP_LISTEN_MAX must be between 0 and 255"
#endif
#if VT_NET_TCP_MSS < 64 || VT_NET_TCP_MSS > 1460
#error "VT_NET_TCP_MSS must be between 64 and 1460 (an Ethernet frame)"
#endif
#if VT_NET_TCP_WND < VT_NET_TCP_MSS || VT_NET_TCP_WND > 65535
#error "VT_NET_TCP_WND must be at least VT_NET_TCP_MSS and at most 65535 (no window scaling)"
#endif
#if VT_NET_TCP_SND_BUF < 2 * VT_NET_TCP_MSS || VT_NET_TCP_SND_BUF > 65535
#error "VT_NET_TCP_SND_BUF must be at least 2 x VT_NET_TCP_MSS (lwIP) and at most 65535"
#endif
#if VT_NET_TCP_SEGS < (4 * VT_NET_TCP_SND_BUF + VT_NET_TCP_MSS - 1) / VT_NET_TCP_MSS
#error "VT_NET_TCP_SEGS must be at least 4 x VT_NET_TCP_SND_BUF / VT_NET_TCP_MSS (one connection's send queue)"
#endif
#if VT_NET_UDP_MAX < 1 || VT_NET_UDP_MAX > 255
#error "VT_NET_UDP_MAX must be between 1 and 255"
#endif
#if VT_NET_UDP_QUEUE < 1 || VT_NET_UDP_QUEUE > 255
#error "VT_NET_UDP_QUEUE must be between 1 and 255"
#endif
#if VT_NET_HEAP < 2 * (VT_NET_TCP_MSS + 128)
#error "VT_NET_HEAP must hold at least two full segments with their headers: 2 x (VT_NET_TCP_MSS + 128)"
#endif
#if VT_NET_PBUFS < 1
#error "VT_NET_PBUFS must be at least 1 (the fallback for a received frame when the heap is full)"
#endif
#if VT_NET_PBUF_REFS < 1
#error "VT_NET_PBUF_REFS must be at least 1"
#endif
#if VT_NET_RX_FRAMES < 1
#error "VT_NET_RX_FRAMES must be at least 1"
#endif
#if VT_NET_ARP_TABLE < 1 || VT_NET_ARP_TABLE > 126
#error "VT_NET_ARP_TABLE must be between 1 and 126"
#endif
#if VT_NET_ARP_QUEUE < 1
#error "VT_NET_ARP_QUEUE must be at least 1 (a packet waits while its address is resolved)"
#endif
#if VT_NET_IP_REASS < 0 || VT_NET_IP_FRAGS < 0
#error "VT_NET_IP_REASS and VT_NET_IP_FRAGS must be 0 (off) or more"
#endif
#if VT_NET_DNS_TABLE < 1 || VT_NET_DNS_TABLE > 255
#error "VT_NET_DNS_TABLE must be between 1 and 255"
#endif
#if VT_NET_DNS_NAME_MAX < 16 || VT_NET_DNS_NAME_MAX > 256
#error "VT_NET_DNS_NAME_MAX must be between 16 and 256"
#endif
#if VT_NET_TIME_WAIT_MAX < 2
#error "VT_NET_TIME_WAIT_MAX must be at least 2"
#endif
#if VT_NET_RECOVER_MS < 1 || VT_NET_RECOVER_ACTIVE_MS < 500 || VT_NET_RESYN_MS < 1
#error "VT_NET_RECOVER_MS and VT_NET_RESYN_MS must be at least 1, VT_NET_RECOVER_ACTIVE_MS at least 500"
#endif
#if VT_NET_RX_PBUFS < 2 || VT_NET_MEM_RETRY_MS < 1 || VT_NET_LINGER_MS < 0
#error "VT_NET_RX_PBUFS must be at least 2, VT_NET_MEM_RETRY_MS at least 1, VT_NET_LINGER_MS 0 or more"
#endif
#if VT_NET_POLLER_STACK < 512
#error "VT_NET_POLLER_STACK below 512 bytes cannot hold lwIP's input path"
#endif

#endif /* VT_NET_CONFIG_H */
