/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/mqtt_proto.h
 * @brief MQTT 3.1.1 for the gateway's publisher, without I/O: the packets it
 * sends, the packets it reads (a byte-at-a-time parser, so any transport can
 * feed it), and the window of QoS 1 messages in flight. mqtt.c does the I/O;
 * tests/fuzz/fuzz_mqtt_rx.c feeds the reader any bytes and checks the
 * in-flight accounting.
 */
#ifndef GATEWAY_MQTT_PROTO_H
#define GATEWAY_MQTT_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "mqtt.h"

/** Errors of a broker's packets (negative, apart from the VT_E ones). */
#define MQTT_E_PROTOCOL (-100) /**< a malformed packet: the session cannot go on */
#define MQTT_E_REFUSED (-101)  /**< CONNACK refused the connection */

/* ----------------------------------------------------------- sending */

/** @brief CONNECT (clean session, keep-alive @p keepalive s; the id is cut at
 *  23 characters) into @p b (64 bytes do). @return its length */
size_t mqtt_put_connect(uint8_t *b, const char *client_id, uint16_t keepalive);
/** Bytes a PUBLISH of one struct mqtt_msg takes at most. */
#define MQTT_PUBLISH_MAX (8 + MQTT_MSG_DATA)
/** @brief PUBLISH of @p m at @p qos (0, 1) with packet id @p id (QoS 1) and
 *  DUP flag @p dup into @p b (MQTT_PUBLISH_MAX bytes). @return its length */
size_t mqtt_put_publish(uint8_t *b, const struct mqtt_msg *m, uint8_t qos, uint16_t id, int dup);
/** @brief Check a CONNACK's four bytes. @return 0, MQTT_E_PROTOCOL (not a
 *  CONNACK of length 2 with flags 0, or a session present for a clean
 *  session) or MQTT_E_REFUSED (a non-zero return code) */
int mqtt_connack_check(const uint8_t b[4]);

/* ----------------------------------------------------------- in flight */

/** One QoS 1 message sent (or to send again after a reconnect), not acknowledged. */
struct mqtt_slot {
    struct mqtt_msg m;
    vt_tick_t sent;
    uint16_t id;    /**< 0: a free slot */
    uint8_t resend; /**< written in an earlier session: DUP on the next one */
};

/** The QoS 1 window: at most @c size of the slots are used. */
struct mqtt_window {
    struct mqtt_slot slot[MQTT_WINDOW_MAX];
    uint16_t next_id;
    uint8_t size;  /**< 1..MQTT_WINDOW_MAX */
    uint8_t count; /**< slots in use */
};

/** @brief An empty window of @p size slots (clamped to 1..MQTT_WINDOW_MAX). */
void mqtt_window_init(struct mqtt_window *w, unsigned size);
/** @brief Put @p m in a free slot under a new packet id (never 0, never one
 *  in flight). @return the slot, or NULL when the window is full */
struct mqtt_slot *mqtt_window_add(struct mqtt_window *w, const struct mqtt_msg *m, vt_tick_t now);
/** @brief A PUBACK for @p id: free its slot. @return 0, or MQTT_E_PROTOCOL
 *  when no message with that id is in flight (id 0 never is) */
int mqtt_window_ack(struct mqtt_window *w, uint16_t id);

/* ----------------------------------------------------------- receiving */

/** A packet being read: feed bytes to mqtt_rx_byte(). */
struct mqtt_rx {
    uint32_t len;     /**< remaining length */
    uint32_t got;     /**< body bytes read */
    uint8_t hdr;      /**< type and flags */
    uint8_t state;    /**< 0: type byte next, 1..4: length byte n, 5: body */
    uint8_t body[2];  /**< the first body bytes (all a PUBACK has) */
};

/** What mqtt_rx_byte() saw. */
enum { MQTT_RX_MORE = 0, MQTT_RX_PACKET = 1 };

/** @brief Take one byte of the stream. @return MQTT_RX_PACKET when a packet
 *  is complete (rx->hdr, rx->len, rx->body), MQTT_RX_MORE, or
 *  MQTT_E_PROTOCOL (a fifth remaining-length byte) */
int mqtt_rx_byte(struct mqtt_rx *rx, uint8_t c);

/** What a publisher's session knows while it reads. */
struct mqtt_session {
    struct mqtt_window *w;
    struct mqtt_stats *st;
    uint8_t ping_out; /**< a PINGREQ waits for its PINGRESP */
};

/**
 * @brief Act on the complete packet in @p rx: a PUBACK frees its message's
 * slot (counted delivered), a PINGRESP answers the ping sent. What a broker
 * must not send a publisher is counted in st->unexpected and ignored (a
 * PINGRESP with no ping out, a PUBACK for no message in flight, packets of
 * other types); a PUBACK or PINGRESP of the wrong length breaks the session.
 * @return 0 or MQTT_E_PROTOCOL
 */
int mqtt_session_packet(struct mqtt_session *ss, const struct mqtt_rx *rx);

#endif
