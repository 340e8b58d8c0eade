/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/burst.h
 * @brief A load for measuring the uplink: once the broker session is up, put
 * @p n readings into the queue as fast as it takes them and report how long
 * the uplink took to deliver them (option burst=N; docs/benchmarks.md).
 */
#ifndef GATEWAY_BURST_H
#define GATEWAY_BURST_H

#include "vt/vt.h"

/** @brief Start the burst thread on @p queue (of struct mqtt_msg): @p times
 *  bursts of @p n readings. */
int burst_start(vt_chan_t *queue, unsigned n, unsigned times);

#endif
