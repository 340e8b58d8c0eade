/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/mqtt.h
 * @brief A small MQTT 3.1.1 publisher on vthread's blocking TCP calls.
 *
 * One publisher thread owns the broker connection: it connects (clean
 * session, keep-alive), takes messages from a bounded channel of fixed-size
 * items, publishes them (QoS 1 by default, up to `window` unacknowledged at
 * once; QoS 0 by option), sends PINGREQ when the link has been quiet for
 * half the keep-alive, and reconnects with exponential backoff when the
 * broker goes away, resending the unacknowledged QoS 1 messages with DUP
 * set. A reader thread, started for each session, takes PUBACK and PINGRESP
 * off the socket. The packets themselves are mqtt_proto.c's (no I/O).
 *
 * Producers put messages in the channel themselves (vt_chan_send_timeout or
 * vt_chan_trysend): when it is full they decide, and count, what happens.
 */
#ifndef GATEWAY_MQTT_H
#define GATEWAY_MQTT_H

#include <stdint.h>

#include "link.h"
#include "vt/net.h"
#include "vt/vt.h"

/** Bytes of topic + payload one queued message can hold. */
#define MQTT_MSG_DATA 94

/** One queued message: topic then payload, back to back in @c data. */
struct mqtt_msg {
    uint8_t topic_len;
    uint8_t payload_len;
    char data[MQTT_MSG_DATA];
};

/** @brief Fill @p m from a topic and a payload. @return 0, or VT_EINVAL if they do not fit */
int mqtt_msg_set(struct mqtt_msg *m, const char *topic, size_t topic_len, const char *payload,
                 size_t payload_len);

struct mqtt_config {
    struct link_config link; /**< broker address and port (1883), TLS or not */
    uint16_t keepalive;     /**< seconds (CONNECT's keep-alive); PINGREQ after half of it */
    uint8_t qos;            /**< 0 or 1 */
    uint8_t window;         /**< QoS 1 messages in flight at most (1..MQTT_WINDOW_MAX) */
    const char *client_id;  /**< at most 23 characters */
    vt_chan_t *queue;       /**< channel of struct mqtt_msg */
    vt_runstack_t *reader_runstack; /**< with MQTT_READER_STACK 0: the run stack the reader
                                         shares with other threads (vt/shared.h) */
};

#ifndef MQTT_WINDOW_MAX
#define MQTT_WINDOW_MAX 32 /* in-flight table: ~104 bytes a message (an application header may set it) */
#endif

/* Stacks of the publisher and the reader: the TLS handshake (curve
 * arithmetic) and record decryption run on them. An application header
 * may set them (the deepest use seen is in the thread dump).
 * MQTT_READER_STACK 0: the reader runs on a shared run stack
 * (mqtt_config.reader_runstack) and keeps only its live stack while it
 * waits for the broker, which is nearly always. */
#ifndef MQTT_PUB_STACK
#if GATEWAY_TLS
#define MQTT_PUB_STACK 4096
#else
#define MQTT_PUB_STACK 1024
#endif
#endif
#ifndef MQTT_READER_STACK
#if GATEWAY_TLS
#define MQTT_READER_STACK 2048
#else
#define MQTT_READER_STACK 768
#endif
#endif

/** Counters (read them from anywhere: the system is cooperative). */
struct mqtt_stats {
    unsigned connected;     /**< 1 while a session is up */
    unsigned connects;      /**< CONNACKs accepted */
    unsigned connect_fails; /**< TCP connect or CONNACK failures */
    unsigned disconnects;   /**< sessions lost */
    unsigned published;     /**< PUBLISH packets written (retransmits included) */
    unsigned delivered;     /**< QoS 1: PUBACKed; QoS 0: written */
    unsigned retransmits;   /**< QoS 1 messages resent (DUP) after a reconnect */
    unsigned lost;          /**< QoS 0 messages whose write failed */
    unsigned inflight;      /**< QoS 1 messages waiting for PUBACK now */
    unsigned pings, pongs;  /**< PINGREQ sent, PINGRESP received */
    unsigned unexpected;    /**< broker packets a publisher should not get (ignored):
                                 PUBACK for no message in flight, PINGRESP with no ping out, ... */
    unsigned protocol_errors; /**< sessions ended by a malformed packet or CONNACK */
    unsigned backoff_ms;    /**< the current reconnect delay */
    int last_error;         /**< last connection error (VT_E...) */
};
extern struct mqtt_stats mqtt_stats;

/** @brief Start the publisher thread (and, per session, the reader). @return 0 or an error */
int mqtt_start(const struct mqtt_config *cfg);

#endif
