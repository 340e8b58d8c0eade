/* SPDX-License-Identifier: MIT */
/**
 * @file net/netdrv.h
 * @brief The NIC driver contract: what a driver in net/drivers/ provides to
 * the network core (net/net.c) and what it may call there. One driver is
 * linked per network library (the board's VT_NET_DRIVER).
 *
 * Drivers run lwIP code in thread context only (netdrv_start, netdrv_poll,
 * the netif's linkoutput). Their interrupt handlers touch only the device
 * and the driver's own buffers, then call vt_net_kick_isr(); the poller
 * thread then calls netdrv_poll().
 */
#ifndef VT_NET_NETDRV_H
#define VT_NET_NETDRV_H

#include "lwip/netif.h"
#include "vt/net.h"

/* ---- provided by the driver ---- */

/** @brief Add and bring up the driver's interface(s) with @p cfg; return
 *  the primary one in @p primary. Called once, by the first vt_net_start().
 *  @return 0 or VT_EIO */
int netdrv_start(const vt_net_config_t *cfg, struct netif **primary);
/** @brief Hand every received frame to lwIP (thread context: the poller,
 *  after each wake-up and each lwIP timeout). */
void netdrv_poll(void);
/** @brief The board's default configuration (static 10.0.2.15 in QEMU). */
void netdrv_default_config(vt_net_config_t *cfg);

/* ---- provided by the network core for drivers ---- */

/** @brief Wake the poller from an interrupt handler. */
void vt_net_kick_isr(void);
/** @brief Wake the poller from thread context (frames to deliver). */
void vt_net_wake(void);
/** @brief Wake the poller from thread context if lwIP now has an earlier
 *  timeout than the poller planned for (after calls that may add one). */
void vt_net_kick(void);

/** Counters drivers update (rx_frames, tx_frames, rx_dropped, tx_busy). */
extern vt_net_stats_t vt_net_counters;

/** @brief A driver that refused frames (ERR_MEM) has room again: send the
 *  TCP segments lwIP kept back instead of waiting for their retransmission
 *  timer (thread context). */
void net_tx_room(void);

/** @brief The driver found its receive buffer (nearly) full: frames were
 *  probably lost (which ones is not known). Thread context. */
void net_rx_overflow(void);
/** @brief From a driver's netif init function: @p nif is an Ethernet
 *  interface ("e0", MTU 1500, ARP) with station address @p mac, sending
 *  frames with @p linkoutput. */
void net_netif_ethernet(struct netif *nif, const uint8_t mac[6], netif_linkoutput_fn linkoutput);

/** @brief Configure @p nif with @p cfg (static address or DHCP) and set it up. */
void net_netif_configure(struct netif *nif, const vt_net_config_t *cfg);

/** @brief QEMU user-mode networking's addresses (slirp's, also the host
 *  board's): 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3. */
void net_qemu_user_config(vt_net_config_t *cfg);

#endif
