/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fuzz/fuzz_mqtt_rx.c
 * @brief The gateway's MQTT reader (examples/gateway/mqtt_proto.c) on any
 * bytes from a "broker", with messages in flight, and the in-flight
 * accounting checked after every packet: the count is the number of slots
 * in use, no slot beyond the window is used, ids in flight are distinct and
 * never 0, every delivery removed a message that was in flight (so
 * delivered + in flight = added, whatever the broker sends), a pong answers
 * a ping.
 *
 * Input: byte 0 the window size, byte 1 how many messages go in flight
 * first; then the broker's stream. After each packet, when the window has
 * room, one more message is added (as the publisher would), and a PINGREQ
 * is "sent" every 8th packet.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "mqtt_proto.h"

static unsigned added, pings;

static void add(struct mqtt_window *w)
{
    struct mqtt_msg m;
    memset(&m, 0, sizeof m);
    m.topic_len = 1;
    m.data[0] = 't';
    if (mqtt_window_add(w, &m, 0) != NULL)
        added++;
}

static void check_window(const struct mqtt_window *w, const struct mqtt_stats *st)
{
    unsigned used = 0;
    for (unsigned i = 0; i < MQTT_WINDOW_MAX; i++) {
        if (w->slot[i].id == 0)
            continue;
        FUZZ_CHECK(i < w->size);
        for (unsigned j = i + 1; j < w->size; j++)
            FUZZ_CHECK(w->slot[j].id != w->slot[i].id);
        used++;
    }
    FUZZ_CHECK(used == w->count && w->count <= w->size);
    FUZZ_CHECK(st->delivered + w->count == added);
    FUZZ_CHECK(st->pongs <= pings);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static struct mqtt_window w;
    struct mqtt_stats st;
    struct mqtt_session ss = {.w = &w, .st = &st};
    struct mqtt_rx rx;
    unsigned packets = 0;
    if (n < 2)
        return 0;
    memset(&st, 0, sizeof st);
    memset(&rx, 0, sizeof rx);
    added = pings = 0;
    mqtt_window_init(&w, d[0] % (MQTT_WINDOW_MAX + 2)); /* 0 and 33 are clamped */
    FUZZ_CHECK(w.size >= 1 && w.size <= MQTT_WINDOW_MAX);
    for (unsigned i = 0; i < d[1] % (MQTT_WINDOW_MAX + 8); i++)
        add(&w);
    check_window(&w, &st);
    if (n >= 6) /* a CONNACK check on the first bytes: a verdict, nothing else */
        FUZZ_CHECK(mqtt_connack_check(d + 2) <= 0);
    for (size_t i = 2; i < n; i++) {
        int rc = mqtt_rx_byte(&rx, d[i]);
        if (rc == MQTT_E_PROTOCOL)
            break; /* the session ends */
        FUZZ_CHECK(rc == MQTT_RX_MORE || rc == MQTT_RX_PACKET);
        if (rc != MQTT_RX_PACKET)
            continue;
        if (mqtt_session_packet(&ss, &rx) != 0)
            break;
        check_window(&w, &st);
        if (++packets % 8 == 0 && !ss.ping_out) {
            ss.ping_out = 1;
            pings++;
        }
        if (w.count < w.size)
            add(&w);
        check_window(&w, &st);
    }
    return 0;
}
