/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/link.h
 * @brief The MQTT uplink's transport: plain TCP or TLS, the same blocking
 * calls either way (mqtt.c does its I/O through these only).
 */
#ifndef GATEWAY_LINK_H
#define GATEWAY_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "vt/net.h"
#include "vt/tls.h"

/** Where and how to connect. */
struct link_config {
    vt_ip4_t ip;                 /**< broker address */
    uint16_t port;               /**< broker port */
    const vt_tls_config_t *tls;  /**< NULL: plain TCP; else TLS with this CA and identity */
    const char *tls_name;        /**< the name the broker's certificate must carry (and SNI) */
};

/** One open connection (opaque). */
struct link;

/** @brief Connect (and with TLS, complete the handshake) within @p timeout.
 *  @return 0 or an error (vt_tcp_connect's, vt_tls_connect's) */
int link_connect(struct link **out, const struct link_config *c, vt_tick_t timeout);
/** @brief Timeout of later reads and writes. */
void link_set_timeout(struct link *l, vt_tick_t timeout);
/** @brief As vt_tcp_read_timeout. */
int link_read(struct link *l, void *buf, size_t len, vt_tick_t timeout);
/** @brief As vt_tcp_read_exact. */
int link_read_exact(struct link *l, void *buf, size_t len);
/** @brief As vt_tcp_write (the link's timeout). */
int link_write(struct link *l, const void *buf, size_t len);
/** @brief Reset the connection and free @p l. */
void link_abort(struct link *l);

/**
 * @brief The gateway's TLS options, from the command line: tls=1, ca=,
 * cert=, key= (files read from the host at boot, or the ones built in:
 * GATEWAY_TLS_CA... in CMake), tls_name= (default: the broker's host name
 * @p host), time= (seconds since 1970; certificate dates need it). Fills
 * @p c's tls fields; tls=0 or absent leaves them NULL (plain TCP).
 * @return 0, or an error already printed
 */
int link_options(int argc, char **argv, const char *host, struct link_config *c);

#endif
