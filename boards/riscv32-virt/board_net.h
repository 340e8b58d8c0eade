/* SPDX-License-Identifier: MIT */
/**
 * @file boards/riscv32-virt/board_net.h
 * @brief Network defaults of the RISC-V virt boards (vt/net_config.h: the
 * application's header overrides each): 128 MB of DRAM, virtio-net.
 */
#ifndef VT_BOARD_NET_H
#define VT_BOARD_NET_H

#ifndef VT_NET_TCP_MAX
#define VT_NET_TCP_MAX 1100
#endif
#ifndef VT_NET_PBUFS
#define VT_NET_PBUFS 128
#endif
#ifndef VT_NET_HEAP
#define VT_NET_HEAP (1024 * 1024)
#endif

#endif
