/* SPDX-License-Identifier: MIT */
/**
 * @file examples/echo/echo.c
 * @brief TCP echo server on port 7, one vthread per connection.
 *
 * Each connection is this function, plain sequential code. Options on the
 * semihosting command line: dhcp=1, max=<connections> (default: what the
 * network is sized for, VT_NET_TCP_MAX, less 4), stack=<bytes> (default
 * 480: the deepest use measured is 424), shared=<n>: the connection threads
 * share n run stacks and keep only their live stack while idle
 * (vt/shared.h). Port 9 serves the counters as JSON.
 */
#include <stdio.h>
#include <stdlib.h>

#include "netapp.h"

/* Echo what is there now. Its buffer lives only while data flows: an idle
 * connection waits in echo() below with no buffer on its stack, which is
 * what a suspended shared-stack thread keeps. */
static __attribute__((noinline)) int echo_some(vt_tcp_t *s)
{
    char buf[128];
    int n = vt_tcp_read(s, buf, sizeof buf), w;
    if (n > 0 && (w = vt_tcp_write(s, buf, (size_t)n)) != n)
        return w < 0 ? w : VT_EIO;
    return n;
}

static int echo(vt_tcp_t *s, void *arg)
{
    int n = 0;
    while (vt_tcp_wait_readable(s, VT_FOREVER) == 0 && (n = echo_some(s)) > 0) {
    }
    /* a peer's reset is not our error; a write that timed out (the peer
     * stopped reading) is, and the server resets the connection */
    return n < 0 && n != VT_ECONNRESET ? n : 0;
}

static int argc_;
static char **argv_;

static int server(void *arg)
{
    static vt_tcp_server_t srv;
    /* timeout: a peer that stops reading (and so stops our write) holds its
     * thread 30 s at most; idle connections wait in wait_readable, untimed */
    vt_tcp_server_config_t cfg = {.port = 7, .handler = echo, .backlog = 255, .full_wait = 1000,
                                  .timeout = 30000};
    /* by default as many as the network is sized for (vt/net_config.h),
     * less the stats server's and a few to spare */
    unsigned max = (unsigned)netapp_opt_num(argc_, argv_, "max", VT_NET_TCP_MAX - 4);
    size_t stack = (size_t)atoi(netapp_opt(argc_, argv_, "stack", "480"));
    unsigned shared = (unsigned)atoi(netapp_opt(argc_, argv_, "shared", "0"));
    if (shared > 0 && netapp_use_shared(shared, 4096) != 0) {
        printf("no memory for run stacks\n");
        return 1;
    }
    if (netapp_server_init(&srv, &cfg, max, stack) != 0)
        return 1;
    if (vt_net_wait_up(15000) != 0) {
        printf("no address\n");
        return 1;
    }
    {
        char ip[16];
        printf("echo: listening on %s port 7 (max %u connections, %u-byte stacks)\n",
               vt_ip4_str(vt_net_addr(), ip), max, (unsigned)stack);
    }
    return vt_tcp_serve(&srv);
}

int main(int argc, char **argv)
{
    static vt_thread_t srv;
    static uint8_t srv_stack[NETAPP_STACK(2048)] __attribute__((aligned(16)));
    argc_ = argc;
    argv_ = argv;
    if (netapp_start(argc, argv) != 0)
        return 1;
    netapp_start_services(9);
    vt_thread_create(&srv, srv_stack, sizeof srv_stack, "echo", server, NULL, 0);
    vt_run();
    return 1;
}
