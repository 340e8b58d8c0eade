/* SPDX-License-Identifier: MIT */
/**
 * @file net/net_priv.h
 * @brief Private interface of the network layer's own files (net.c, tcp.c,
 * udp.c, server.c, tls.c): state, calling-context checks, shutdown, shared
 * stream helpers and the thread dump's names. Drivers use net/netdrv.h only.
 */
#ifndef VT_NET_NET_PRIV_H
#define VT_NET_NET_PRIV_H

#include <stddef.h>

#include "netdrv.h"
#include "vt/vt.h"

/** 1 between vt_net_start() and vt_net_stop(): the poller runs. */
extern uint8_t net_up;

/** @brief Debug builds: stop with a report when lwIP or a socket call is
 *  entered from an interrupt handler (lwIP's LWIP_ASSERT_CORE_LOCKED hook
 *  and the socket calls' entry). Release builds: nothing. */
void net_assert_core_locked(void);

/** Entry check of every socket call: the calling context (debug builds). */
#define NET_CHECK_CONTEXT()                                                       \
    do {                                                                          \
        if (VT_CONFIG_DEBUG)                                                      \
            net_assert_core_locked();                                             \
    } while (0)

/** Entry check of a socket call that needs the network running: the calling
 *  context, then VT_ENETDOWN before vt_net_start() or after vt_net_stop().
 *  Calls that only release (close, abort) check the context alone. */
#define NET_ENTER()                                                               \
    do {                                                                          \
        NET_CHECK_CONTEXT();                                                      \
        if (!net_up)                                                              \
            return VT_ENETDOWN;                                                   \
    } while (0)

/** @brief Shutdown (vt_net_stop): wake every thread blocked on a TCP socket
 *  or listener with VT_ENETDOWN. @return sockets (pending ones included) and
 *  listeners still open */
int net_tcp_stop(void);
/** @brief The same for UDP sockets. @return UDP sockets still open */
int net_udp_stop(void);

/** @brief Ask the peers of recently active TCP connections to resend what
 *  may have been lost (tcp.c): starts a pass that net_tcp_recover_step()
 *  continues. */
void net_tcp_recover(void);
/** @brief The next batch of the pass. @return 1 while the pass goes on */
int net_tcp_recover_step(void);

/** Segments that came for pcbs that may go into TIME_WAIT (tcp.c counts,
 *  net.c bounds the TIME_WAIT list with it). */
extern unsigned net_time_wait_may_grow;

/** @brief The timeout to give a socket call that is one step of a call
 *  bounded by @p d: what is left of it, and 1 ms once a finite deadline
 *  has passed, so that the step still takes what has arrived and otherwise
 *  reports VT_ETIMEDOUT itself (VT_EAGAIN stays the answer of VT_NOWAIT). */
static inline vt_tick_t net_step_timeout(const vt_deadline_t *d)
{
    vt_tick_t left = vt_deadline_left(d);
    return left == VT_NOWAIT && d->kind == VT_DL_AT ? 1u : left;
}

/** A stream's read call (vt_tcp_read_timeout, vt_tls_read_timeout). */
typedef int (*net_read_fn)(void *stream, void *buf, size_t len, vt_tick_t timeout);
/** @brief Read exactly @p len bytes with @p rd, all within @p timeout.
 *  @return len, VT_EPIPE (end of stream first), or the read's error */
int net_read_exact(void *stream, net_read_fn rd, vt_tick_t timeout, void *buf, size_t len);

/** @brief Name a socket's or listener's wait queue for the thread dump
 *  (tcp.c, udp.c). @return its length, 0 if @p q is not theirs */
int net_tcp_describe(const vt_waitq_t *q, char *buf, size_t len);
int net_udp_describe(const vt_waitq_t *q, char *buf, size_t len);

#endif
