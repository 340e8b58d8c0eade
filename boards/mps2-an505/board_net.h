/* SPDX-License-Identifier: MIT */
/**
 * @file boards/mps2-an505/board_net.h
 * @brief Network defaults of mps2-an505 (vt/net_config.h: the
 * application's header overrides each): 2 MB of SSRAM for data (the 16 MB
 * PSRAM is malloc's).
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
#define VT_NET_HEAP (512 * 1024)
#endif
#ifndef VT_NET_RX_FRAMES
#define VT_NET_RX_FRAMES 128
#endif

#endif
