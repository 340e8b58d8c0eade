/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/summary.c
 * @brief The gateway's periodic summary: CPU-bound work run with
 * vt_offload() (summary.h).
 *
 * Data flow: sensor threads append each valid line to a ring of the most
 * recent readings; every period the summary thread copies the ring into
 * the batch (only it writes the batch, and only while no job runs) and
 * hands the batch to summarize(), which reads nothing else: an offloaded
 * function may be preempted at any instruction, so it must not share
 * memory the threads change. Its result is published by the thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtt.h"
#include "netapp.h"
#include "summary.h"

enum { MODE_OFF, MODE_OFFLOAD, MODE_INLINE };
static const char *const mode_names[] = {"off", "offload", "inline"};

#define SENSORS_MAX 256 /* distinct ids summed up per run (more are counted once) */

struct result {
    unsigned lines, sensors, bytes, packed;
    int t_min, t_max, t_mean; /* tenths of a degree */
};

struct seen {
    uint32_t hash;     /* FNV-1a of the sensor id */
    unsigned count;
};

struct job {
    const char *p;     /* the batch */
    size_t n;
    unsigned window;   /* LZ77 search window */
    struct seen *seen; /* SENSORS_MAX entries */
    struct result r;
};

static struct {
    char *ring, *batch;
    struct seen *seen;
    size_t cap, head, len; /* ring: the most recent `len` bytes end at `head` */
    unsigned period, window;
    uint8_t mode;
    unsigned runs, last_ms, max_ms, published, unpublished;
    struct result last;
    vt_chan_t *queue;
} sm;

/* ------------------------------------------------ the job (no thread calls) */

/* "-5.3" -> -53, "40" -> 400: tenths, first decimal only */
static int tenths(const char *p, const char *end)
{
    int neg = 0, v = 0, frac = 0;
    if (p < end && *p == '-')
        neg = 1, p++;
    while (p < end && *p >= '0' && *p <= '9')
        v = v * 10 + (*p++ - '0');
    if (p + 1 < end && *p == '.')
        frac = p[1] - '0';
    v = v * 10 + frac;
    return neg ? -v : v;
}

/* Bytes of a greedy LZ77 packing of p[0..n): a literal costs 9 bits, a
 * match (3..258 bytes, within `window`) 24. The longest-match search is the
 * CPU-heavy part: up to `window` candidates per position. */
static unsigned lz77_bytes(const char *p, size_t n, unsigned window)
{
    unsigned long bits = 0;
    size_t i = 0;
    while (i < n) {
        size_t best = 0, from = i > window ? i - window : 0;
        for (size_t j = from; j < i; j++) {
            size_t k = 0;
            while (i + k < n && k < 258 && p[j + k] == p[i + k])
                k++;
            if (k > best)
                best = k;
        }
        if (best >= 3) {
            bits += 24;
            i += best;
        } else {
            bits += 9;
            i++;
        }
    }
    return (unsigned)((bits + 7) / 8);
}

static int summarize(void *arg)
{
    struct job *j = arg;
    struct seen *seen = j->seen;
    const char *p = j->p, *end = p + j->n;
    long t_sum = 0;
    memset(seen, 0, SENSORS_MAX * sizeof *seen);
    memset(&j->r, 0, sizeof j->r);
    j->r.t_min = 10000;
    j->r.t_max = -10000;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *sp1, *sp2;
        uint32_t h = 2166136261u;
        if (eol == NULL)
            break;
        sp1 = memchr(p, ' ', (size_t)(eol - p));
        sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
        if (sp2 != NULL) {
            int t = tenths(sp1 + 1, sp2);
            for (const char *c = p; c < sp1; c++)
                h = (h ^ (uint8_t)*c) * 16777619u; /* FNV-1a of the id */
            for (unsigned k = 0; k < SENSORS_MAX; k++) {
                unsigned s = (h + k) % SENSORS_MAX;
                if (seen[s].count == 0 || seen[s].hash == h) {
                    if (seen[s].count++ == 0) {
                        seen[s].hash = h;
                        j->r.sensors++;
                    }
                    break;
                }
            }
            j->r.lines++;
            t_sum += t;
            if (t < j->r.t_min)
                j->r.t_min = t;
            if (t > j->r.t_max)
                j->r.t_max = t;
        }
        p = eol + 1;
        if (vt_offload_cancelled())
            return VT_ECANCELED;
    }
    j->r.t_mean = j->r.lines ? (int)(t_sum / (long)j->r.lines) : 0;
    j->r.bytes = (unsigned)j->n;
    j->r.packed = lz77_bytes(j->p, j->n, j->window);
    return 0;
}

/* -------------------------------------------------------------- threads */

void summary_record(const char *line, size_t n)
{
    if (sm.ring == NULL || n + 1 > sm.cap)
        return; /* kept in every mode: a mode switch finds a full batch */
    for (size_t i = 0; i <= n; i++) {
        sm.ring[sm.head] = i < n ? line[i] : '\n';
        sm.head = sm.head + 1 == sm.cap ? 0 : sm.head + 1;
    }
    sm.len = sm.len + n + 1 > sm.cap ? sm.cap : sm.len + n + 1;
}

/* the ring's contents, oldest first, from the first whole line */
static size_t snapshot(void)
{
    size_t start = (sm.head + sm.cap - sm.len) % sm.cap, n = 0, skip = 0;
    for (size_t i = 0; i < sm.len; i++)
        sm.batch[n++] = sm.ring[(start + i) % sm.cap];
    if (sm.len == sm.cap) /* wrapped: the first line may be cut */
        while (skip < n && sm.batch[skip++] != '\n') {
        }
    memmove(sm.batch, sm.batch + skip, n - skip);
    return n - skip;
}

static void publish(const struct result *r)
{
    static const char topic[] = "gateway/summary";
    struct mqtt_msg m;
    char payload[80];
    int n = snprintf(payload, sizeof payload,
                     "{\"lines\":%u,\"sensors\":%u,\"t\":[%d,%d,%d],\"bytes\":%u,\"packed\":%u}",
                     r->lines, r->sensors, r->t_min, r->t_mean, r->t_max, r->bytes, r->packed);
    if (n > 0 && mqtt_msg_set(&m, topic, sizeof topic - 1, payload, (size_t)n) == 0 &&
        vt_chan_trysend(sm.queue, &m) == 0)
        sm.published++;
    else
        sm.unpublished++; /* the readings come first: no waiting for room */
}

static int summary_thread(void *arg)
{
    struct job *job = arg; /* on the heap: the thread may run on a shared stack */
    for (;;) {
        vt_tick_t t0;
        int rc, mode;
        vt_sleep(sm.period);
        mode = sm.mode;
        if (mode == MODE_OFF || sm.len == 0)
            continue;
        job->p = sm.batch;
        job->n = snapshot();
        job->window = sm.window;
        job->seen = sm.seen;
        t0 = vt_now_ms();
        if (mode == MODE_OFFLOAD)
            rc = vt_offload("summary", summarize, job, NULL, VT_FOREVER);
        else
            rc = summarize(job); /* inline: every other thread waits meanwhile */
        sm.last_ms = vt_now_ms() - t0;
        if (sm.last_ms > sm.max_ms)
            sm.max_ms = sm.last_ms;
        sm.runs++;
        if (rc == 0) {
            sm.last = job->r;
            publish(&job->r);
        }
    }
    return 0;
}

/* the mode named at @p s (ended by the string's end, a space or '&') */
static uint8_t mode_of(const char *s)
{
    size_t n = strcspn(s, " &\r\n");
    for (uint8_t m = 0; m < sizeof mode_names / sizeof mode_names[0]; m++)
        if (strlen(mode_names[m]) == n && strncmp(s, mode_names[m], n) == 0)
            return m;
    return 0xFF;
}

int summary_start(int argc, char **argv, vt_chan_t *queue)
{
    struct {
        vt_thread_t t;
        struct job job;
    } *rt; /* nothing in RAM while the summary is off */
    sm.period = (unsigned)atoi(netapp_opt(argc, argv, "summary", "0"));
    if (sm.period == 0)
        return 0;
    sm.mode = mode_of(netapp_opt(argc, argv, "summary_mode", "offload"));
    if (sm.mode == 0xFF)
        sm.mode = MODE_OFFLOAD;
    sm.cap = (size_t)atoi(netapp_opt(argc, argv, "summary_batch", "8192"));
    sm.window = (unsigned)atoi(netapp_opt(argc, argv, "summary_window", "4096"));
    sm.queue = queue;
    sm.ring = malloc(sm.cap);
    sm.batch = malloc(sm.cap);
    sm.seen = malloc(SENSORS_MAX * sizeof *sm.seen);
    rt = calloc(1, sizeof *rt);
    if (sm.cap < 64 || sm.ring == NULL || sm.batch == NULL || sm.seen == NULL || rt == NULL) {
        printf("gateway: no memory for a %u-byte summary batch\n", (unsigned)sm.cap);
        free(sm.ring);
        free(sm.batch);
        free(sm.seen);
        free(rt);
        sm.ring = sm.batch = NULL;
        return VT_ENOMEM;
    }
    return netapp_thread(&rt->t, 1024, "summary", summary_thread, &rt->job, VT_THREAD_DETACHED);
}

int summary_http(const char *query, char *buf, size_t len)
{
    vt_offload_stats_t st;
    if (query[0] == '?' && sm.ring != NULL) {
        uint8_t m = mode_of(query + 1);
        if (m != 0xFF)
            sm.mode = m;
    }
    vt_offload_stats(&st); /* preempt_us_max: the kernel's own part of the latency */
    return snprintf(buf, len,
                    "{\"mode\":\"%s\",\"period_ms\":%u,\"runs\":%u,\"last_ms\":%u,\"max_ms\":%u,"
                    "\"published\":%u,\"unpublished\":%u,\"lines\":%u,\"sensors\":%u,"
                    "\"t\":[%d,%d,%d],\"bytes\":%u,\"packed\":%u,\"preemptions\":%lu,"
                    "\"preempt_us_max\":%lu}\n",
                    sm.ring ? mode_names[sm.mode] : "off", sm.period, sm.runs, sm.last_ms,
                    sm.max_ms, sm.published, sm.unpublished, sm.last.lines, sm.last.sensors,
                    sm.last.t_min, sm.last.t_mean, sm.last.t_max, sm.last.bytes,
                    sm.last.packed, (unsigned long)st.preemptions,
                    (unsigned long)st.preempt_us_max);
}
