/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/summary.h
 * @brief A CPU-heavy job beside the sensors: every `summary=` ms the
 * gateway sums up the most recent readings (per sensor: count, temperature
 * min/mean/max) and packs them as it would for an uplink (LZ77, the packed
 * size), then publishes the figures to the topic `gateway/summary`.
 *
 * The work runs with vt_offload(): on the boards in the background context,
 * which the kernel preempts whenever a sensor's packet arrives, so the
 * sensors' `OK` answers keep their latency. Mode `inline` runs the same
 * work in the summary thread itself, to compare: every sensor then waits
 * for it. docs/offload.md.
 *
 * Options: summary=<period ms> (0: off, the default; nothing is allocated),
 * summary_mode=offload|inline|off (offload), summary_batch=<bytes of recent
 * readings packed each time> (8192), summary_window=<LZ77 window> (4096).
 * `GET /summary` on the HTTP port reports the last run; `GET /summary?off`,
 * `?offload`, `?inline` switch the mode.
 */
#ifndef GATEWAY_SUMMARY_H
#define GATEWAY_SUMMARY_H

#include <stddef.h>

#include "vt/vt.h"

/** @brief Start the summary thread if summary= is set. @return 0 or VT_ENOMEM */
int summary_start(int argc, char **argv, vt_chan_t *queue);
/** @brief A valid reading line (`id t h`, @p n bytes) for the next summary. */
void summary_record(const char *line, size_t n);
/** @brief The answer to `GET /summary[?mode]` (@p query: what follows the
 *  path). @return its length */
int summary_http(const char *query, char *buf, size_t len);

#endif
