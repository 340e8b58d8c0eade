/* SPDX-License-Identifier: MIT */
/**
 * @file tests/net/net_10k.h
 * @brief The network of the 10,000-connection benchmark (net_10k_shared:
 * examples/echo built as echo_10k on mps2-an385, run with max=10100): an
 * application options header (vt/net_config.h) sized for that one job,
 * about 3.4 MB of the board's 4 MB of data RAM, instead of the board's
 * defaults.
 */
#ifndef NET_10K_H
#define NET_10K_H

#define VT_NET_TCP_MAX 10100     /* 10,000 idle connections, the stats server, spares */
#define VT_NET_TCP_SEGS 4096     /* idle connections queue nothing: far fewer than 4 each */
#define VT_NET_HEAP (768 * 1024)
#define VT_NET_PBUFS 256
#define VT_NET_RX_FRAMES 256

#endif
