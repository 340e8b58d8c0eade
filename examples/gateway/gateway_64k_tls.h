/**
 * @file examples/gateway/gateway_64k_tls.h
 * @brief The gateway's options header for a part with 64 KB of RAM
 * (lm3s6965evb) whose MQTT uplink runs over TLS (tls=1): gateway_64k.h
 * with room for one TLS session. Sizes measured: docs/lm3s6965evb.md.
 */
#ifndef GATEWAY_64K_TLS_H
#define GATEWAY_64K_TLS_H

#define GATEWAY_SENSORS 77
#define MQTT_PUB_STACK 2560
#define MQTT_READER_STACK 0

#include "gateway_64k.h"

#endif
