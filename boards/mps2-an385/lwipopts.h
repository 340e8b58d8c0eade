/* lwIP sizes for the MPS2 boards (4 MB SSRAM for data, 16 MB PSRAM heap),
 * LAN9118. 10,100 pcbs so the echo example can hold 10,000 idle
 * connections with shared-stack threads; receive data lands in exact-size
 * heap pbufs, so the pool is only a fallback. */
#ifndef VT_NET_TCP_MAX
#define VT_NET_TCP_MAX 10100
#endif
#define VT_NET_PBUFS 256
#define VT_NET_HEAP (768 * 1024)
#define MEMP_NUM_TCP_SEG 4096
#include "lwipopts_common.h"
