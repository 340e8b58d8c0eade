/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fuzz/fuzz_gateway_line.c
 * @brief The gateway's sensor protocol (examples/gateway/reading.c) on any
 * byte stream, as a sensor connection feeds it: lines are never longer than
 * the limit, and a reading the gateway accepts gives an MQTT message whose
 * topic is sensors/<id> and whose payload is the JSON object
 * {"t":T,"h":H} with T and H JSON numbers, as an independent check of the
 * JSON grammar (below) says.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "reading.h"

/* RFC 8259 number, without exponent (what the gateway passes on): the
 * grammar written as a table of states, apart from reading.c's code */
static int json_number(const char *p, size_t n)
{
    enum { START, MINUS, ZERO, INT, DOT, FRAC } s = START;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        int digit = c >= '0' && c <= '9';
        switch (s) {
        case START:
            if (c == '-')
                s = MINUS;
            else if (c == '0')
                s = ZERO;
            else if (digit)
                s = INT;
            else
                return 0;
            break;
        case MINUS: if (!digit) return 0; s = c == '0' ? ZERO : INT; break;
        case ZERO: if (c != '.') return 0; s = DOT; break;
        case INT: if (c == '.') s = DOT; else if (!digit) return 0; break;
        case DOT: if (!digit) return 0; s = FRAC; break;
        case FRAC: if (!digit) return 0; break;
        }
    }
    return s == ZERO || s == INT || s == FRAC;
}

static void check_reading(const char *line, size_t n)
{
    struct reading r;
    struct mqtt_msg m;
    const char *pl;
    size_t tn, hn;
    FUZZ_CHECK(n <= READING_LINE_MAX);
    if (reading_parse(line, n, &r) != READING_OK)
        return;
    FUZZ_CHECK(reading_to_msg(&r, &m) == 0);
    FUZZ_CHECK(m.topic_len + m.payload_len <= MQTT_MSG_DATA);
    FUZZ_CHECK(m.topic_len == 8 + r.idn && memcmp(m.data, "sensors/", 8) == 0);
    for (size_t i = 8; i < m.topic_len; i++) {
        char c = m.data[i];
        FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_');
    }
    pl = m.data + m.topic_len;
    FUZZ_CHECK(m.payload_len > 12 && memcmp(pl, "{\"t\":", 5) == 0 && pl[m.payload_len - 1] == '}');
    tn = (size_t)((const char *)memchr(pl + 5, ',', m.payload_len - 5) - (pl + 5));
    FUZZ_CHECK(json_number(pl + 5, tn));
    FUZZ_CHECK(memcmp(pl + 5 + tn, ",\"h\":", 5) == 0);
    hn = m.payload_len - 5 - tn - 5 - 1;
    FUZZ_CHECK(json_number(pl + 5 + tn + 5, hn));
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct line_buf lb = {0};
    for (size_t i = 0; i < n; i++) {
        int what = line_push(&lb, (char)d[i]);
        if (what == LINE_DONE)
            check_reading(lb.line, lb.len);
        else
            FUZZ_CHECK(what == LINE_MORE || what == LINE_TOO_LONG);
    }
    return 0;
}
