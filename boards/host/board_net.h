/* SPDX-License-Identifier: MIT */
/**
 * @file boards/host/board_net.h
 * @brief Network defaults of the host board (vt/net_config.h: the
 * application's header overrides each): libslirp's interface, or two
 * interfaces on one in-process link, and the RAM of a Linux process.
 */
#ifndef VT_BOARD_NET_H
#define VT_BOARD_NET_H

#ifndef VT_NET_TCP_MAX
#define VT_NET_TCP_MAX 2200
#endif
#ifndef VT_NET_PBUFS
#define VT_NET_PBUFS 512
#endif
#ifndef VT_NET_HEAP
#define VT_NET_HEAP (4 * 1024 * 1024)
#endif
#ifndef VT_NET_POLLER_STACK
/* glibc's and the sanitizers' frames, and libslirp (net/drivers/slirp.c),
 * which runs in the poller and builds every frame it sends in a 64 KB
 * buffer on the stack */
#define VT_NET_POLLER_STACK (256 * 1024)
#endif

/* what the host's virtual link needs from lwIP */
#define MEMP_NUM_NETIF 2
#define MEM_ALIGNMENT 8 /* 64-bit pointers */
/* source routing, for the in-process link whose two ends share a subnet
 * (net/lwip_port/vt_lwip_hooks.h declares vt_lwip_route_src) */
#define LWIP_HOOK_FILENAME "vt_lwip_hooks.h"
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest) \
    (vt_lwip_route_src != NULL ? vt_lwip_route_src((src), (dest)) : NULL)

#endif
