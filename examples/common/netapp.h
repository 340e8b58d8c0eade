/**
 * @file examples/common/netapp.h
 * @brief What the network examples share: command-line options, network
 * start-up, one vthread per connection from a fixed pool of slots, and the
 * stats every example serves.
 */
#ifndef VT_EXAMPLES_NETAPP_H
#define VT_EXAMPLES_NETAPP_H

#include <stddef.h>

#include "vt/net.h"
#include "vt/vt.h"

/** @brief The value of option @p key ("key=value" in argv), or @p def. */
const char *netapp_opt(int argc, char **argv, const char *key, const char *def);
/** @brief Option @p key as a number, or @p def. */
long netapp_opt_num(int argc, char **argv, const char *key, long def);
/** @brief Start the network: static 10.0.2.15 unless dhcp=1; wait for the address. */
int netapp_start(int argc, char **argv);

/** A connection handler: runs in its own vthread, owns @p s. */
typedef int (*netapp_handler_t)(vt_tcp_t *s);

/**
 * @brief Accept connections on @p port forever, each in its own vthread
 * running @p fn, at most @p max at once (the next waits in the backlog).
 * Slots come from one array allocated at start: @p stack bytes of stack each.
 * Call from a vthread; returns only on error.
 */
int netapp_serve(uint16_t port, unsigned max, size_t stack, netapp_handler_t fn);

/** @brief Shared mode: connection threads run on @p n run stacks of @p size
 *  bytes and keep only their live stack while suspended (vt/shared.h).
 *  Call before netapp_serve(). @return 0 or VT_ENOMEM */
int netapp_use_shared(unsigned n, size_t size);

/** Live counters. */
struct netapp_counters {
    unsigned conns;       /* connection threads alive */
    unsigned conns_max;   /* most at once */
    unsigned served;      /* connections finished */
    unsigned errors;      /* handlers that returned non-zero */
    size_t stack;         /* stack bytes per connection thread */
    size_t stack_used_max;/* deepest stack use seen */
};
extern struct netapp_counters netapp;

/** @brief Bytes of RAM one idle connection costs: thread struct, stack,
 *  socket, lwIP pcb. */
size_t netapp_conn_bytes(void);
/** @brief Write the stats JSON into @p buf. @return length */
int netapp_stats_json(char *buf, size_t len);
/** @brief Start two threads (storage of their own): the console on the
 *  board's UART ("threads" or "dump" prints the thread dump, "stats" the
 *  counters, "help") and, if @p stats_port is not 0, a server that sends
 *  the stats JSON to anyone connecting to that port. @return 0 or an error */
int netapp_start_services(uint16_t stats_port);
/** What the console's "stats" prints (netapp_stats_json unless replaced). */
extern int (*netapp_console_stats)(char *buf, size_t len);

#endif
