/* SPDX-License-Identifier: MIT */
/**
 * @file net/tls/mbedtls_config.h
 * @brief Mbed TLS 2.28 configuration of vthread's TLS layer (net/tls.c):
 * a TLS 1.2 client for small RAM, and nothing else.
 *
 * - TLS 1.2 only; the client side only (no server, no DTLS, no
 *   renegotiation, no session tickets, no serialisation).
 * - Two cipher suites: ECDHE-ECDSA and ECDHE-RSA with AES-128-GCM and
 *   SHA-256, on the curve P-256. RSA only verifies (the broker's
 *   certificate or its CA's signature); ECDSA verifies and signs (the
 *   client's certificate key), deterministically (RFC 6979).
 * - Records: buffers of VT_TLS_RECORD_MAX bytes of plaintext each way
 *   (2048 by default) instead of 16 KB each; the max_fragment_length
 *   extension (RFC 6066) asks the server to keep to it. Mbed TLS 2.28 neither splits outgoing handshake messages nor
 *   joins incoming ones, so what each side sends of the handshake must fit
 *   (see below).
 * - No entropy module: the one DRBG (HMAC_DRBG with SHA-256) is seeded from
 *   the board's entropy source by net/tls.c itself.
 * - Memory through net/tls.c's counting calloc/free (MBEDTLS_PLATFORM_MEMORY);
 *   the peer's certificate is freed after the handshake; AES tables in ROM;
 *   small comb and MPI windows; no cached comb table for the base point
 *   (Mbed TLS 2.28 computes it on the heap: see below).
 * - Time (certificate validity) from vt_tls_set_time(), through vt_tls_time().
 */
#ifndef VT_MBEDTLS_CONFIG_H
#define VT_MBEDTLS_CONFIG_H

#include <limits.h>

/** Largest plaintext of one record, both ways (the receive and the send
 *  buffer, instead of 16 KB each), asked of the server with
 *  max_fragment_length: 512, 1024, 2048 or 4096. Default 2048.
 *  Mbed TLS 2.28 does not join a handshake message split over two records,
 *  and OpenSSL packs its whole first flight (ServerHello to
 *  ServerHelloDone) into records of this size, so the flight must fit one:
 *  about 0.9 KB with one ECDSA certificate, 1.3 KB with one RSA-2048
 *  certificate, more with intermediate CAs (then 4096). Mbed TLS does not
 *  split its own handshake messages either: the client's certificate must
 *  fit too. (The extension's value binds both directions, so the two
 *  buffers have one size.) */
#ifndef VT_TLS_RECORD_MAX
#define VT_TLS_RECORD_MAX 2048
#endif

/* ---- system */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_TIME_MACRO vt_tls_time /* net/tls.c: vt_tls_set_time() onwards */
#include <time.h>
time_t vt_tls_time(time_t *t);
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_DEPRECATED_REMOVED

/* ---- symmetric crypto and hashes */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_HMAC_DRBG_C

/* ---- public key: P-256 (ECDHE, ECDSA) and RSA verification */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_NO_INTERNAL_RNG
#define MBEDTLS_ECP_MAX_BITS 256
#ifndef MBEDTLS_ECP_WINDOW_SIZE
#define MBEDTLS_ECP_WINDOW_SIZE 2
#endif
/* Off: with it, Mbed TLS 2.28 keeps the comb table of the base point
 * (computed on the heap, not in ROM) in the curve group until the group is
 * freed. A handshake's curve operations run on groups made for them (the
 * ECDH context's, a copy of the key's for signing), so the table is never
 * used twice; it only lasts longer: off, the handshake's heap peak is 643
 * bytes lower (tls_bench, mps2-an385 and lm3s6965evb) for the same
 * instruction count within its run-to-run spread. */
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_MPI_WINDOW_SIZE 1
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA keys up to 4096 bits in the chain */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C

/* ---- X.509 */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE
#define MBEDTLS_X509_MAX_INTERMEDIATE_CA 2

/* ---- TLS 1.2 client */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_CIPHERSUITES \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_IN_CONTENT_LEN VT_TLS_RECORD_MAX
#define MBEDTLS_SSL_OUT_CONTENT_LEN VT_TLS_RECORD_MAX

#if VT_TLS_RECORD_MAX != 512 && VT_TLS_RECORD_MAX != 1024 && VT_TLS_RECORD_MAX != 2048 && \
    VT_TLS_RECORD_MAX != 4096
#error "VT_TLS_RECORD_MAX must be 512, 1024, 2048 or 4096 (a max_fragment_length value)"
#endif

#include "mbedtls/check_config.h"

#endif /* VT_MBEDTLS_CONFIG_H */
