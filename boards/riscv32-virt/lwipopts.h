/* lwIP sizes for the RISC-V virt boards (128 MB DRAM), virtio-net. */
#ifndef VT_NET_TCP_MAX
#define VT_NET_TCP_MAX 1100
#endif
#define VT_NET_PBUFS 128
#define VT_NET_HEAP (1024 * 1024)
#include "lwipopts_common.h"
