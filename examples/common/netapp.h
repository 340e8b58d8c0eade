/* SPDX-License-Identifier: MIT */
/**
 * @file examples/common/netapp.h
 * @brief What the network examples share: command-line options, network
 * start-up, storage for their vt_tcp_serve() servers, threads on shared run
 * stacks, HTTP request heads, and the stats every example serves.
 */
#ifndef VT_EXAMPLES_NETAPP_H
#define VT_EXAMPLES_NETAPP_H

#include <stddef.h>

#include "board.h"
#include "vt/net.h"
#include "vt/vt.h"

/** Stack sizes in the examples are what they measured on 32-bit boards; a
 *  board with larger frames (the host: 64-bit, glibc) scales them. */
#ifndef BOARD_STACK_SCALE
#define BOARD_STACK_SCALE 1
#endif
/** Bytes to give a thread needing @p n bytes on a 32-bit board. */
#define NETAPP_STACK(n) VT_STACK_SIZE((size_t)(n) * BOARD_STACK_SCALE)

/** @brief The value of option @p key ("key=value" in argv), or @p def. */
const char *netapp_opt(int argc, char **argv, const char *key, const char *def);
/** @brief Option @p key as a number, or @p def. */
long netapp_opt_num(int argc, char **argv, const char *key, long def);
/** @brief Start the network: static 10.0.2.15 unless dhcp=1; wait for the address. */
int netapp_start(int argc, char **argv);

struct http_req;
/**
 * @brief Read an HTTP request head from @p s into @p buf (@p cap bytes,
 * *@p have of them already there, e.g. a pipelined request) and parse it
 * (http_req.h), all before @p deadline (vt_now_ms() time): a client that
 * sends slowly cannot hold the connection's thread longer than that.
 * @return the head's length (> 0; bytes after it stay in @p buf), 0 when the
 *         connection ended before a byte of it, HTTP_REQ_BAD,
 *         HTTP_REQ_TOO_LONG (no end within @p cap - 1 bytes),
 *         HTTP_REQ_URI_LONG, VT_ETIMEDOUT, VT_EPIPE (ended in the middle)
 *         or another VT_E error
 */
int netapp_http_read(vt_tcp_t *s, char *buf, size_t cap, size_t *have, vt_tick_t deadline,
                     struct http_req *req);

/**
 * @brief Storage for @p srv from the heap, then vt_tcp_server_init(): @p max
 * connection threads of NETAPP_STACK(@p stack) bytes each, or, after
 * netapp_use_shared(), on the shared run stacks. The server's counters go
 * into netapp_stats_json(). Once per program. @return 0 or an error
 */
int netapp_server_init(vt_tcp_server_t *srv, const vt_tcp_server_config_t *cfg, unsigned max,
                       size_t stack);

/** @brief Shared mode: connection threads run on @p n run stacks of @p size
 *  bytes and keep only their live stack while suspended (vt/shared.h).
 *  Call before netapp_server_init(). @return 0 or VT_ENOMEM */
int netapp_use_shared(unsigned n, size_t size);

/** @brief Start a thread of the application's own (a server loop, a
 *  service): in shared mode on the run stacks, like the connections;
 *  otherwise on a stack of NETAPP_STACK(@p stack) bytes from the heap.
 *  @return 0, VT_ENOMEM or vt_thread_create()'s error */
int netapp_thread(vt_thread_t *t, size_t stack, const char *name, vt_entry_t fn, void *arg,
                  unsigned flags);

/** @brief In shared mode, the run stack for a thread the application
 *  starts and ends itself (netapp_thread()'s threads live for good), taken
 *  in turn like netapp_thread()'s; NULL otherwise. */
vt_runstack_t *netapp_runstack(void);

/** @brief Bytes of RAM one idle connection costs: thread struct, stack,
 *  socket, lwIP pcb. */
size_t netapp_conn_bytes(void);
/** Bytes that hold any stats JSON of the examples (every counter at its
 *  largest value: the gateway's, the largest, needs about 1,500). */
#define NETAPP_STATS_MAX 2048

/**
 * @brief Append printf-formatted text to @p buf (@p len bytes) at offset
 * *@p n, which grows by what was written. Text that does not fit is cut at
 * the end of @p buf, which always stays NUL-terminated.
 * @return 0, or VT_ENOMEM if the text was cut (then *@p n is len - 1)
 */
int netapp_appendf(char *buf, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** @brief Append the network and thread counters as JSON members (no braces)
 *  with netapp_appendf(). @return 0 or VT_ENOMEM */
int netapp_stats_fields(char *buf, size_t len, size_t *n);
/** @brief Write the stats JSON object (and a newline) into @p buf.
 *  @return its length, or VT_ENOMEM if it does not fit @p len bytes */
int netapp_stats_json(char *buf, size_t len);
/** @brief Start two threads (netapp_thread(): call netapp_use_shared()
 *  first to put them on the run stacks): the console on the board's UART
 *  ("threads" or "dump" prints the thread dump, "stats" the counters,
 *  "help") and, if @p stats_port is not 0, a server that sends the stats
 *  JSON to anyone connecting to that port. @return 0 or an error */
int netapp_start_services(uint16_t stats_port);
/** What the console's "stats" prints (netapp_stats_json unless replaced),
 *  into a buffer of NETAPP_STATS_MAX bytes taken from the heap meanwhile. */
extern int (*netapp_console_stats)(char *buf, size_t len);

#endif
