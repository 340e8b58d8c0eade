/* SPDX-License-Identifier: MIT */
/**
 * @file net/tls.c
 * @brief TLS 1.2 client streams for vthreads (vt/tls.h) over vt_tcp_*,
 * with Mbed TLS 2.28 (configured by net/tls/mbedtls_config.h).
 *
 * Why a layer of our own over vt_tcp rather than lwIP's altcp_tls: altcp
 * runs Mbed TLS inside lwIP's callbacks, where nothing may block, so the
 * handshake's seconds of curve arithmetic would run in the poller's
 * callback and every blocking caller would need altcp's callback API
 * wrapped again. Here Mbed TLS runs in the calling vthread and its
 * transport callbacks are vt_tcp_read/vt_tcp_write: they block that thread
 * only, and the socket layer's timeouts, cancellation and error codes come
 * through unchanged.
 *
 * Transport callbacks never hand a vthread error to Mbed TLS (its own codes
 * overlap ours): they keep it in the stream (io_err) and return WANT_READ
 * or WANT_WRITE, so Mbed TLS keeps its state and the call returns the
 * vthread code. A read that timed out or was cancelled can be repeated;
 * a failed write breaks the stream (part of a record may have gone).
 *
 * One reader and one writer may use a stream at once: Mbed TLS's context is
 * not reentrant, so calls take a per-stream mutex around it, and a reader
 * waits for data before taking it, so an idle reader keeps no writer out.
 *
 * Memory: every Mbed TLS allocation goes through a counting calloc/free
 * (8-byte header each), which is what the RAM figures report.
 */
#include <stdio.h>
#include <string.h>

#include "mbedtls/ecp.h"
#include "mbedtls/hmac_drbg.h"
#include "mbedtls/pk.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include "net_priv.h"
#include "tls/entropy.h"
#include "vt/tls.h"

#define SOCK_TIMEOUT ((vt_tick_t)-2)

struct vt_tls_config {
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca, cert;
    mbedtls_pk_context key;
    uint8_t has_cert;
};

struct vt_tls {
    mbedtls_ssl_context ssl;
    const struct vt_tls_config *cfg;
    vt_tcp_t *tcp;
    vt_mutex_t lock;         /* one call inside Mbed TLS at a time */
    vt_tick_t timeout;       /* of reads and writes (vt_tls_set_timeout) */
    vt_deadline_t deadline;  /* of the call running now */
    uint64_t blocked_us;     /* time spent inside the transport callbacks */
    int io_err;              /* what the transport said, for the call running now */
    int err;                 /* sticky: the stream is broken */
    uint8_t eof;
};

static mbedtls_hmac_drbg_context drbg;
static int drbg_state;       /* 0: not yet, 1: seeded, < 0: failed with that code */
static enum board_entropy_kind entropy_kind;
static uint64_t time_base_s, time_mark_us;
static uint8_t time_set;
static vt_tls_stats_t st = {.record_max = VT_TLS_RECORD_MAX};

/* -------------------------------------------------------------- memory */

/* Every block Mbed TLS gets carries its size in an 8-byte header (keeps
 * 8-byte alignment); that is what the figures count. The blocks come from
 * the C library's heap or, after vt_tls_arena(), from an arena of TLS's
 * own. There the free blocks form a list in address order (the header's
 * low bit marks a block in use); an allocation takes the smallest that
 * fits (best fit: 96 bytes less at the handshake's peak than first fit)
 * and a free merges the block with free neighbours. The curve arithmetic
 * allocates and frees thousands of times a handshake, so only the free
 * blocks, a few, are walked. */
struct free_block {
    uint64_t size; /* with the header, a multiple of 8 */
    struct free_block *next;
};

static uint8_t *arena;
static size_t arena_len;
static struct free_block *free_list;

#define IN_USE 1u

int vt_tls_arena(void *mem, size_t len)
{
    uintptr_t a = ((uintptr_t)mem + 7) & ~(uintptr_t)7;
    if (mem == NULL || arena != NULL || st.heap_now != 0 || len < 256)
        return VT_EINVAL;
    arena = (uint8_t *)a;
    arena_len = (len - (a - (uintptr_t)mem)) & ~(size_t)7;
    free_list = (struct free_block *)arena;
    free_list->size = arena_len;
    free_list->next = NULL;
    st.arena_size = (uint32_t)arena_len;
    return 0;
}

/* A block of @p bytes (header included, a multiple of 8) from the arena. */
static uint64_t *arena_alloc(size_t bytes)
{
    struct free_block **best = NULL, *b;
    size_t sz;
    for (struct free_block **pp = &free_list; *pp != NULL; pp = &(*pp)->next)
        if ((*pp)->size >= bytes && (best == NULL || (*pp)->size < (*best)->size))
            best = pp;
    if (best == NULL)
        return NULL;
    b = *best;
    sz = (size_t)b->size;
    if (sz - bytes >= sizeof(struct free_block)) { /* the rest stays free */
        struct free_block *rest = (struct free_block *)((uint8_t *)b + bytes);
        rest->size = sz - bytes;
        rest->next = b->next;
        *best = rest;
        sz = bytes;
    } else {
        *best = b->next;
    }
    if ((uint32_t)((uint8_t *)b + sz - arena) > st.arena_high)
        st.arena_high = (uint32_t)((uint8_t *)b + sz - arena);
    memset(b, 0, sz);
    *(uint64_t *)b = sz | IN_USE;
    return (uint64_t *)b;
}

/* Block @p h back to the arena's free list, merged with free neighbours. */
static void arena_free(uint64_t *h)
{
    struct free_block *b = (struct free_block *)h, *prev = NULL, *next = free_list;
    b->size = *h & ~(uint64_t)IN_USE;
    while (next != NULL && next < b) {
        prev = next;
        next = next->next;
    }
    b->next = next;
    if (next != NULL && (uint8_t *)b + b->size == (uint8_t *)next) {
        b->size += next->size;
        b->next = next->next;
    }
    if (prev != NULL && (uint8_t *)prev + prev->size == (uint8_t *)b) {
        prev->size += b->size;
        prev->next = b->next;
    } else if (prev != NULL) {
        prev->next = b;
    } else {
        free_list = b;
    }
}

static void *tls_calloc(size_t n, size_t size)
{
    size_t bytes;
    uint64_t *p;
    if (size != 0 && n > (SIZE_MAX - 16) / size)
        return NULL;
    bytes = n * size + 8;
    if (arena != NULL) {
        /* a multiple of 8, and room for the free-list link once freed */
        p = arena_alloc(bytes < sizeof(struct free_block) ? sizeof(struct free_block)
                                                          : (bytes + 7) & ~(size_t)7);
        if (p != NULL)
            bytes = (size_t)(*p & ~(uint64_t)IN_USE);
    } else {
        p = calloc(1, bytes);
        if (p != NULL)
            *p = bytes;
    }
    if (p == NULL) {
        st.alloc_failures++;
        return NULL;
    }
    st.heap_now += (uint32_t)bytes;
    if (st.heap_now > st.heap_peak)
        st.heap_peak = st.heap_now;
    return p + 1;
}

static void tls_free(void *ptr)
{
    uint64_t *p = ptr;
    if (p == NULL)
        return;
    p--;
    if (arena != NULL) {
        st.heap_now -= (uint32_t)(*p & ~(uint64_t)IN_USE);
        arena_free(p);
    } else {
        st.heap_now -= (uint32_t)*p;
        free(p);
    }
}

/* ---------------------------------------------------------- time, RNG */

/* Mbed TLS's clock (MBEDTLS_PLATFORM_TIME_MACRO): checks certificate dates */
time_t vt_tls_time(time_t *out)
{
    time_t t = (time_t)(time_base_s + (vt_now_us() - time_mark_us) / 1000000u);
    if (out != NULL)
        *out = t;
    return t;
}

void vt_tls_set_time(uint64_t unix_seconds)
{
    time_base_s = unix_seconds;
    time_mark_us = vt_now_us();
    time_set = 1;
}

/* A minimal health test of raw entropy: a source stuck at one value (a
 * device returning zeros, a seed of one repeated byte) is refused. */
static int varied(const uint8_t *p, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (p[i] != p[0])
            return 1;
    return 0;
}

int vt_tls_init(void)
{
    uint8_t seed[48];
    const char *name = NULL;
    size_t n;
    int rc;

    if (drbg_state != 0)
        return drbg_state > 0 ? 0 : drbg_state;
    mbedtls_platform_set_calloc_free(tls_calloc, tls_free);
    entropy_kind = board_entropy_kind(&name);
    if (entropy_kind == BOARD_ENTROPY_NONE) {
        printf("tls: no entropy source (%s): TLS will not start\n", name ? name : "none on this board");
        return drbg_state = VT_ETLS_NOENTROPY;
    }
    if (entropy_kind == BOARD_ENTROPY_TEST_SEED) {
        st.test_seed = 1;
        printf("tls: WARNING: randomness comes from a TEST SEED (%s), not from a random "
               "generator: keys are predictable to whoever knows the seed; for tests only\n",
               name);
    } else {
        printf("tls: entropy from %s\n", name);
    }
    /* a hardware source gives entropy and nonce (SP 800-90A); a seed is
     * used as it is: 256 bits, read once */
    n = entropy_kind == BOARD_ENTROPY_HARDWARE ? sizeof seed : 32;
    rc = board_entropy_read(seed, n);
    if (rc == 0 && !varied(seed, n))
        rc = VT_ETLS_NOENTROPY;
    if (rc != 0) {
        printf("tls: the entropy source (%s) failed or gave constant bytes: TLS will not start\n",
               name);
        mbedtls_platform_zeroize(seed, sizeof seed);
        return drbg_state = VT_ETLS_NOENTROPY;
    }
    mbedtls_hmac_drbg_init(&drbg);
    rc = mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), seed, n);
    mbedtls_platform_zeroize(seed, sizeof seed);
    if (rc != 0)
        return drbg_state = rc == MBEDTLS_ERR_MD_ALLOC_FAILED ? VT_ENOMEM : VT_ETLS_CRYPTO;
    drbg_state = 1;
    return 0;
}

/* Before a handshake: fresh bytes from a hardware source into the DRBG. */
static int refresh_entropy(void)
{
    uint8_t fresh[32];
    int rc;
    if (entropy_kind != BOARD_ENTROPY_HARDWARE)
        return 0;
    if (board_entropy_read(fresh, sizeof fresh) != 0 || !varied(fresh, sizeof fresh))
        return VT_ETLS_NOENTROPY;
    rc = mbedtls_hmac_drbg_update_ret(&drbg, fresh, sizeof fresh);
    mbedtls_platform_zeroize(fresh, sizeof fresh);
    return rc == 0 ? 0 : VT_ETLS_CRYPTO;
}

/* ---------------------------------------------------------- errors */

/* Mbed TLS reports some allocation failures as something else: a
 * certificate whose signature could not be checked for want of memory is
 * "not trusted". When the heap refused Mbed TLS anything during a call
 * that failed (since @p failures_before), that is the error. */
static int or_enomem(int rc, uint32_t failures_before)
{
    return rc != 0 && st.alloc_failures != failures_before ? VT_ENOMEM : rc;
}

/* Mbed TLS's code @p r, after the transport said nothing, as a vthread code. */
static int map_error(struct vt_tls *t, int r)
{
    int low = -(-r & 0x7F);  /* the low-level module's part, if combined */
    switch (r) {
    case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED: {
        uint32_t f = mbedtls_ssl_get_verify_result(&t->ssl);
        st.verify_flags = f;
        if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
            return VT_ETLS_UNTRUSTED;
        if (f & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE))
            return VT_ETLS_EXPIRED;
        if (f & MBEDTLS_X509_BADCERT_CN_MISMATCH)
            return VT_ETLS_HOSTNAME;
        return VT_ETLS_BADCERT;
    }
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
        /* after a CertificateRequest we had nothing to answer with */
        if (t->ssl.client_auth && !t->cfg->has_cert)
            return VT_ETLS_NOCLIENTCERT;
        return VT_ETLS_ALERT;
    case MBEDTLS_ERR_SSL_CONN_EOF:
    case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
        return VT_ETLS_PEER_CLOSED;
    case MBEDTLS_ERR_SSL_ALLOC_FAILED:
    case MBEDTLS_ERR_ECP_ALLOC_FAILED:
    case MBEDTLS_ERR_PK_ALLOC_FAILED:
    case MBEDTLS_ERR_X509_ALLOC_FAILED:
        return VT_ENOMEM;
    case MBEDTLS_ERR_SSL_INVALID_MAC:
    case MBEDTLS_ERR_SSL_INVALID_RECORD:
    case MBEDTLS_ERR_SSL_UNEXPECTED_RECORD:
        return VT_ETLS_RECORD;
    default:
        break;
    }
    if (low == MBEDTLS_ERR_MPI_ALLOC_FAILED || r == MBEDTLS_ERR_MPI_ALLOC_FAILED)
        return VT_ENOMEM;
    if ((-r & 0x7F80) >= 0x6000) /* the SSL module's own codes */
        return VT_ETLS_HANDSHAKE;
    return VT_ETLS_CRYPTO;
}

/* ------------------------------------------------- transport callbacks */

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct vt_tls *t = ctx;
    uint64_t t0 = vt_now_us();
    int n = vt_tcp_write_timeout(t->tcp, buf, len, net_step_timeout(&t->deadline));
    t->blocked_us += vt_now_us() - t0;
    if (n >= 0)
        return n;
    t->io_err = n;
    return MBEDTLS_ERR_SSL_WANT_WRITE;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    struct vt_tls *t = ctx;
    uint64_t t0 = vt_now_us();
    int n = vt_tcp_read_timeout(t->tcp, buf, len, net_step_timeout(&t->deadline));
    t->blocked_us += vt_now_us() - t0;
    if (n >= 0)
        return n; /* 0: end of stream (Mbed TLS: CONN_EOF) */
    t->io_err = n;
    return MBEDTLS_ERR_SSL_WANT_READ;
}

/* A call's bounds: its timeout (SOCK_TIMEOUT: the stream's) and deadline.
 * The reader and the writer each keep theirs; the stream holds the bounds
 * of the call inside Mbed TLS (the transport callbacks use them). */
struct call {
    vt_deadline_t deadline;
};

static struct call call_begin(struct vt_tls *t, vt_tick_t timeout)
{
    struct call c;
    c.deadline = vt_deadline_in(timeout == SOCK_TIMEOUT ? t->timeout : timeout);
    return c;
}

/* Take the context for call @p c, within its bounds. */
static int lock(struct vt_tls *t, const struct call *c)
{
    int rc = vt_mutex_lock_until(&t->lock, &c->deadline);
    if (rc != 0)
        return rc;
    t->deadline = c->deadline;
    t->io_err = 0;
    return 0;
}

/* --------------------------------------------------------- configuration */

/* PEM needs its terminating NUL inside the length; add it when missing. */
static int parse_crt(mbedtls_x509_crt *crt, const uint8_t *p, size_t n)
{
    uint8_t *copy;
    int rc;
    if (n == 0 || p[n - 1] == 0 || p[0] == 0x30 /* DER */)
        return mbedtls_x509_crt_parse(crt, p, n);
    copy = tls_calloc(1, n + 1);
    if (copy == NULL)
        return MBEDTLS_ERR_X509_ALLOC_FAILED;
    memcpy(copy, p, n);
    rc = mbedtls_x509_crt_parse(crt, copy, n + 1);
    tls_free(copy);
    return rc;
}

static int parse_key(mbedtls_pk_context *pk, const uint8_t *p, size_t n)
{
    uint8_t *copy;
    int rc;
    if (n == 0 || p[n - 1] == 0 || p[0] == 0x30)
        return mbedtls_pk_parse_key(pk, p, n, NULL, 0);
    copy = tls_calloc(1, n + 1);
    if (copy == NULL)
        return MBEDTLS_ERR_PK_ALLOC_FAILED;
    memcpy(copy, p, n);
    rc = mbedtls_pk_parse_key(pk, copy, n + 1, NULL, 0);
    mbedtls_platform_zeroize(copy, n);
    tls_free(copy);
    return rc;
}

static unsigned char mfl_code(void)
{
    switch (VT_TLS_RECORD_MAX) {
    case 512: return MBEDTLS_SSL_MAX_FRAG_LEN_512;
    case 1024: return MBEDTLS_SSL_MAX_FRAG_LEN_1024;
    case 2048: return MBEDTLS_SSL_MAX_FRAG_LEN_2048;
    default: return MBEDTLS_SSL_MAX_FRAG_LEN_4096;
    }
}

int vt_tls_config_init(vt_tls_config_t **out, const void *ca, size_t ca_len, const void *cert,
                       size_t cert_len, const void *key, size_t key_len)
{
    struct vt_tls_config *c;
    uint32_t failures = st.alloc_failures;
    int rc;

    if (out == NULL || ca == NULL || ca_len == 0 || (cert == NULL) != (key == NULL))
        return VT_EINVAL;
    rc = vt_tls_init();
    if (rc != 0)
        return rc;
    c = tls_calloc(1, sizeof *c);
    if (c == NULL)
        return VT_ENOMEM;
    mbedtls_ssl_config_init(&c->conf);
    mbedtls_x509_crt_init(&c->ca);
    mbedtls_x509_crt_init(&c->cert);
    mbedtls_pk_init(&c->key);
    rc = parse_crt(&c->ca, ca, ca_len);
    if (rc == 0 && cert != NULL) {
        rc = parse_crt(&c->cert, cert, cert_len);
        if (rc == 0)
            rc = parse_key(&c->key, key, key_len);
        if (rc == 0)
            rc = mbedtls_pk_check_pair(&c->cert.pk, &c->key);
        c->has_cert = 1;
    }
    if (rc != 0) {
        vt_tls_config_free(c);
        return or_enomem(VT_ETLS_CONFIG, failures);
    }
    rc = mbedtls_ssl_config_defaults(&c->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                     MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc == 0)
        rc = mbedtls_ssl_conf_max_frag_len(&c->conf, mfl_code());
    if (rc == 0 && c->has_cert)
        rc = mbedtls_ssl_conf_own_cert(&c->conf, &c->cert, &c->key);
    if (rc != 0) {
        vt_tls_config_free(c);
        return or_enomem(VT_ETLS_CONFIG, failures);
    }
    mbedtls_ssl_conf_min_version(&c->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&c->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&c->conf, &c->ca, NULL);
    mbedtls_ssl_conf_rng(&c->conf, mbedtls_hmac_drbg_random, &drbg);
    *out = c;
    return 0;
}

void vt_tls_config_free(vt_tls_config_t *c)
{
    if (c == NULL)
        return;
    mbedtls_ssl_config_free(&c->conf);
    mbedtls_x509_crt_free(&c->ca);
    mbedtls_x509_crt_free(&c->cert);
    mbedtls_pk_free(&c->key);
    tls_free(c);
}

/* ----------------------------------------------------------- streams */

static void stream_free(struct vt_tls *t)
{
    mbedtls_ssl_free(&t->ssl);
    tls_free(t);
}

static int fail(int rc)
{
    st.failures++;
    st.last_error = rc;
    return rc;
}

int vt_tls_connect(vt_tls_t **out, const vt_tls_config_t *cfg, const char *host, vt_ip4_t ip,
                   uint16_t port, vt_tick_t timeout)
{
    struct vt_tls *t;
    vt_deadline_t deadline = vt_deadline_in(timeout);
    uint32_t failures = st.alloc_failures;
    uint64_t t0;
    int rc, r;

    if (out == NULL || cfg == NULL || host == NULL || host[0] == 0)
        return VT_EINVAL;
    if ((rc = vt_tls_init()) != 0)
        return fail(rc);
    if (!time_set)
        return fail(VT_ETLS_NOTIME);
    if ((rc = refresh_entropy()) != 0)
        return fail(rc);
    t = tls_calloc(1, sizeof *t);
    if (t == NULL)
        return fail(VT_ENOMEM);
    t->cfg = cfg;
    t->timeout = VT_FOREVER;
    vt_mutex_init(&t->lock);
    mbedtls_ssl_init(&t->ssl);
    r = mbedtls_ssl_setup(&t->ssl, &cfg->conf);
    if (r == 0)
        r = mbedtls_ssl_set_hostname(&t->ssl, host);
    if (r != 0) {
        stream_free(t);
        return fail(r == MBEDTLS_ERR_SSL_ALLOC_FAILED ? VT_ENOMEM : VT_EINVAL);
    }
    mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);

    rc = vt_tcp_connect(&t->tcp, ip, port, timeout);
    if (rc != 0) {
        stream_free(t);
        return fail(rc);
    }
    t->deadline = deadline;
    t->blocked_us = 0;
    t0 = vt_now_us();
    for (;;) {
        t->io_err = 0;
        r = mbedtls_ssl_handshake(&t->ssl);
        if (r == 0)
            break;
        if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) {
            rc = t->io_err != 0 ? t->io_err : VT_ETLS_HANDSHAKE;
            break;
        }
        rc = map_error(t, r);
        break;
    }
    if (r != 0) {
        vt_tcp_abort(t->tcp);
        stream_free(t);
        return fail(or_enomem(rc, failures));
    }
    st.handshake_cpu_ns = (uint32_t)((vt_now_us() - t0 - t->blocked_us) * 1000u);
    st.handshakes++;
    *out = t;
    return 0;
}

const char *vt_tls_suite(vt_tls_t *t)
{
    return t != NULL ? mbedtls_ssl_get_ciphersuite(&t->ssl) : "";
}

void vt_tls_set_timeout(vt_tls_t *t, vt_tick_t timeout)
{
    if (t != NULL)
        t->timeout = timeout;
}

int vt_tls_wait_readable(vt_tls_t *t, vt_tick_t timeout)
{
    if (t == NULL)
        return VT_EINVAL;
    if (timeout == SOCK_TIMEOUT)
        timeout = t->timeout;
    if (t->err != 0 || t->eof || mbedtls_ssl_check_pending(&t->ssl))
        return 0;
    return vt_tcp_wait_readable(t->tcp, timeout);
}

int vt_tls_read_timeout(vt_tls_t *t, void *buf, size_t len, vt_tick_t timeout)
{
    struct call c;
    uint64_t t0, blocked;
    int rc, n;

    if (t == NULL || (buf == NULL && len > 0))
        return VT_EINVAL;
    if (len > 0x7FFFFFFF)
        len = 0x7FFFFFFF;
    c = call_begin(t, timeout);
    for (;;) {
        if (t->err != 0)
            return t->err;
        if (t->eof)
            return 0;
        if (len == 0)
            return 0;
        /* wait for data outside the lock: a writer may go on meanwhile */
        if (!mbedtls_ssl_check_pending(&t->ssl)) {
            rc = vt_tcp_wait_readable(t->tcp, net_step_timeout(&c.deadline));
            if (rc != 0)
                return rc;
        }
        if ((rc = lock(t, &c)) != 0)
            return rc;
        t0 = vt_now_us();
        blocked = t->blocked_us;
        n = mbedtls_ssl_read(&t->ssl, buf, len);
        st.read_cpu_ns += (vt_now_us() - t0 - (t->blocked_us - blocked)) * 1000u;
        vt_mutex_unlock(&t->lock);
        if (n > 0) {
            st.reads++;
            return n;
        }
        if (n == 0 || n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || n == MBEDTLS_ERR_SSL_CONN_EOF) {
            t->eof = 1;
            return 0;
        }
        if (n == MBEDTLS_ERR_SSL_WANT_READ || n == MBEDTLS_ERR_SSL_WANT_WRITE) {
            if (t->io_err == VT_ETIMEDOUT || t->io_err == VT_ECANCELED)
                return t->io_err; /* Mbed TLS kept its place: the call can be repeated */
            if (t->io_err != 0)
                return t->err = t->io_err;
            continue; /* a record that carried no data: wait for the next */
        }
        return t->err = map_error(t, n);
    }
}

static int tls_read(void *t, void *buf, size_t len, vt_tick_t timeout)
{
    return vt_tls_read_timeout(t, buf, len, timeout);
}

int vt_tls_read_exact(vt_tls_t *t, void *buf, size_t len)
{
    if (t == NULL)
        return VT_EINVAL;
    return net_read_exact(t, tls_read, t->timeout, buf, len);
}

int vt_tls_write_timeout(vt_tls_t *t, const void *buf, size_t len, vt_tick_t timeout)
{
    const uint8_t *p = buf;
    size_t done = 0;
    uint64_t t0, blocked;
    int rc;

    if (t == NULL || (buf == NULL && len > 0) || len > 0x7FFFFFFF)
        return VT_EINVAL;
    struct call c = call_begin(t, timeout);
    if (t->err != 0)
        return t->err;
    if ((rc = lock(t, &c)) != 0)
        return rc;
    t0 = vt_now_us();
    blocked = t->blocked_us;
    while (done < len) {
        int n;
        t->io_err = 0;
        n = mbedtls_ssl_write(&t->ssl, p + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if ((n == MBEDTLS_ERR_SSL_WANT_WRITE || n == MBEDTLS_ERR_SSL_WANT_READ) && t->io_err != 0)
            rc = t->io_err;
        else
            rc = map_error(t, n);
        t->err = rc; /* part of a record may have gone: the stream is broken */
        break;
    }
    st.write_cpu_ns += (vt_now_us() - t0 - (t->blocked_us - blocked)) * 1000u;
    if (rc == 0)
        st.writes++;
    vt_mutex_unlock(&t->lock);
    return rc != 0 ? rc : (int)len;
}

int vt_tls_close(vt_tls_t *t)
{
    if (t == NULL)
        return VT_EINVAL;
    if (t->err == 0 && t->tcp != NULL) {
        struct call c = call_begin(t, 1000); /* close_notify is a courtesy: do not wait long */
        if (lock(t, &c) == 0) {
            mbedtls_ssl_close_notify(&t->ssl);
            vt_mutex_unlock(&t->lock);
        }
    }
    vt_tcp_close(t->tcp);
    stream_free(t);
    return 0;
}

void vt_tls_abort(vt_tls_t *t)
{
    if (t == NULL)
        return;
    vt_tcp_abort(t->tcp);
    stream_free(t);
}

void vt_tls_stats(vt_tls_stats_t *out)
{
    if (out != NULL)
        *out = st;
}

void vt_tls_stats_reset_peak(void) { st.heap_peak = st.heap_now; }
