/* SPDX-License-Identifier: MIT */
/**
 * @file net/lwip_port/sys_arch.c
 * @brief The one system hook lwIP needs with NO_SYS=1: a millisecond clock.
 */
#include "lwip/sys.h"
#include "vt_lwip_hooks.h"
#include "vt/thread.h"

u32_t sys_now(void) { return vt_now_ms(); }

/* set by a driver that routes by source address (host virtual link) */
struct netif *(*vt_lwip_route_src)(const void *src, const void *dest);

uint32_t vt_net_rand(void)
{
    /* xorshift seeded from the microsecond clock: TCP sequence numbers and
     * DNS ids, not cryptography */
    static uint32_t x;
    if (x == 0)
        x = (uint32_t)vt_now_us() * 2654435761u | 1u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}
