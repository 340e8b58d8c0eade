/* SPDX-License-Identifier: MIT */
/**
 * @file vt/tls.h
 * @brief TLS 1.2 client streams for vthreads: the vt_tcp_* calls with
 * encryption, server verification and client certificates (Mbed TLS 2.28
 * underneath, net/tls.c).
 *
 * A vt_tls_t is used exactly as a vt_tcp_t: the same blocking calls, the
 * same per-stream and per-call timeouts, VT_ECANCELED when the calling
 * thread is cancelled, the same network error codes, 0 from a read at the
 * end of the stream (the peer's close_notify or FIN). One thread may read
 * while another writes (the gateway's MQTT reader and publisher do): the
 * calls take turns on the TLS context, never re-entering it.
 *
 * The handshake runs inside vt_tls_connect(), in the calling thread, and
 * verifies the server's certificate chain against the configured CA, its
 * validity dates (so the wall-clock time must be known: vt_tls_set_time())
 * and its host name. Every failure is a distinct code below with a text
 * (vt_strerror()); no application data is written before the
 * handshake succeeded.
 *
 * Randomness comes from the board's entropy source only (a hardware
 * random generator, or on emulated boards without one a seed the host
 * gives at boot, announced as a test seed). A board with neither makes
 * vt_tls_init() fail with VT_ETLS_NOENTROPY: there is no fixed fallback.
 *
 * Only built when the project is configured with VT_TLS=ON (CMake target
 * vt_tls); see docs/tls.md.
 */
#ifndef VT_TLS_H
#define VT_TLS_H

#include "vt/net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes VT_ETLS_* (-40..-59) and their texts: vt/error.h, vt_strerror(). */

/** @brief Deprecated: vt_strerror() names every code, TLS ones included. */
__attribute__((deprecated("use vt_strerror()"))) static inline const char *
vt_tls_strerror(int err)
{
    return vt_strerror(err);
}

/**
 * @brief Start the TLS layer: seed its random generator from the board's
 * entropy source (printing which one; a test seed says so loudly). Called
 * by vt_tls_config_init() and vt_tls_connect() when not done yet.
 * @return 0, VT_ETLS_NOENTROPY (the board has no source or it failed)
 */
int vt_tls_init(void);

/** @brief Tell TLS the current time (seconds since 1970, UTC), e.g. from
 *  SNTP or the host at boot; it runs on from vt_now_ms(). Without it a
 *  connection fails with VT_ETLS_NOTIME. */
void vt_tls_set_time(uint64_t unix_seconds);

/**
 * @brief Give TLS memory of its own: from now on every Mbed TLS
 * allocation comes from @p mem (best fit, an 8-byte header a block), not
 * from the C library's heap. Sized for TLS's peak (vt_tls_stats():
 * arena_high, fragmentation included), it keeps a handshake, a
 * reconnection's above all, from competing with the rest of the program
 * for the heap: each has what it was given. Call once, before anything
 * else of TLS allocates (vt_tls_config_init()).
 * @return 0, VT_EINVAL (@p mem NULL, @p len below 256, or too late)
 */
int vt_tls_arena(void *mem, size_t len);

/** The trust anchor and the client identity; shared by every connection
 *  made with it. Opaque; set up by vt_tls_config_init(). */
typedef struct vt_tls_config vt_tls_config_t;

/**
 * @brief Parse the CA certificate(s) that must sign the server's
 * certificate and, optionally, the client certificate and its private key
 * (PEM with their terminating NUL, or DER), into a new configuration.
 * The buffers may be freed afterwards.
 * @param cert, key both NULL: no client certificate (a server that
 *        requires one fails the handshake with VT_ETLS_NOCLIENTCERT)
 * @return 0, VT_EINVAL (no CA), VT_ETLS_CONFIG (does not parse, key does
 *         not match the certificate), VT_ENOMEM, VT_ETLS_NOENTROPY
 */
int vt_tls_config_init(vt_tls_config_t **out, const void *ca, size_t ca_len, const void *cert,
                       size_t cert_len, const void *key, size_t key_len);
/** @brief Free a configuration no connection uses any more. */
void vt_tls_config_free(vt_tls_config_t *cfg);

typedef struct vt_tls vt_tls_t;

/**
 * @brief Connect to @p ip : @p port over TCP and complete a TLS 1.2
 * handshake: the server's certificate must chain to the configuration's CA,
 * be valid now and name @p host (also sent as SNI). @p timeout bounds the
 * whole call.
 * @return 0; the vt_tcp_connect() errors; VT_ETIMEDOUT; VT_ECANCELED;
 *         VT_ENOMEM; a VT_ETLS_* code (what failed, see above)
 */
int vt_tls_connect(vt_tls_t **out, const vt_tls_config_t *cfg, const char *host, vt_ip4_t ip,
                   uint16_t port, vt_tick_t timeout);

/** @brief The cipher suite @p t negotiated (IANA name). */
const char *vt_tls_suite(vt_tls_t *t);

/** @brief Timeout of later read/write calls on @p t (default VT_FOREVER). */
void vt_tls_set_timeout(vt_tls_t *t, vt_tick_t timeout);

/** @brief Read what is available (decrypted), at most @p len bytes, waiting
 *  for at least one. @return bytes read (> 0), 0 at end of stream, or an
 *  error (VT_ETIMEDOUT and VT_ECANCELED leave the stream usable) */
int vt_tls_read_timeout(vt_tls_t *t, void *buf, size_t len, vt_tick_t timeout);
static inline int vt_tls_read(vt_tls_t *t, void *buf, size_t len)
{
    return vt_tls_read_timeout(t, buf, len, (vt_tick_t)-2 /* stream's timeout */);
}
/** @brief Read exactly @p len bytes. @return len, VT_EPIPE (end of stream
 *  first), or an error */
int vt_tls_read_exact(vt_tls_t *t, void *buf, size_t len);
/** @brief Wait until a read would not block, taking nothing.
 *  @return 0, VT_ETIMEDOUT, VT_ECANCELED, VT_EINVAL */
int vt_tls_wait_readable(vt_tls_t *t, vt_tick_t timeout);

/** @brief Encrypt and write all @p len bytes. @return len or an error;
 *  after an error the stream is unusable (part of a record may have gone) */
int vt_tls_write_timeout(vt_tls_t *t, const void *buf, size_t len, vt_tick_t timeout);
static inline int vt_tls_write(vt_tls_t *t, const void *buf, size_t len)
{
    return vt_tls_write_timeout(t, buf, len, (vt_tick_t)-2 /* stream's timeout */);
}

/** @brief Send close_notify, close the TCP connection gracefully, free @p t. */
int vt_tls_close(vt_tls_t *t);
/** @brief Reset the connection and free @p t (no close_notify). */
void vt_tls_abort(vt_tls_t *t);

/** Figures of the TLS layer (vt_tls_stats()). */
typedef struct vt_tls_stats {
    uint32_t handshakes;      /**< completed */
    uint32_t failures;        /**< vt_tls_connect() calls that failed */
    int last_error;           /**< the latest failure's code */
    uint32_t verify_flags;    /**< the latest failed verification's Mbed TLS flags */
    uint32_t heap_now;        /**< bytes Mbed TLS holds now (with an 8-byte header each) */
    uint32_t heap_peak;       /**< the most it held at once since boot or the last reset */
    uint32_t alloc_failures;  /**< allocations the heap (or arena) refused Mbed TLS */
    uint32_t arena_size;      /**< bytes of the arena (vt_tls_arena()), 0: the heap */
    uint32_t arena_high;      /**< the arena's bytes used up to the highest block yet */
    uint32_t handshake_cpu_ns; /**< the latest handshake's own CPU time (time blocked in the
                                    TCP calls left out); under QEMU -icount shift=0 one ns is
                                    one instruction */
    uint64_t write_cpu_ns;    /**< CPU of all vt_tls_write calls, TCP calls left out
                                   (record framing and encryption) */
    uint64_t read_cpu_ns;     /**< the same for vt_tls_read (decryption) */
    uint32_t writes, reads;   /**< calls that moved data */
    uint32_t record_max;      /**< plaintext bytes per record each way (VT_TLS_RECORD_MAX),
                                   asked of the server with max_fragment_length */
    uint8_t test_seed;        /**< 1: randomness comes from a host test seed */
} vt_tls_stats_t;
/** @brief Copy the figures into @p out. */
void vt_tls_stats(vt_tls_stats_t *out);
/** @brief Restart heap_peak from heap_now (for measuring one phase). */
void vt_tls_stats_reset_peak(void);

#ifdef __cplusplus
}
#endif
#endif /* VT_TLS_H */
