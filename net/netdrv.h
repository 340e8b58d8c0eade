/**
 * @file net/netdrv.h
 * @brief Private interface between the network core (net/net.c) and the
 * board's NIC driver (net/drivers/). One driver is linked per board.
 *
 * Drivers run lwIP code in thread context only (netdrv_start, netdrv_poll,
 * the netif's linkoutput). Their interrupt handlers touch only the device
 * and the driver's own buffers, then call vt_net_kick_isr().
 */
#ifndef VT_NET_NETDRV_H
#define VT_NET_NETDRV_H

#include "lwip/netif.h"
#include "vt/net.h"

/** @brief Add and bring up the driver's interface(s) with @p cfg; return
 *  the primary one in @p primary. @return 0 or VT_EIO */
int netdrv_start(const vt_net_config_t *cfg, struct netif **primary);
/** @brief Hand every received frame to lwIP (thread context). */
void netdrv_poll(void);
/** @brief The board's default configuration (static 10.0.2.15 in QEMU). */
void netdrv_default_config(vt_net_config_t *cfg);
/** @brief QEMU user-mode networking's addresses (net.c): 10.0.2.15/24,
 *  gateway 10.0.2.2, DNS 10.0.2.3; the QEMU NIC drivers' default. */
void net_qemu_user_config(vt_net_config_t *cfg);

/** @brief Wake the poller from an interrupt handler. */
void vt_net_kick_isr(void);
/** @brief Wake the poller from thread context if lwIP now has an earlier
 *  timeout than the poller planned for (after calls that may add one). */
void vt_net_kick(void);
/** @brief Wake the poller from thread context (frames to deliver). */
void vt_net_wake(void);

/** Counters drivers update. */
extern vt_net_stats_t vt_net_counters;

/** @brief A driver that refused frames (ERR_MEM) has room again: send the
 *  TCP segments lwIP kept back instead of waiting for their retransmission
 *  timer (thread context). */
void net_tx_room(void);

/** @brief The driver found its receive buffer (nearly) full: frames were
 *  probably lost (which ones is not known). Thread context. */
void net_rx_overflow(void);
/** @brief Ask the peers of recently active TCP connections to resend what
 *  may have been lost (tcp.c): starts a pass that net_tcp_recover_step()
 *  continues. */
void net_tcp_recover(void);
/** @brief The next batch of the pass. @return 1 while the pass goes on */
int net_tcp_recover_step(void);

/** Segments that came for pcbs that may go into TIME_WAIT (tcp.c counts,
 *  net.c bounds the TIME_WAIT list with it). */
extern unsigned net_time_wait_may_grow;

/** @brief Name a socket's or listener's wait queue for the thread dump
 *  (tcp.c, udp.c). @return its length, 0 if @p q is not theirs */
int net_tcp_describe(const vt_waitq_t *q, char *buf, size_t len);
int net_udp_describe(const vt_waitq_t *q, char *buf, size_t len);

/** @brief What is left at @p deadline of a wait of @p timeout (VT_FOREVER
 *  and VT_NOWAIT stay as they are; a passed deadline gives VT_NOWAIT). */
vt_tick_t net_left_of(vt_tick_t timeout, vt_tick_t deadline);

/** A stream's read call (vt_tcp_read_timeout, vt_tls_read_timeout). */
typedef int (*net_read_fn)(void *stream, void *buf, size_t len, vt_tick_t timeout);
/** @brief Read exactly @p len bytes with @p rd, all within @p timeout.
 *  @return len, VT_EPIPE (end of stream first), or the read's error */
int net_read_exact(void *stream, net_read_fn rd, vt_tick_t timeout, void *buf, size_t len);

/** @brief From a driver's netif init function: @p nif is an Ethernet
 *  interface ("e0", MTU 1500, ARP) with station address @p mac, sending
 *  frames with @p linkoutput. */
void net_netif_ethernet(struct netif *nif, const uint8_t mac[6], netif_linkoutput_fn linkoutput);

/** @brief Configure @p nif with @p cfg (static address or DHCP) and set it up. */
void net_netif_configure(struct netif *nif, const vt_net_config_t *cfg);

#endif
