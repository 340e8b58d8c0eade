/* SPDX-License-Identifier: MIT */
/**
 * @file vt/error.h
 * @brief Every error code of vthread, in one space: the kernel's, the
 * network layer's and the ranges reserved for the modules that come with
 * their own failures. vt_strerror() knows them all.
 *
 * Every call that can fail returns 0 (or a count) on success and one of
 * these negative codes otherwise; a module never reuses another's number,
 * so a code travels up through any layer and still names its cause.
 *
 *   -1 .. -19   kernel: threads, timeouts, primitives, pool, group
 *   -20 .. -39  network: TCP, UDP, DNS, the interface (vt/net.h)
 *   -40 .. -59  TLS: certificates, handshake, records (vt/tls.h)
 */
#ifndef VT_ERROR_H
#define VT_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/** @name Kernel (-1 .. -19) */
/**@{*/
#define VT_OK 0
#define VT_ETIMEDOUT (-1)  /**< the timeout passed before the condition held */
#define VT_ECANCELED (-2)  /**< the thread was cancelled (vt_thread_cancel) */
#define VT_EINVAL (-3)     /**< invalid argument, or object destroyed */
#define VT_ENOMEM (-4)     /**< a pool or buffer is exhausted */
#define VT_EPERM (-5)      /**< not allowed: not the owner, not in a thread */
#define VT_ECLOSED (-6)    /**< the channel, pool or listener is closed */
#define VT_EAGAIN (-7)     /**< a try-call would have had to block */
#define VT_EDEADLK (-8)    /**< the call would wait for itself */
#define VT_EBUSY (-9)      /**< another thread already does this (join) */
#define VT_ESRCH (-10)     /**< no such thread (already joined or freed) */
#define VT_EOVERLAP (-11)  /**< a new thread's stack overlaps a live thread's
                                stack, or holds the thread's own struct */
#define VT_ERR_KERNEL_LAST (-11) /**< the kernel's last code in use (room up to -19) */
/**@}*/

/** @name Network (-20 .. -39) */
/**@{*/
#define VT_ECONNRESET (-20)    /**< the peer reset the connection */
#define VT_ECONNREFUSED (-21)  /**< nobody listens at that address and port */
#define VT_ECONNABORTED (-22)  /**< aborted locally (out of memory, abort) */
#define VT_ENOTCONN (-23)      /**< not connected (closed, shut down for writing) */
#define VT_EADDRINUSE (-24)    /**< the port is in use */
#define VT_EHOSTUNREACH (-25)  /**< no route to the host */
#define VT_EIO (-26)           /**< other lwIP or NIC error */
#define VT_ENOTFOUND (-27)     /**< DNS: no such name */
#define VT_EPIPE (-28)         /**< read_exact: the peer closed before the end */
#define VT_ENETDOWN (-29)      /**< the network is not started (vt_net_start),
                                    or was stopped (vt_net_stop) */
#define VT_ERR_NET_LAST (-29)  /**< the network's last code in use (room up to -39) */
/**@}*/

/** @name TLS (-40 .. -59): the TLS layer's (vt/tls.h) */
/**@{*/
#define VT_ETLS_NOENTROPY (-40)     /**< no entropy source: TLS refuses to start */
#define VT_ETLS_NOTIME (-41)        /**< wall-clock time unknown: certificate dates cannot be checked */
#define VT_ETLS_UNTRUSTED (-42)     /**< server certificate not signed by the configured CA */
#define VT_ETLS_EXPIRED (-43)       /**< server certificate expired or not yet valid */
#define VT_ETLS_HOSTNAME (-44)      /**< server certificate is for another host name */
#define VT_ETLS_BADCERT (-45)       /**< server certificate rejected otherwise (usage, key, format) */
#define VT_ETLS_HANDSHAKE (-46)     /**< handshake failed (no common suite, protocol error) */
#define VT_ETLS_PEER_CLOSED (-47)   /**< the server closed the connection during the handshake */
#define VT_ETLS_ALERT (-48)         /**< the server refused the handshake with a fatal alert */
#define VT_ETLS_NOCLIENTCERT (-49)  /**< the server requires a client certificate; none configured */
#define VT_ETLS_CONFIG (-50)        /**< CA, certificate or key does not parse, or key and certificate differ */
#define VT_ETLS_RECORD (-51)        /**< bad record from the peer (integrity, too long for the buffers) */
#define VT_ETLS_CRYPTO (-52)        /**< a cryptographic operation failed (out of memory in it, RNG) */
#define VT_ERR_TLS_FIRST (-40)
#define VT_ERR_TLS_LAST (-52)       /**< the TLS layer's last code in use (room up to -59) */
/**@}*/

/**
 * @brief A short English text for any vthread error code: kernel, network
 * and the reserved ranges alike (never NULL; "unknown error" for a number
 * that is no code).
 */
const char *vt_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif /* VT_ERROR_H */
