/* lwIP sizes for the host board: two interfaces on one virtual link. */
#define VT_NET_TCP_MAX 2200
#define VT_NET_PBUFS 512
#define VT_NET_HEAP (4 * 1024 * 1024)
#define MEMP_NUM_NETIF 2
#define MEM_ALIGNMENT 8 /* 64-bit pointers */
/* route by source address so each end of the virtual link answers on its own interface */
struct netif;
extern struct netif *(*vt_lwip_route_src)(const void *src, const void *dest);
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest) (vt_lwip_route_src ? vt_lwip_route_src(src, dest) : NULL)
#include "lwipopts_common.h"
