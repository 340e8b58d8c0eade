/* SPDX-License-Identifier: MIT */
/**
 * @file tests/net_fail_cases.c
 * @brief Network misuse debug builds must catch and report (ctest matches
 * the report): `isr` makes a socket call from an interrupt handler, `lwip`
 * calls lwIP's raw API from one (caught by lwIP's core-locking hook). Both
 * would corrupt lwIP's state silently: it runs in thread context only.
 */
#include <stdint.h>
#include <stdlib.h>

#include "board.h"
#include "harness.h"
#include "lwip/udp.h"
#include "vt/net.h"

static vt_udp_t *sock;
static vt_thread_t waiter;
static uint8_t stack[VT_STACK_SIZE(4096)] __attribute__((aligned(16)));

static void socket_irq(void) { vt_udp_sendto(sock, "x", 1, 0x0100000A, 9); }
static void lwip_irq(void) { udp_new(); }

static int wait_main(void *fn)
{
    board_test_irq(1000, (void (*)(void))fn);
    vt_sleep(1000);
    return 0;
}

int main(int argc, char **argv)
{
    void (*irq)(void) = NULL;
    if (argc > 1 && strcmp(argv[1], "isr") == 0)
        irq = socket_irq;
    else if (argc > 1 && strcmp(argv[1], "lwip") == 0)
        irq = lwip_irq;
    if (irq == NULL) {
        printf("usage: net_fail_cases isr|lwip\n0 passed, 1 failed\n");
        return 1;
    }
    /* a board without a connected NIC may fail to start: the check is at
     * the calls' entry and does not need a running network */
    if (vt_net_start(NULL) == 0)
        vt_udp_open(&sock, 9000);
    vt_thread_create(&waiter, stack, sizeof stack, "waiter", wait_main, (void *)irq, 0);
    vt_run();
    printf("misuse not detected\n0 passed, 1 failed\n");
    return 1;
}
