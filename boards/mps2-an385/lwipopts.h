/* lwIP sizes for the MPS2 boards (4 MB SSRAM + 16 MB PSRAM), LAN9118. */
#ifndef VT_NET_TCP_MAX
#define VT_NET_TCP_MAX 1100
#endif
#define VT_NET_PBUFS 512
#define VT_NET_HEAP (1024 * 1024)
#include "lwipopts_common.h"
