/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/gateway_64k.h
 * @brief The gateway's own options header for a part with 64 KB of RAM
 * (lm3s6965evb): what an application writes to size vthread's network and
 * itself for its part. Built with it as VT_USER_CONFIG (vt/config.h,
 * vt/net_config.h: its values win over the board's defaults); the RAM
 * these sizes cost is in docs/lm3s6965evb.md.
 */
#ifndef GATEWAY_64K_H
#define GATEWAY_64K_H

/* ---- the kernel (vt/config.h): a product build, every thread listed by
 * the thread dump (GET /threads) */
#define VT_CONFIG_DEBUG 0
#define VT_CONFIG_REGISTRY 1
/* vt_offload (the summary, off unless summary=<ms>, summary.h): one job at
 * a time; the background's stack holds the summary's frames and, while
 * preempted, one full register frame (68 bytes): 2 KB by default, which
 * this part's heap cannot spare beside 106 sensors */
#define VT_CONFIG_OFFLOAD_QUEUE 1
#define VT_CONFIG_OFFLOAD_STACK 768

/* ---- the application (examples/gateway); gateway_64k_tls.h sets some
 * of these first, for the same part with its uplink over TLS */
#ifndef GATEWAY_SENSORS
#define GATEWAY_SENSORS 106    /* sensors connected at once: max= default */
#endif
#define GATEWAY_QUEUE 8        /* readings waiting for the broker (96 bytes each) */
#define GATEWAY_SHARED 1       /* every thread of the gateway on one shared run stack... */
#define GATEWAY_RUNSTACK 2048  /* ...of 2 KB: a thread keeps only its live stack while idle */
#define GATEWAY_HTTP_THREADS 1
#define GATEWAY_BUSY_MAX 4     /* sensors handling a reading at once: theirs are the
                                * only deep stacks saved (up to 512 bytes each) */
#define MQTT_WINDOW_MAX 8      /* QoS 1 messages in flight (104 bytes each) */
#ifndef MQTT_PUB_STACK
#define MQTT_PUB_STACK 768     /* the MQTT threads' own stacks: deepest use seen 528 */
#endif
#ifndef MQTT_READER_STACK
#define MQTT_READER_STACK 512  /* and 336 */
#endif

/* ---- the network (vt/net_config.h) */
/* every sensor, the MQTT uplink, an HTTP client, and room for a few
 * connections being refused or closing (TIME_WAIT pcbs are reused first);
 * GATEWAY_BUSY_MAX and the heap left after all this are measured, not
 * computed: tests/net/gateway_held.py checks the whole fits and works */
#define VT_NET_TCP_MAX (GATEWAY_SENSORS + 5)
#define VT_NET_TCP_LISTEN_MAX 2   /* sensors (5000), HTTP (80) */
#define VT_NET_TCP_SEGS 32        /* replies and publishes not yet acknowledged */
#define VT_NET_TCP_MSS 536        /* frames of at most 590 bytes */
#define VT_NET_HEAP (4 * 1024)    /* data in flight: readings, replies, publishes */
#define VT_NET_PBUFS 1            /* the heap takes frames; this is the fallback */
#define VT_NET_PBUF_REFS 4
#define VT_NET_UDP_MAX 1
#define VT_NET_UDP_QUEUE 2
#define VT_NET_ARP_TABLE 2        /* slirp's gateway and DNS server */
#define VT_NET_ARP_QUEUE 4
#define VT_NET_IP_REASS 0
#define VT_NET_IP_FRAGS 0
#define VT_NET_DNS_TABLE 1        /* the broker's name */
#define VT_NET_DNS_NAME_MAX 64
#define VT_NET_POLLER_STACK 768   /* deepest use seen: 360 */

#endif
