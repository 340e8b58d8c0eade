/* lwIP sizes for mps2-an505: 2 MB of SSRAM for data (the 16 MB PSRAM is the heap). */
#define VT_NET_TCP_MAX 1100
#define VT_NET_PBUFS 128
#define VT_NET_HEAP (512 * 1024)
#define LAN9118_RX_SLOTS 128
#include "lwipopts_common.h"
