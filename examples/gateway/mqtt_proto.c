/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/mqtt_proto.c
 * @brief MQTT 3.1.1 packets and the QoS 1 window (mqtt_proto.h).
 */
#include "mqtt_proto.h"

#include <string.h>

/* A broker sends a publisher CONNACK, PUBACK and PINGRESP, a few bytes each:
 * a longer packet is not skipped byte by byte, it ends the session. */
#define RX_LEN_MAX 65536u

static size_t put_len(uint8_t *p, size_t n) /* remaining length (< 16384 here) */
{
    if (n < 128) {
        p[0] = (uint8_t)n;
        return 1;
    }
    p[0] = (uint8_t)(0x80 | (n & 0x7F));
    p[1] = (uint8_t)(n >> 7);
    return 2;
}

size_t mqtt_put_connect(uint8_t *b, const char *client_id, uint16_t keepalive)
{
    size_t idlen = strlen(client_id), n = 0;
    if (idlen > 23)
        idlen = 23;
    b[n++] = 0x10;
    n += put_len(b + n, 10 + 2 + idlen);
    memcpy(b + n, "\0\4MQTT\4", 7); /* protocol name, level 4 (3.1.1) */
    n += 7;
    b[n++] = 0x02;                  /* clean session */
    b[n++] = (uint8_t)(keepalive >> 8);
    b[n++] = (uint8_t)keepalive;
    b[n++] = 0;
    b[n++] = (uint8_t)idlen;
    memcpy(b + n, client_id, idlen);
    return n + idlen;
}

size_t mqtt_put_publish(uint8_t *b, const struct mqtt_msg *m, uint8_t qos, uint16_t id, int dup)
{
    size_t n = 0, rem = 2u + m->topic_len + m->payload_len + (qos ? 2u : 0u);
    b[n++] = (uint8_t)(0x30 | (dup ? 0x08 : 0) | (qos << 1));
    n += put_len(b + n, rem);
    b[n++] = 0;
    b[n++] = m->topic_len;
    memcpy(b + n, m->data, m->topic_len);
    n += m->topic_len;
    if (qos) {
        b[n++] = (uint8_t)(id >> 8);
        b[n++] = (uint8_t)id;
    }
    memcpy(b + n, m->data + m->topic_len, m->payload_len);
    return n + m->payload_len;
}

int mqtt_connack_check(const uint8_t b[4])
{
    /* type 2, flags 0, remaining length 2, no session for a clean one */
    if (b[0] != 0x20 || b[1] != 2 || b[2] != 0)
        return MQTT_E_PROTOCOL;
    return b[3] == 0 ? 0 : MQTT_E_REFUSED;
}

/* ---------------------------------------------------------------- window */

void mqtt_window_init(struct mqtt_window *w, unsigned size)
{
    memset(w, 0, sizeof *w);
    w->size = (uint8_t)(size < 1 || size > MQTT_WINDOW_MAX ? MQTT_WINDOW_MAX : size);
}

static struct mqtt_slot *find(struct mqtt_window *w, uint16_t id)
{
    for (unsigned i = 0; i < w->size; i++)
        if (w->slot[i].id == id)
            return &w->slot[i];
    return NULL;
}

struct mqtt_slot *mqtt_window_add(struct mqtt_window *w, const struct mqtt_msg *m, vt_tick_t now)
{
    struct mqtt_slot *s = find(w, 0);
    if (s == NULL)
        return NULL;
    do { /* a fresh id: not 0, not one still in flight */
        if (++w->next_id == 0)
            w->next_id = 1;
    } while (find(w, w->next_id) != NULL);
    s->m = *m;
    s->id = w->next_id;
    s->resend = 1; /* once written, a later session sends it with DUP */
    s->sent = now;
    w->count++;
    return s;
}

int mqtt_window_ack(struct mqtt_window *w, uint16_t id)
{
    struct mqtt_slot *s = id != 0 ? find(w, id) : NULL;
    if (s == NULL)
        return MQTT_E_PROTOCOL;
    s->id = 0;
    w->count--;
    return 0;
}

/* ------------------------------------------------------------- receiving */

int mqtt_rx_byte(struct mqtt_rx *rx, uint8_t c)
{
    switch (rx->state) {
    case 0: /* type and flags */
        rx->hdr = c;
        rx->len = 0;
        rx->got = 0;
        rx->state = 1;
        return MQTT_RX_MORE;
    case 1: case 2: case 3: case 4: /* remaining length, 7 bits a byte */
        rx->len |= (uint32_t)(c & 0x7F) << (7 * (rx->state - 1));
        if (c & 0x80) {
            if (rx->state == 4)
                return MQTT_E_PROTOCOL; /* a fifth length byte */
            rx->state++;
            return MQTT_RX_MORE;
        }
        if (rx->len > RX_LEN_MAX)
            return MQTT_E_PROTOCOL;
        if (rx->len == 0) {
            rx->state = 0;
            return MQTT_RX_PACKET;
        }
        rx->state = 5;
        return MQTT_RX_MORE;
    default: /* body */
        if (rx->got < sizeof rx->body)
            rx->body[rx->got] = c;
        if (++rx->got < rx->len)
            return MQTT_RX_MORE;
        rx->state = 0;
        return MQTT_RX_PACKET;
    }
}

int mqtt_session_packet(struct mqtt_session *ss, const struct mqtt_rx *rx)
{
    switch (rx->hdr >> 4) {
    case 4: /* PUBACK: packet id */
        if ((rx->hdr & 0x0F) != 0 || rx->len != 2)
            return MQTT_E_PROTOCOL;
        if (mqtt_window_ack(ss->w, (uint16_t)(rx->body[0] << 8 | rx->body[1])) == 0) {
            ss->st->delivered++;
            ss->st->inflight = ss->w->count;
        } else {
            ss->st->unexpected++;
        }
        return 0;
    case 13: /* PINGRESP */
        if ((rx->hdr & 0x0F) != 0 || rx->len != 0)
            return MQTT_E_PROTOCOL;
        if (ss->ping_out) {
            ss->ping_out = 0;
            ss->st->pongs++;
        } else {
            ss->st->unexpected++;
        }
        return 0;
    default: /* a second CONNACK, a PUBLISH we did not subscribe to, ... */
        ss->st->unexpected++;
        return 0;
    }
}
