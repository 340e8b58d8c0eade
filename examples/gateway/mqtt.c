/**
 * @file examples/gateway/mqtt.c
 * @brief MQTT 3.1.1 publisher (see mqtt.h): CONNECT, PUBLISH QoS 0/1,
 * PUBACK, PINGREQ/PINGRESP, reconnect with backoff. Plain sequential code in
 * two vthreads; the only shared state is the in-flight table, touched
 * between blocking calls only (cooperative scheduling: no locks needed).
 */
#include "mqtt.h"

#include <stdio.h>
#include <string.h>

#include "link.h"

struct mqtt_stats mqtt_stats;

static struct mqtt_config cfg;

/* QoS 1 messages written (or to be rewritten after a reconnect), not yet acknowledged */
static struct {
    struct mqtt_msg m;
    vt_tick_t sent;
    uint16_t id;    /* 0: free slot */
    uint8_t resend; /* written in an earlier session: DUP on the next one */
} inflight[MQTT_WINDOW_MAX];
static uint16_t next_id;

static vt_sem_t acked;       /* posted by the reader on each PUBACK */
static volatile int dead;    /* the reader saw the session end */
static volatile int ping_out;
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

/* ------------------------------------------------------------ packets */

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

static int send_connect(struct link *s)
{
    uint8_t b[64];
    size_t idlen = strlen(cfg.client_id), n = 0;
    if (idlen > 23)
        idlen = 23;
    b[n++] = 0x10;
    n += put_len(b + n, 10 + 2 + idlen);
    memcpy(b + n, "\0\4MQTT\4", 7); /* protocol name, level 4 (3.1.1) */
    n += 7;
    b[n++] = 0x02;                  /* clean session */
    b[n++] = (uint8_t)(cfg.keepalive >> 8);
    b[n++] = (uint8_t)cfg.keepalive;
    b[n++] = 0;
    b[n++] = (uint8_t)idlen;
    memcpy(b + n, cfg.client_id, idlen);
    n += idlen;
    return link_write(s, b, n) == (int)n ? 0 : VT_EIO;
}

static int send_publish(struct link *s, const struct mqtt_msg *m, uint16_t id, int dup)
{
    uint8_t b[8 + MQTT_MSG_DATA];
    size_t n = 0, rem = 2u + m->topic_len + m->payload_len + (cfg.qos ? 2u : 0u);
    int rc;
    b[n++] = (uint8_t)(0x30 | (dup ? 0x08 : 0) | (cfg.qos << 1));
    n += put_len(b + n, rem);
    b[n++] = 0;
    b[n++] = m->topic_len;
    memcpy(b + n, m->data, m->topic_len);
    n += m->topic_len;
    if (cfg.qos) {
        b[n++] = (uint8_t)(id >> 8);
        b[n++] = (uint8_t)id;
    }
    memcpy(b + n, m->data + m->topic_len, m->payload_len);
    n += m->payload_len;
    rc = link_write(s, b, n);
    if (rc != (int)n)
        return rc < 0 ? rc : VT_EIO;
    mqtt_stats.published++;
    return 0;
}

/* ------------------------------------------------------------- reader */

static vt_thread_t reader_t;
static uint8_t reader_stack[VT_STACK_SIZE(MQTT_READER_STACK)] __attribute__((aligned(16)));

/* buffered input: the next byte, or an error (VT_ENOTCONN at end of stream) */
struct rbuf {
    struct link *s;
    int have, pos;
    uint8_t b[64];
};

static int getb(struct rbuf *r)
{
    if (r->pos == r->have) {
        int n = link_read(r->s, r->b, sizeof r->b, VT_FOREVER);
        if (n <= 0)
            return n == 0 ? VT_ENOTCONN : n;
        r->have = n;
        r->pos = 0;
    }
    return r->b[r->pos++];
}

static int reader(void *arg)
{
    struct rbuf r = {.s = arg};
    int c;

    for (;;) {
        uint8_t hdr, body[2] = {0, 0};
        size_t len = 0;
        int shift = 0;
        /* one packet: type byte, remaining length (varint), body */
        if ((c = getb(&r)) < 0)
            break;
        hdr = (uint8_t)c;
        do {
            if ((c = getb(&r)) < 0)
                goto end;
            len |= (size_t)(c & 0x7F) << shift;
            shift += 7;
        } while ((c & 0x80) && shift < 28);
        for (size_t got = 0; got < len; got++) {
            if ((c = getb(&r)) < 0)
                goto end;
            if (got < sizeof body)
                body[got] = (uint8_t)c;
        }
        switch (hdr >> 4) {
        case 4: /* PUBACK */
            if (len >= 2) {
                uint16_t id = (uint16_t)(body[0] << 8 | body[1]);
                for (int i = 0; i < MQTT_WINDOW_MAX; i++)
                    if (inflight[i].id == id) {
                        inflight[i].id = 0;
                        mqtt_stats.inflight--;
                        mqtt_stats.delivered++;
                        vt_sem_post(&acked);
                        break;
                    }
            }
            break;
        case 13: /* PINGRESP */
            ping_out = 0;
            mqtt_stats.pongs++;
            break;
        default: /* nothing else is expected from a broker we only publish to */
            break;
        }
    }
end:
    if (c != VT_ECANCELED)
        mqtt_stats.last_error = c;
    dead = 1;
    return 0;
}

/* ---------------------------------------------------------- publisher */

static int free_slot(void)
{
    for (int i = 0; i < cfg.window; i++)
        if (inflight[i].id == 0)
            return i;
    return -1;
}

/* One broker session: returns when it ends (after cleaning up). */
static void session(void)
{
    struct link *s;
    uint8_t ack[4];
    int rc;

    rc = link_connect(&s, &cfg.link, cfg.link.tls ? TLS_CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS);
    if (rc != 0) {
        mqtt_stats.connect_fails++;
        if (rc != mqtt_stats.last_error) /* say it once, not on every retry */
            printf("mqtt: connecting to the broker failed: %s\n", vt_net_strerror(rc));
        mqtt_stats.last_error = rc;
        return;
    }
    link_set_timeout(s, CONNECT_TIMEOUT_MS);
    if (send_connect(s) != 0 || (rc = link_read_exact(s, ack, 4)) != 4 || ack[0] != 0x20 ||
        ack[3] != 0) {
        mqtt_stats.connect_fails++;
        mqtt_stats.last_error = rc < 0 ? rc : VT_ECONNREFUSED;
        link_abort(s);
        return;
    }
    link_set_timeout(s, ACK_TIMEOUT_MS); /* writes: a broker this slow is gone */
    mqtt_stats.connects++;
    mqtt_stats.connected = 1;
    mqtt_stats.backoff_ms = BACKOFF_MIN_MS;
    dead = 0;
    ping_out = 0;
    vt_thread_create(&reader_t, reader_stack, sizeof reader_stack, "mqtt-rx", reader, s, 0);

    vt_tick_t last_tx = vt_now_ms();
    /* clean session: the broker forgot our ids; resend what was not acknowledged */
    for (int i = 0; i < MQTT_WINDOW_MAX && !dead; i++)
        if (inflight[i].id != 0) {
            inflight[i].sent = vt_now_ms();
            if (send_publish(s, &inflight[i].m, inflight[i].id, inflight[i].resend) != 0)
                goto out;
            inflight[i].resend = 1;
            mqtt_stats.retransmits++;
        }

    while (!dead) {
        vt_tick_t now = vt_now_ms();
        vt_tick_t half = (vt_tick_t)cfg.keepalive * 500u;
        vt_tick_t wait = 1000;
        struct mqtt_msg m;
        int slot;

        /* oldest unacknowledged message too old: the link is broken */
        for (int i = 0; i < MQTT_WINDOW_MAX; i++)
            if (inflight[i].id != 0 && now - inflight[i].sent > ACK_TIMEOUT_MS) {
                mqtt_stats.last_error = VT_ETIMEDOUT;
                goto out;
            }
        if (ping_out && now - ping_at > (vt_tick_t)cfg.keepalive * 1000u) {
            mqtt_stats.last_error = VT_ETIMEDOUT;
            goto out;
        }
        if (!ping_out && now - last_tx >= half) {
            static const uint8_t pingreq[2] = {0xC0, 0};
            if (link_write(s, pingreq, 2) != 2)
                goto out;
            ping_out = 1;
            ping_at = last_tx = now;
            mqtt_stats.pings++;
            continue;
        }
        if (!ping_out && half - (now - last_tx) < wait)
            wait = half - (now - last_tx);

        slot = cfg.qos ? free_slot() : 0;
        if (slot < 0) { /* window full: wait for a PUBACK */
            vt_sem_wait_timeout(&acked, wait);
            continue;
        }
        rc = vt_chan_recv_timeout(cfg.queue, &m, wait);
        if (rc == VT_ETIMEDOUT || rc == VT_EAGAIN)
            continue;
        if (rc != 0) /* closed: stop */
            goto out;
        if (cfg.qos) {
            if (++next_id == 0)
                next_id = 1;
            inflight[slot].m = m;
            inflight[slot].id = next_id;
            inflight[slot].resend = 1;
            inflight[slot].sent = vt_now_ms();
            mqtt_stats.inflight++;
            if (send_publish(s, &m, next_id, 0) != 0)
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
    if (cfg.window < 1 || cfg.window > MQTT_WINDOW_MAX)
        cfg.window = MQTT_WINDOW_MAX;
    if (cfg.qos > 1)
        cfg.qos = 1;
    if (cfg.keepalive == 0)
        cfg.keepalive = 60;
    vt_sem_init(&acked, 0);
    return vt_thread_create(&pub_t, pub_stack, sizeof pub_stack, "mqtt-pub", publisher, NULL,
                            VT_THREAD_DETACHED);
}
