/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/reading.c
 * @brief Sensor lines: checking, MQTT messages, line assembly (reading.h).
 */
#include "reading.h"

#include <string.h>

#define NUM_MAX 15 /* characters of a number */
#define ID_MAX 32

static int is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

/* a decimal number that is also a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)? */
static int is_number(const char *p, size_t n)
{
    size_t i = 0, d;
    if (n == 0 || n > NUM_MAX)
        return 0;
    if (p[i] == '-')
        i++;
    d = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i == d || (p[d] == '0' && i - d > 1))
        return 0;
    if (i < n && p[i] == '.') {
        d = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    return i == n;
}

int reading_parse(const char *line, size_t n, struct reading *r)
{
    const char *t, *h, *end = line + n;

    if (n > 0 && line[n - 1] == '\r')
        end--;
    t = memchr(line, ' ', (size_t)(end - line));
    h = t ? memchr(t + 1, ' ', (size_t)(end - t - 1)) : NULL;
    if (h == NULL || memchr(h + 1, ' ', (size_t)(end - h - 1)) != NULL)
        return READING_MALFORMED;
    r->id = line;
    r->idn = (size_t)(t - line);
    r->t = t + 1;
    r->tn = (size_t)(h - t - 1);
    r->h = h + 1;
    r->hn = (size_t)(end - h - 1);
    if (r->idn == 0 || r->idn > ID_MAX)
        return READING_BAD_ID;
    for (size_t i = 0; i < r->idn; i++)
        if (!is_id_char(line[i]))
            return READING_BAD_ID;
    if (!is_number(r->t, r->tn))
        return READING_BAD_TEMPERATURE;
    if (!is_number(r->h, r->hn))
        return READING_BAD_HUMIDITY;
    return READING_OK;
}

const char *reading_error_text(int err)
{
    switch (err) {
    case READING_BAD_ID: return "ERR bad sensor id\n";
    case READING_BAD_TEMPERATURE: return "ERR bad temperature\n";
    case READING_BAD_HUMIDITY: return "ERR bad humidity\n";
    default: return "ERR expected: <sensor-id> <temperature> <humidity>\n";
    }
}

int reading_to_msg(const struct reading *r, struct mqtt_msg *m)
{
    char *p = m->data;
    size_t topic = 8 + r->idn, payload = 5 + r->tn + 5 + r->hn + 1;
    if (topic + payload > MQTT_MSG_DATA)
        return VT_EINVAL;
    memcpy(p, "sensors/", 8), p += 8;
    memcpy(p, r->id, r->idn), p += r->idn;
    m->topic_len = (uint8_t)topic;
    memcpy(p, "{\"t\":", 5), p += 5;
    memcpy(p, r->t, r->tn), p += r->tn;
    memcpy(p, ",\"h\":", 5), p += 5;
    memcpy(p, r->h, r->hn), p += r->hn;
    *p = '}';
    m->payload_len = (uint8_t)payload;
    return 0;
}

int line_push(struct line_buf *lb, char c)
{
    if (lb->done) {
        lb->done = 0;
        lb->len = 0;
    }
    if (c == '\n') {
        if (lb->too_long) {
            lb->too_long = 0;
            lb->len = 0;
            return LINE_TOO_LONG;
        }
        lb->done = 1;
        return LINE_DONE;
    }
    if (lb->too_long)
        return LINE_MORE;
    if (lb->len < READING_LINE_MAX)
        lb->line[lb->len++] = c;
    else
        lb->too_long = 1;
    return LINE_MORE;
}
