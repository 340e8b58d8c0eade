/* SPDX-License-Identifier: MIT */
/**
 * @file boards/mps2-an385/board_net.h
 * @brief Network defaults of the MPS2 AN385/AN386 boards (vt/net_config.h:
 * the application's header overrides each): static pools in the 4 MB of
 * data SSRAM (about 1.5 MB of it), the 16 MB PSRAM left to malloc. 1,100
 * connections: the 1,000-sensor gateway demo and the 1,000-connection
 * tests. The LAN9118 model drops what its FIFO cannot hold, so the driver
 * drains it into a ring of 256 frames.
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
#define VT_NET_RX_FRAMES 256
#endif

#endif
