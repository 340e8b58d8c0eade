/* SPDX-License-Identifier: MIT */
/**
 * @file tests/rtos_cost/lwipopts.h
 * @brief lwIP as it is configured under an RTOS with its socket API, for
 * rtos_cost.c's structure sizes only (nothing here is linked): threads
 * (NO_SYS 0), netconns and sockets, a receive timeout per socket (what a
 * sensor task needs to drop a silent sensor), IPv4 and TCP as vthread's.
 */
#ifndef RTOS_COST_LWIPOPTS_H
#define RTOS_COST_LWIPOPTS_H

#define NO_SYS 0
#define LWIP_NETCONN 1
#define LWIP_SOCKET 1
#define LWIP_SO_RCVTIMEO 1
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_TCP 1
#define LWIP_UDP 1
#define LWIP_TCP_KEEPALIVE 1
#define TCP_QUEUE_OOSEQ 0
#define TCP_LISTEN_BACKLOG 1
#define MEM_ALIGNMENT 4
/* messages a connection's receive mailbox holds (FreeRTOS queue slots) */
#define DEFAULT_TCP_RECVMBOX_SIZE 4
#define LWIP_TIMEVAL_PRIVATE 0 /* the C library has struct timeval */
#include <sys/time.h>

#endif
