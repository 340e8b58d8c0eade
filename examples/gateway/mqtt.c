/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/mqtt.c
 * @brief MQTT 3.1.1 publisher (see mqtt.h): the session's I/O, in two
 * vthreads, over a link (TCP or TLS, link.h); the packets and the QoS 1
 * window are mqtt_proto.c's. The only shared state is the window, touched
 * between blocking calls only (cooperative scheduling: no locks needed).
 */
#include "mqtt.h"

#include <stdio.h>
#include <string.h>

#include "link.h"
#include "mqtt_proto.h"

struct mqtt_stats mqtt_stats;

static struct mqtt_config cfg;
static struct mqtt_window win;   /* QoS 1 messages not yet acknowledged */
static struct mqtt_session ss = {.w = &win, .st = &mqtt_stats};

static vt_sem_t acked;       /* posted by the reader on each packet */
static volatile int dead;    /* the reader saw the session end */
static vt_tick_t ping_at;

#define ACK_TIMEOUT_MS 10000u
#define CONNECT_TIMEOUT_MS 5000u
#define TLS_CONNECT_TIMEOUT_MS 20000u /* TCP and the handshake's curve arithmetic */
#define BACKOFF_MIN_MS 250u
#define BACKOFF_MAX_MS 8000u

int mqtt_msg_set(struct mqtt_msg *m, const char *topic, size_t topic_len, const char *payload,
                 size_t payload_len)
{
    if (topic_len == 0 || topic_len + payload_len > MQTT_MSG_DATA)
        return VT_EINVAL;
    m->topic_len = (uint8_t)topic_len;
    m->payload_len = (uint8_t)payload_len;
    memcpy(m->data, topic, topic_len);
    memcpy(m->data + topic_len, payload, payload_len);
    return 0;
}

static int send_publish(struct link *s, const struct mqtt_msg *m, uint16_t id, int dup)
{
    uint8_t b[MQTT_PUBLISH_MAX];
    size_t n = mqtt_put_publish(b, m, cfg.qos, id, dup);
    int rc = link_write(s, b, n);
    if (rc != (int)n)
        return rc < 0 ? rc : VT_EIO;
    mqtt_stats.published++;
    return 0;
}

/* ------------------------------------------------------------- reader */

static vt_thread_t reader_t;
#if MQTT_READER_STACK > 0
static uint8_t reader_stack[VT_STACK_SIZE(MQTT_READER_STACK)] __attribute__((aligned(16)));
#endif

/* The broker's packets, a buffer at a time, through mqtt_rx_byte(). */
static int reader(void *arg)
{
    struct link *s = arg;
    struct mqtt_rx rx = {0};
    uint8_t b[64];
    int n, rc = 0;

    while (rc == 0 && (n = link_read(s, b, sizeof b, VT_FOREVER)) > 0) {
        for (int i = 0; i < n && rc == 0; i++) {
            rc = mqtt_rx_byte(&rx, b[i]);
            if (rc == MQTT_RX_PACKET) {
                rc = mqtt_session_packet(&ss, &rx);
                vt_sem_post(&acked); /* the publisher looks at the window again */
            }
        }
    }
    if (rc == MQTT_E_PROTOCOL) {
        mqtt_stats.protocol_errors++;
        mqtt_stats.last_error = VT_EIO;
    } else if (n != VT_ECANCELED) {
        mqtt_stats.last_error = n == 0 ? VT_ENOTCONN : n;
    }
    dead = 1;
    return 0;
}

static int reader_start(struct link *s)
{
#if MQTT_READER_STACK > 0
    return vt_thread_create(&reader_t, reader_stack, sizeof reader_stack, "mqtt-rx", reader, s, 0);
#else
    return vt_thread_create_shared(&reader_t, cfg.reader_runstack, "mqtt-rx", reader, s, 0);
#endif
}

/* ---------------------------------------------------------- publisher */

/* One broker session: returns when it ends (after cleaning up). */
static void session(void)
{
    struct link *s;
    uint8_t b[64];
    size_t n;
    int rc;

    rc = link_connect(&s, &cfg.link, cfg.link.tls ? TLS_CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS);
    if (rc != 0) {
        mqtt_stats.connect_fails++;
        if (rc != mqtt_stats.last_error) /* say it once, not on every retry */
            printf("mqtt: connecting to the broker failed: %s\n", vt_strerror(rc));
        mqtt_stats.last_error = rc;
        return;
    }
    link_set_timeout(s, CONNECT_TIMEOUT_MS);
    n = mqtt_put_connect(b, cfg.client_id, cfg.keepalive);
    if ((rc = link_write(s, b, n)) != (int)n || (rc = link_read_exact(s, b, 4)) != 4 ||
        (rc = mqtt_connack_check(b)) != 0) {
        mqtt_stats.connect_fails++;
        if (rc == MQTT_E_PROTOCOL)
            mqtt_stats.protocol_errors++;
        if (rc == MQTT_E_REFUSED)
            mqtt_stats.last_error = VT_ECONNREFUSED;
        else if (rc == MQTT_E_PROTOCOL || rc >= 0) /* a bad CONNACK, a short write */
            mqtt_stats.last_error = VT_EIO;
        else
            mqtt_stats.last_error = rc;
        link_abort(s);
        return;
    }
    link_set_timeout(s, ACK_TIMEOUT_MS); /* writes: a broker this slow is gone */
    dead = 0;
    ss.ping_out = 0;
    if ((rc = reader_start(s)) != 0) { /* shared: no memory for its save area */
        mqtt_stats.connect_fails++;
        mqtt_stats.last_error = rc;
        link_abort(s);
        return;
    }
    mqtt_stats.connects++;
    mqtt_stats.connected = 1;
    mqtt_stats.backoff_ms = BACKOFF_MIN_MS;

    vt_tick_t last_tx = vt_now_ms();
    /* clean session: the broker forgot our ids; resend what was not acknowledged */
    for (int i = 0; i < win.size && !dead; i++) {
        struct mqtt_slot *sl = &win.slot[i];
        if (sl->id == 0)
            continue;
        sl->sent = vt_now_ms();
        if (send_publish(s, &sl->m, sl->id, sl->resend) != 0)
            goto out;
        mqtt_stats.retransmits++;
    }

    while (!dead) {
        vt_tick_t now = vt_now_ms();
        vt_tick_t half = (vt_tick_t)cfg.keepalive * 500u;
        vt_tick_t wait = 1000;
        struct mqtt_msg m;

        /* oldest unacknowledged message too old: the link is broken */
        for (int i = 0; i < win.size; i++)
            if (win.slot[i].id != 0 && now - win.slot[i].sent > ACK_TIMEOUT_MS) {
                mqtt_stats.last_error = VT_ETIMEDOUT;
                goto out;
            }
        if (ss.ping_out && now - ping_at > (vt_tick_t)cfg.keepalive * 1000u) {
            mqtt_stats.last_error = VT_ETIMEDOUT;
            goto out;
        }
        if (!ss.ping_out && now - last_tx >= half) {
            static const uint8_t pingreq[2] = {0xC0, 0};
            if (link_write(s, pingreq, 2) != 2)
                goto out;
            ss.ping_out = 1;
            ping_at = last_tx = now;
            mqtt_stats.pings++;
            continue;
        }
        if (!ss.ping_out && half - (now - last_tx) < wait)
            wait = half - (now - last_tx);

        if (cfg.qos && win.count == win.size) { /* window full: wait for a PUBACK */
            vt_sem_wait_timeout(&acked, wait);
            continue;
        }
        rc = vt_chan_recv_timeout(cfg.queue, &m, wait);
        if (rc == VT_ETIMEDOUT || rc == VT_EAGAIN)
            continue;
        if (rc != 0) /* closed: stop */
            goto out;
        if (cfg.qos) {
            struct mqtt_slot *sl = mqtt_window_add(&win, &m, vt_now_ms());
            mqtt_stats.inflight = win.count;
            if (send_publish(s, &m, sl->id, 0) != 0)
                goto out; /* kept in flight: resent after the reconnect */
        } else {
            if (send_publish(s, &m, 0, 0) != 0) {
                mqtt_stats.lost++; /* at most once: counted, not retried */
                goto out;
            }
            mqtt_stats.delivered++;
        }
        last_tx = vt_now_ms();
    }
out:
    vt_thread_cancel(&reader_t);
    vt_thread_join(&reader_t, NULL, VT_FOREVER);
    link_abort(s);
    mqtt_stats.connected = 0;
    mqtt_stats.disconnects++;
}

static int publisher(void *arg)
{
    (void)arg;
    mqtt_stats.backoff_ms = BACKOFF_MIN_MS;
    for (;;) {
        session();
        /* backoff with jitter, doubling up to the maximum; reset by a CONNACK */
        vt_sleep(mqtt_stats.backoff_ms / 2 + (vt_now_ms() * 7919u) % (mqtt_stats.backoff_ms / 2 + 1));
        mqtt_stats.backoff_ms = mqtt_stats.backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
                                                                          : mqtt_stats.backoff_ms * 2;
    }
    return 0;
}

int mqtt_start(const struct mqtt_config *c)
{
    static vt_thread_t pub_t;
    static uint8_t pub_stack[VT_STACK_SIZE(MQTT_PUB_STACK)] __attribute__((aligned(16)));
    cfg = *c;
    if (MQTT_READER_STACK == 0 && cfg.reader_runstack == NULL)
        return VT_EINVAL;
    if (cfg.window < 1 || cfg.window > MQTT_WINDOW_MAX)
        cfg.window = MQTT_WINDOW_MAX;
    if (cfg.qos > 1)
        cfg.qos = 1;
    if (cfg.keepalive == 0)
        cfg.keepalive = 60;
    mqtt_window_init(&win, cfg.window);
    vt_sem_init(&acked, 0);
    return vt_thread_create(&pub_t, pub_stack, sizeof pub_stack, "mqtt-pub", publisher, NULL,
                            VT_THREAD_DETACHED);
}
