/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/reading.h
 * @brief The gateway's sensor protocol, without I/O: lines of
 * `<sensor-id> <temperature> <humidity>` (id: 1-32 of [A-Za-z0-9_-], the
 * numbers decimal JSON numbers of at most 15 characters), checked and turned
 * into MQTT messages. Fuzzed by tests/fuzz/fuzz_gateway_line.c.
 */
#ifndef GATEWAY_READING_H
#define GATEWAY_READING_H

#include <stddef.h>
#include <stdint.h>

#include "mqtt.h"

/** Longest line: 32 + 1 + 15 + 1 + 15 + CR; longer lines are refused. */
#define READING_LINE_MAX 72

/** Why a line is not a reading (0: it is one). */
enum reading_err {
    READING_OK = 0,
    READING_MALFORMED,       /**< not three fields separated by single spaces */
    READING_BAD_ID,
    READING_BAD_TEMPERATURE,
    READING_BAD_HUMIDITY,
};

/** A reading: its three fields, pointing into the line. */
struct reading {
    const char *id, *t, *h;
    size_t idn, tn, hn;
};

/** @brief Check the line @p line (@p n bytes, without its newline; a final
 *  CR is ignored) and find its fields. @return READING_OK or the reason */
int reading_parse(const char *line, size_t n, struct reading *r);
/** @brief The answer to a line refused for @p err, e.g. "ERR bad sensor id\n". */
const char *reading_error_text(int err);
/** @brief Topic `sensors/<id>`, payload `{"t":T,"h":H}` into @p m. @return 0, or VT_EINVAL if they do not fit */
int reading_to_msg(const struct reading *r, struct mqtt_msg *m);

/** Lines out of a byte stream: bytes in, complete lines out. */
struct line_buf {
    char line[READING_LINE_MAX];
    uint8_t len;
    uint8_t too_long; /**< the current line went past READING_LINE_MAX: skip to its end */
    uint8_t done;     /**< line holds a finished line: the next byte starts another */
};

/** What line_push() saw. */
enum { LINE_MORE, LINE_DONE, LINE_TOO_LONG };

/**
 * @brief Take one byte. @return LINE_DONE at a newline ending a line of at
 * most READING_LINE_MAX bytes (then lb->line, lb->len hold it, without the
 * newline), LINE_TOO_LONG at a newline ending a longer one, else LINE_MORE.
 * The next byte starts a new line.
 */
int line_push(struct line_buf *lb, char c);

/** @brief Has a line begun and not ended (more of it must follow)? */
static inline int line_open(const struct line_buf *lb)
{
    return lb->too_long || (lb->len > 0 && !lb->done);
}

#endif
