/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/gateway_64k_tls.h
 * @brief The gateway's options header for a part with 64 KB of RAM
 * (lm3s6965evb) whose MQTT uplink runs over TLS (tls=1): gateway_64k.h
 * with room for one TLS session, built as the firmware gateway_tls. What
 * these sizes cost and how they were found: docs/lm3s6965evb.md.
 */
#ifndef GATEWAY_64K_TLS_H
#define GATEWAY_64K_TLS_H

/* sensors at once (max= default): with 72 the heap had 196 bytes left at
 * worst after three reconnections of the uplink at full load, with 73 it
 * ran out in one run of two (some runs keep a save area of the 1.5 KB
 * class); 71 leaves 596 at worst */
#define GATEWAY_SENSORS 71
/* TLS's own memory (vt_tls_arena()): the session, and a reconnection's
 * handshake beside every sensor, never competing with them for the heap;
 * the handshake's peak took 9,936 bytes of it (fragmentation included) */
#define GATEWAY_TLS_ARENA (10 * 1024)
/* the publisher runs the handshake: deepest use seen 2,424 bytes */
#define MQTT_PUB_STACK 2688
/* the reader decrypts 752 bytes deep but nearly always waits: on the
 * shared run stack it keeps 384 bytes while waiting */
#define MQTT_READER_STACK 0

#include "gateway_64k.h"

#endif
