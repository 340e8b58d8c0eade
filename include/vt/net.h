/* SPDX-License-Identifier: MIT */
/**
 * @file vt/net.h
 * @brief Blocking TCP and UDP for vthreads, over lwIP's raw API (NO_SYS=1).
 *
 * Each call blocks only the calling vthread. Underneath, lwIP runs in thread
 * context only: a poller thread feeds it received frames and runs its
 * timers (sleeping exactly until the next one is due, so idle stays
 * tickless); NIC interrupts only wake the poller. lwIP callbacks never block:
 * they queue data or errors on the socket and wake its waiters.
 *
 * Data is always copied between lwIP and the caller's buffer during the call;
 * no buffer of a thread is referenced after the call returns.
 *
 * Timeouts: each socket has a timeout (VT_FOREVER by default,
 * vt_tcp_set_timeout()) used by read, write and accept; `_timeout` forms
 * take one per call. A cancelled thread's blocked call returns VT_ECANCELED.
 *
 * Context: these are thread calls (non-blocking ones may also be made from
 * main() before vt_run()); debug builds stop with a report when one, or lwIP
 * itself, is entered from an interrupt handler. Before vt_net_start() and
 * after vt_net_stop() they return VT_ENETDOWN. Guide: docs/networking.md.
 */
#ifndef VT_NET_H
#define VT_NET_H

#include "vt/error.h"
#include "vt/net_config.h" /* the network's sizes: VT_NET_TCP_MAX ... */
#include "vt/sync.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes (VT_ECONNRESET ... VT_ENETDOWN) and their texts: vt/error.h,
 * vt_strerror(). */

/** IPv4 address in network byte order. */
typedef uint32_t vt_ip4_t;

/** @brief Parse "a.b.c.d" into @p out. @return 0 or VT_EINVAL */
int vt_ip4_parse(const char *s, vt_ip4_t *out);
/** @brief Format @p ip as "a.b.c.d" into @p buf (16 bytes). */
const char *vt_ip4_str(vt_ip4_t ip, char buf[16]);

/** Interface configuration for vt_net_start(). */
typedef struct vt_net_config {
    int dhcp;          /**< 1: ask DHCP; 0: use the static fields */
    vt_ip4_t addr;     /**< static address (e.g. 10.0.2.15) */
    vt_ip4_t netmask;  /**< e.g. 255.255.255.0 */
    vt_ip4_t gateway;  /**< e.g. 10.0.2.2 */
    vt_ip4_t dns;      /**< DNS server, 0: the gateway's .3 (slirp) or DHCP's */
} vt_net_config_t;

/**
 * @brief Start lwIP, the board's NIC and the poller thread. Call from main
 * before vt_run(), or from a thread. @p cfg NULL: the board's defaults.
 * Every socket call made before returns VT_ENETDOWN. After vt_net_stop(),
 * a new call resumes the same interfaces and the sockets left open (@p cfg
 * is applied by the first start only).
 * @return 0, VT_EIO (no NIC), VT_EINVAL (already started)
 */
int vt_net_start(const vt_net_config_t *cfg);

/**
 * @brief Stop the network: the poller thread exits (so vt_run() returns once
 * the application's own threads have ended), every thread blocked in a
 * network call returns VT_ENETDOWN, and later socket calls return
 * VT_ENETDOWN until vt_net_start() is called again. Closing calls
 * (vt_tcp_close, vt_tcp_abort, vt_tcp_listener_close, vt_udp_close) keep
 * working, so the owners of sockets still open can release them.
 *
 * For a clean end, stop servers and close sockets first: connections closed
 * by then finish their closing handshake during @p linger (their FIN
 * acknowledged by the peer) before the poller stops. From a thread, the call
 * returns after the poller has exited; from main (no thread) it only asks
 * it to, and @p linger is not waited.
 *
 * @param linger longest wait in ms for closed connections to finish
 *               (VT_NOWAIT: none; a few hundred ms is plenty on a LAN)
 * @return the number of sockets, listeners and UDP sockets still open (0
 *         for a clean end: nothing was left behind), or VT_ENETDOWN when
 *         the network was not started
 */
int vt_net_stop(vt_tick_t linger);

/** @brief Wait until the (first) interface has an address.
 *  @return 0, VT_ETIMEDOUT, VT_ECANCELED, VT_ENETDOWN (not started, or stopped meanwhile) */
int vt_net_wait_up(vt_tick_t timeout);
/** @brief The (first) interface's address, 0 when it has none. */
vt_ip4_t vt_net_addr(void);

/** Counters of the network layer (vt_net_stats()). */
typedef struct vt_net_stats {
    uint32_t tcp_open;        /**< sockets in use now (connections + pending accepts) */
    uint32_t tcp_pcbs;        /**< lwIP TCP pcbs in use now, TIME_WAIT excluded */
    uint32_t tcp_time_wait;   /**< pcbs in TIME_WAIT (freed after 2 * TCP_MSL) */
    uint32_t accepted, connected, refused_backlog, refused_nomem;
    uint32_t resets, rx_frames, tx_frames;
    uint32_t rx_dropped;      /**< received frames dropped: the driver's buffers were full */
    uint32_t rx_nomem;        /**< received frames dropped: no pbuf for them */
    uint32_t rx_overflows;    /**< times the NIC's receive buffer was found full (frames lost there) */
    uint32_t tcp_recoveries;  /**< connections asked to resend after such an overflow */
    uint32_t tcp_holes;       /**< holes in received streams the peers were asked to fill */
    uint32_t tcp_syn_restarts; /**< connects reset and started again: the SYN-ACK was lost */
    uint32_t rx_compactions;  /**< unread input copied into one pbuf (many small segments) */
    uint32_t tx_nomem;        /**< writes that waited for lwIP's memory (held by other connections) */
    uint32_t tx_busy;         /**< frames the NIC had no room for (lwIP resends them) */
    uint32_t time_wait_ended; /**< TIME_WAIT pcbs ended early: more than VT_NET_TIME_WAIT_MAX */
    uint32_t polls;           /**< poller turns (wake-ups) since boot */
} vt_net_stats_t;
/** @brief Copy the counters into @p out (thread context or main). */
void vt_net_stats(vt_net_stats_t *out);

/** Bytes of RAM one TCP socket costs in the network layer (its private
 *  struct; lwIP's pcb comes on top), for memory reports. */
extern const size_t vt_tcp_socket_bytes;

/* -------------------------------------------------------------------- TCP */

typedef struct vt_tcp vt_tcp_t;
typedef struct vt_tcp_listener vt_tcp_listener_t;

/**
 * @brief Listen on @p port (all addresses). At most @p backlog connections
 * wait for a thread to accept them; more are refused (RST).
 * @return 0, VT_EADDRINUSE, VT_ENOMEM, VT_EINVAL
 */
int vt_tcp_listen(vt_tcp_listener_t **out, uint16_t port, unsigned backlog);
/** @brief Take the next connection. @return 0, VT_ETIMEDOUT, VT_ECANCELED, VT_ECLOSED */
int vt_tcp_accept(vt_tcp_listener_t *l, vt_tcp_t **out, vt_tick_t timeout);
/** @brief Stop listening; waiting acceptors get VT_ECLOSED; pending connections are reset. */
int vt_tcp_listener_close(vt_tcp_listener_t *l);

/** @brief Connect to @p ip : @p port. @return 0, VT_ECONNREFUSED, VT_ETIMEDOUT,
 *  VT_ECANCELED, VT_ENOMEM, VT_EHOSTUNREACH */
int vt_tcp_connect(vt_tcp_t **out, vt_ip4_t ip, uint16_t port, vt_tick_t timeout);

/** @brief Timeout of later read/write calls on @p s (default VT_FOREVER). */
void vt_tcp_set_timeout(vt_tcp_t *s, vt_tick_t timeout);

/**
 * @brief Read what is available, at most @p len bytes, waiting for at least
 * one. The receive window reopens by what was read.
 * @return bytes read (> 0), 0 at end of stream, or an error
 *         (VT_ECONNRESET, VT_ETIMEDOUT, VT_ECANCELED, ...)
 */
int vt_tcp_read_timeout(vt_tcp_t *s, void *buf, size_t len, vt_tick_t timeout);
static inline int vt_tcp_read(vt_tcp_t *s, void *buf, size_t len)
{
    return vt_tcp_read_timeout(s, buf, len, (vt_tick_t)-2 /* socket's timeout */);
}
/**
 * @brief Wait until a read would not block (data, end of stream or an
 * error is there), without taking anything. Lets an idle connection thread
 * wait with no buffer on its stack: with shared run stacks that is what it
 * costs while suspended. @return 0, VT_ETIMEDOUT, VT_ECANCELED, VT_EINVAL
 */
int vt_tcp_wait_readable(vt_tcp_t *s, vt_tick_t timeout);
/** @brief Read exactly @p len bytes. @return len, VT_EPIPE (end of stream
 *  first), or an error. */
int vt_tcp_read_exact(vt_tcp_t *s, void *buf, size_t len);

/**
 * @brief Write all @p len bytes, waiting for send buffer space (acknowledged
 * data) as needed. @return len, or an error (then some bytes may have gone).
 */
int vt_tcp_write_timeout(vt_tcp_t *s, const void *buf, size_t len, vt_tick_t timeout);
static inline int vt_tcp_write(vt_tcp_t *s, const void *buf, size_t len)
{
    return vt_tcp_write_timeout(s, buf, len, (vt_tick_t)-2 /* socket's timeout */);
}
/** @brief Close the write side (send FIN); reading goes on. */
int vt_tcp_shutdown(vt_tcp_t *s);
/**
 * @brief Close and free @p s, gracefully: data already written is sent,
 * then a FIN; input not read yet, and what the peer still sends (for up to
 * VT_NET_LINGER_MS after our data was acknowledged, or until its FIN), is
 * read and dropped, so the peer gets every byte written and no reset. lwIP
 * finishes in the background. @return 0 or VT_EINVAL
 */
int vt_tcp_close(vt_tcp_t *s);
/** @brief Reset the connection and free @p s. */
void vt_tcp_abort(vt_tcp_t *s);
/** @brief Peer address of @p s. */
int vt_tcp_peer(vt_tcp_t *s, vt_ip4_t *ip, uint16_t *port);

/* ------------------------------------------------------------- TCP server */

/**
 * A connection handler: runs in its own thread with connection @p s.
 * The server closes @p s when the handler returns; the handler must not
 * close it itself (vt_tcp_shutdown() is fine). Return 0 for a normal end, the
 * peer going away included: @p s is closed gracefully. Anything else is
 * counted as an error (vt_tcp_server_stats), and a negative return (a VT_E
 * code: a write that timed out, ...) resets the connection instead, so that
 * nothing unsent keeps it alive. When the server stops, a handler still
 * running is cancelled: its blocking calls return VT_ECANCELED and it should
 * return then.
 */
typedef int (*vt_tcp_handler_t)(vt_tcp_t *s, void *arg);

/** Configuration of a server (vt_tcp_server_init() copies it). */
typedef struct vt_tcp_server_config {
    uint16_t port;              /**< TCP port to listen on */
    vt_tcp_handler_t handler;   /**< runs once per connection, in its own thread */
    void *arg;                  /**< passed to @ref handler */
    const char *name;           /**< connection threads' name (NULL: "conn") */
    vt_tick_t timeout;          /**< each connection's read/write timeout
                                     (vt_tcp_set_timeout); 0: none (VT_FOREVER).
                                     Set one: an idle peer otherwise keeps its
                                     thread for ever. */
    unsigned backlog;           /**< connections lwIP completes while the server
                                     accepts none (0: 16) */
    vt_tick_t full_wait;        /**< when every thread is busy, how long a new
                                     connection waits for one before it is
                                     refused (0: refused at once) */
    const char *busy_reply;     /**< sent to a refused connection before it is
                                     closed (e.g. an HTTP 503); NULL: it is
                                     reset instead */
} vt_tcp_server_config_t;

/** Storage of one connection thread (fields private): a server holds one
 *  per connection it may serve at once, so it is kept to a thread and one
 *  pointer (its stack, when dedicated, is its index in the stacks). */
typedef struct vt_tcp_conn {
    vt_thread_t thread;         /* first: a handler's thread finds its conn */
    union {
        vt_tcp_t *sock;         /* serving: the connection */
        struct vt_tcp_conn *next; /* free: the next free one */
    } u;
} vt_tcp_conn_t;

/** Counters of a server (vt_tcp_server_stats()). */
typedef struct vt_tcp_server_stats {
    unsigned active;            /**< connection threads running now */
    unsigned active_max;        /**< most at once */
    unsigned served;            /**< connections whose handler has returned */
    unsigned refused;           /**< connections refused: every thread busy */
    unsigned errors;            /**< handlers that returned non-zero */
    unsigned cancelled;         /**< handlers cancelled by a stop */
    size_t stack_size;          /**< stack bytes of each connection thread (0: shared) */
    size_t stack_used_max;      /**< deepest stack use seen (dedicated stacks) */
} vt_tcp_server_stats_t;

/** A thread-per-connection server. Caller storage; fields private. */
typedef struct vt_tcp_server {
    vt_tcp_server_config_t cfg;
    vt_tcp_conn_t *conns, *free_conns;
    unsigned nconns;
    uint8_t *stacks;            /* nconns stacks of stats.stack_size bytes */
    struct vt_runstack *runstacks; /* shared mode (vt/shared.h) */
    unsigned nrunstacks, next_runstack;
    vt_tcp_listener_t *listener;
    vt_thread_t *acceptor;      /* the thread in vt_tcp_serve() */
    vt_waitq_t room;            /* the acceptor waits for a free thread */
    vt_waitq_t idle;            /* the acceptor waits for the last thread */
    vt_waitq_t done;            /* stoppers wait for the end of vt_tcp_serve */
    vt_tick_t grace;
    vt_tcp_server_stats_t stats;
    uint8_t state;
} vt_tcp_server_t;

/**
 * @brief Prepare a server with @p nconns connection threads in caller
 * storage: @p conns (@p nconns entries) and @p stacks (@p nconns stacks of
 * @p stack_size bytes back to back; NULL when vt_tcp_server_use_shared()
 * follows). At most @p nconns connections are served at once; more wait
 * (cfg->full_wait) and are then refused cleanly. VT_TCP_SERVER_STORAGE()
 * declares static storage.
 * @return 0 or VT_EINVAL
 */
int vt_tcp_server_init(vt_tcp_server_t *srv, const vt_tcp_server_config_t *cfg,
                       vt_tcp_conn_t *conns, unsigned nconns, void *stacks, size_t stack_size);

/** @brief Run the connection threads on @p n shared run stacks (vt/shared.h)
 *  instead of their own stacks: an idle connection then costs its live
 *  stack only. Call after init, before vt_tcp_serve(). @return 0 or VT_EINVAL */
int vt_tcp_server_use_shared(vt_tcp_server_t *srv, struct vt_runstack *rs, unsigned n);

/**
 * @brief Listen on the configured port and serve: each accepted connection
 * runs the handler in a thread of its own. Blocks the calling thread until
 * the server is stopped (vt_tcp_server_stop) or the network is (then the
 * connection threads are cancelled); returns after every connection thread
 * has ended.
 * @return 0 after vt_tcp_server_stop(); VT_ENETDOWN, VT_ECANCELED (the
 *         calling thread was cancelled); or what vt_tcp_listen() returns
 *         (VT_EADDRINUSE, ...); VT_EBUSY (already serving), VT_EINVAL
 */
int vt_tcp_serve(vt_tcp_server_t *srv);

/**
 * @brief Stop a server: no new connections (the listener closes); the
 * running handlers get @p grace ms to finish, then are cancelled. Waits
 * until vt_tcp_serve() is about to return, unless called from one of the
 * server's own threads (a handler may stop its server).
 * @return the number of handlers cancelled (0: all finished in time), or
 *         VT_EINVAL (not serving)
 */
int vt_tcp_server_stop(vt_tcp_server_t *srv, vt_tick_t grace);

/** @brief Copy the server's counters into @p out. */
void vt_tcp_server_stats(const vt_tcp_server_t *srv, vt_tcp_server_stats_t *out);

/**
 * Static storage for a server of @p max connection threads with @p stack
 * bytes each: `VT_TCP_SERVER_STORAGE(web, 8, 2048);` then
 * `VT_TCP_SERVER_INIT(web, &cfg)` at run time, and vt_tcp_serve(&web).
 */
#define VT_TCP_SERVER_STORAGE(var, max, stack)                                               \
    static vt_tcp_server_t var;                                                              \
    static vt_tcp_conn_t var##_conns[max];                                                   \
    static uint8_t var##_stacks[max][VT_STACK_SIZE(stack)] __attribute__((aligned(16)))
#define VT_TCP_SERVER_INIT(var, cfg)                                                         \
    vt_tcp_server_init(&var, (cfg), var##_conns, sizeof var##_conns / sizeof var##_conns[0], \
                       var##_stacks, sizeof var##_stacks[0])

/* -------------------------------------------------------------------- UDP */

typedef struct vt_udp vt_udp_t;

/** @brief Open a UDP socket bound to @p port (0: any). @return 0, VT_EADDRINUSE, VT_ENOMEM */
int vt_udp_open(vt_udp_t **out, uint16_t port);
/** @brief Send one datagram. @return len or an error */
int vt_udp_sendto(vt_udp_t *u, const void *buf, size_t len, vt_ip4_t ip, uint16_t port);
/** @brief Receive one datagram (truncated to @p len). @return its length or an error */
int vt_udp_recvfrom(vt_udp_t *u, void *buf, size_t len, vt_ip4_t *ip, uint16_t *port,
                    vt_tick_t timeout);
/** @brief Close and free @p u. */
int vt_udp_close(vt_udp_t *u);

/* -------------------------------------------------------------------- DNS */

/** @brief Resolve @p name (or a dotted address) to an IPv4 address.
 *  @return 0, VT_ENOTFOUND, VT_ETIMEDOUT, VT_ECANCELED */
int vt_dns_resolve(const char *name, vt_ip4_t *out, vt_tick_t timeout);

/** @brief Deprecated: vt_strerror() names every code, network ones included. */
__attribute__((deprecated("use vt_strerror()"))) static inline const char *
vt_net_strerror(int err)
{
    return vt_strerror(err);
}

#ifdef __cplusplus
}
#endif
#endif /* VT_NET_H */
