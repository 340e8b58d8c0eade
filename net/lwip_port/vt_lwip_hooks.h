/* SPDX-License-Identifier: MIT */
/**
 * @file net/lwip_port/vt_lwip_hooks.h
 * @brief lwIP hooks a board turns on by naming this file in its lwipopts.h
 * (`#define LWIP_HOOK_FILENAME "vt_lwip_hooks.h"`): lwIP includes it in
 * the files that call hooks.
 *
 * Source routing (LWIP_HOOK_IP4_ROUTE_SRC, which lwIP's headers must see,
 * so the board's lwipopts.h defines it as a call of vt_lwip_route_src): a
 * driver whose interfaces share one subnet (the host board's in-process
 * link, net/drivers/hostlink.c) sets vt_lwip_route_src so that each end
 * answers on its own interface; while it is NULL lwIP routes as usual.
 */
#ifndef VT_LWIP_HOOKS_H
#define VT_LWIP_HOOKS_H

struct netif;

/** Chooses the interface for a packet from @p src to @p dest (ip4_addr_t
 *  pointers), or NULL for lwIP's usual route. Defined in sys_arch.c. */
extern struct netif *(*vt_lwip_route_src)(const void *src, const void *dest);

#endif
