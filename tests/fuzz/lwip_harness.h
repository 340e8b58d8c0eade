/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fuzz/lwip_harness.h
 * @brief lwIP (the host board's options) in a fuzzer: one Ethernet
 * interface, 10.0.2.15/24 with the gateway 10.0.2.2 and DNS 10.0.2.3 as in
 * QEMU's user networking, a clock the fuzzer moves, frames sent kept for a
 * look.
 */
#ifndef VT_FUZZ_LWIP_HARNESS_H
#define VT_FUZZ_LWIP_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/netif.h"

extern struct netif harness_netif;
extern const uint8_t harness_mac[6], harness_peer_mac[6];

/** The last frame the interface sent, and how many it sent. */
extern uint8_t harness_out[1600];
extern size_t harness_out_len;
extern unsigned harness_outs;

/** @brief lwIP and the interface, once. */
void harness_init(void);
/** @brief Move the clock by @p ms, running lwIP's timers at least every 250 ms. */
void harness_advance(uint32_t ms);
/** @brief Hand @p len bytes to the interface as a received frame. */
void harness_input(const uint8_t *frame, size_t len);
/** @brief Teach ARP the peers' address (10.0.2.2, 10.0.2.3: harness_peer_mac). */
void harness_arp_peers(void);
/** @brief Set the IPv4 header checksum and, for TCP and UDP, the transport
 *  checksum of the Ethernet frame @p f (@p len bytes), where they fit. */
void harness_fix_checksums(uint8_t *f, size_t len);
/** @brief Build an Ethernet/IPv4/UDP frame from @p src : @p sport to us at
 *  @p dport carrying @p data into @p f (room: 42 + @p n). @return its length */
size_t harness_udp_frame(uint8_t *f, uint32_t src, uint16_t sport, uint16_t dport,
                         const uint8_t *data, size_t n);

#endif
