/* SPDX-License-Identifier: MIT */
/**
 * @file examples/gateway/link.c
 * @brief The MQTT uplink's transport (link.h): vt_tcp_* or vt_tls_*, and
 * the gateway's TLS options. Without the TLS layer in the build
 * (GATEWAY_TLS 0) tls=1 is refused with a message.
 */
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h" /* board_host_file_read: files from the host at boot */
#include "netapp.h"

#ifndef GATEWAY_TLS
#define GATEWAY_TLS 0
#endif

struct link {
    vt_tcp_t *tcp;
    vt_tls_t *tls;
};

static struct link one; /* the uplink has one connection at a time */

int link_connect(struct link **out, const struct link_config *c, vt_tick_t timeout)
{
    int rc;
    if (one.tcp != NULL || one.tls != NULL)
        return VT_EBUSY;
#if GATEWAY_TLS
    if (c->tls != NULL) {
        vt_tls_stats_t st;
        rc = vt_tls_connect(&one.tls, c->tls, c->tls_name, c->ip, c->port, timeout);
        if (rc != 0)
            return rc;
        vt_tls_stats(&st);
        printf("tls: connected to %s, %s: handshake %lu ns of CPU, TLS heap %lu bytes now, "
               "%lu at most; stack of %s: %u bytes used; arena %lu of %lu bytes used at most\n",
               c->tls_name, vt_tls_suite(one.tls), (unsigned long)st.handshake_cpu_ns,
               (unsigned long)st.heap_now, (unsigned long)st.heap_peak,
               vt_thread_name(vt_self()), (unsigned)vt_thread_stack_used(vt_self()),
               (unsigned long)st.arena_high, (unsigned long)st.arena_size);
        *out = &one;
        return 0;
    }
#endif
    rc = vt_tcp_connect(&one.tcp, c->ip, c->port, timeout);
    if (rc == 0)
        *out = &one;
    return rc;
}

#if GATEWAY_TLS
#define EITHER(tls_call, tcp_call) (l->tls != NULL ? (tls_call) : (tcp_call))
#else
#define EITHER(tls_call, tcp_call) (tcp_call)
#endif

void link_set_timeout(struct link *l, vt_tick_t timeout)
{
    EITHER(vt_tls_set_timeout(l->tls, timeout), vt_tcp_set_timeout(l->tcp, timeout));
}

int link_read(struct link *l, void *buf, size_t len, vt_tick_t timeout)
{
    return EITHER(vt_tls_read_timeout(l->tls, buf, len, timeout),
                  vt_tcp_read_timeout(l->tcp, buf, len, timeout));
}

int link_read_exact(struct link *l, void *buf, size_t len)
{
    return EITHER(vt_tls_read_exact(l->tls, buf, len), vt_tcp_read_exact(l->tcp, buf, len));
}

int link_write(struct link *l, const void *buf, size_t len)
{
    return EITHER(vt_tls_write(l->tls, buf, len), vt_tcp_write(l->tcp, buf, len));
}

void link_abort(struct link *l)
{
    EITHER(vt_tls_abort(l->tls), vt_tcp_abort(l->tcp));
    l->tls = NULL;
    l->tcp = NULL;
}

/* ------------------------------------------------------------- options */

#if GATEWAY_TLS
/* PEM built in at compile time (CMake: GATEWAY_TLS_CA/_CERT/_KEY), or empty */
extern const char gateway_builtin_ca[], gateway_builtin_cert[], gateway_builtin_key[];

#define FILE_MAX 16384 /* the largest certificate file taken */

/* Memory TLS has to itself (vt_tls_arena()), sized by the application's
 * options header; 0: TLS takes from the heap */
#ifndef GATEWAY_TLS_ARENA
#define GATEWAY_TLS_ARENA 0
#endif
#if GATEWAY_TLS_ARENA > 0
static uint64_t tls_arena[GATEWAY_TLS_ARENA / 8];
#endif

/* The host file named by option @p key, else the built-in text; *len 0:
 * none. A file takes the heap it needs and no more (a 64 KB part parses
 * three of them at once), and PEM gets its NUL, which Mbed TLS wants. */
static char *load(int argc, char **argv, const char *key, const char *builtin, size_t *len)
{
    const char *path = netapp_opt(argc, argv, key, NULL);
    char *buf;
    long n;
    *len = 0;
    if (path == NULL) {
        *len = strlen(builtin);
        return (char *)builtin;
    }
    n = board_host_file_read(path, NULL, 0);
    if (n <= 0 || n > FILE_MAX) {
        printf("gateway: %s=%s: no such file on the host (semihosting), empty, or larger "
               "than %u bytes\n", key, path, FILE_MAX);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL) {
        printf("gateway: %s=%s: no memory for its %ld bytes\n", key, path, n);
        return NULL;
    }
    if (board_host_file_read(path, buf, (size_t)n) != n) {
        printf("gateway: %s=%s: cannot read it from the host (semihosting)\n", key, path);
        free(buf);
        return NULL;
    }
    *len = (size_t)n;
    if (buf[0] != 0x30) /* PEM, not DER */
        buf[(*len)++] = 0;
    return buf;
}
#endif

int link_options(int argc, char **argv, const char *host, struct link_config *c)
{
    c->tls = NULL;
    c->tls_name = NULL;
    if (atoi(netapp_opt(argc, argv, "tls", "0")) == 0)
        return 0;
#if GATEWAY_TLS
    {
        static char name[64];
        const char *t = netapp_opt(argc, argv, "time", NULL);
        size_t ca_len, cert_len, key_len;
        char *ca, *cert, *key;
        vt_tls_config_t *cfg;
        int rc;

        if (t != NULL)
            vt_tls_set_time(strtoull(t, NULL, 10));
#if GATEWAY_TLS_ARENA > 0
        vt_tls_arena(tls_arena, sizeof tls_arena);
#endif
        ca = load(argc, argv, "ca", gateway_builtin_ca, &ca_len);
        cert = load(argc, argv, "cert", gateway_builtin_cert, &cert_len);
        key = load(argc, argv, "key", gateway_builtin_key, &key_len);
        if (ca == NULL || ca_len == 0) {
            printf("gateway: tls=1 needs the broker's CA certificate (ca=<file>)\n");
            rc = VT_EINVAL;
        } else if ((cert_len == 0) != (key_len == 0)) {
            printf("gateway: a client certificate needs its key and the other way round (cert=, key=)\n");
            rc = VT_EINVAL;
        } else {
            rc = vt_tls_config_init(&cfg, ca, ca_len, cert_len ? cert : NULL, cert_len,
                                    key_len ? key : NULL, key_len);
            if (rc != 0)
                printf("gateway: TLS configuration: %s\n", vt_strerror(rc));
        }
        if (ca != gateway_builtin_ca)
            free(ca);
        if (cert != gateway_builtin_cert)
            free(cert);
        if (key != gateway_builtin_key) {
            if (key != NULL)
                memset(key, 0, key_len);
            free(key);
        }
        if (rc != 0)
            return rc;
        snprintf(name, sizeof name, "%s", netapp_opt(argc, argv, "tls_name", host));
        c->tls = cfg;
        c->tls_name = name;
        {
            vt_tls_stats_t st;
            vt_tls_stats(&st);
            printf("gateway: TLS to the broker as %s, %s client certificate (CA, certificate "
                   "and key parsed: %lu bytes of TLS heap)\n",
                   name, cert_len ? "with a" : "without", (unsigned long)st.heap_now);
        }
        return 0;
    }
#else
    (void)host;
    printf("gateway: tls=1, but this build has no TLS layer (configure with -DVT_TLS=ON)\n");
    return VT_EINVAL;
#endif
}
