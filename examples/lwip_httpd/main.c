/* SPDX-License-Identifier: MIT */
/**
 * @file examples/lwip_httpd/main.c
 * @brief lwIP's own raw-API httpd (src/apps/http) on vthread's network
 * start-up and poller: the callback-style reference for the request rate of
 * examples/http_server. Serves lwIP's built-in pages on port 80.
 */
#include <stdio.h>

#include "lwip/apps/httpd.h"
#include "netapp.h"

static int start(void *arg)
{
    if (vt_net_wait_up(15000) != 0)
        return 1;
    httpd_init();
    printf("lwip_httpd: listening on port 80\n");
    return 0;
}

int main(int argc, char **argv)
{
    static vt_thread_t t;
    static uint8_t stack[VT_STACK_SIZE(2048)] __attribute__((aligned(16)));
    if (netapp_start(argc, argv) != 0)
        return 1;
    vt_thread_create(&t, stack, sizeof stack, "httpd-init", start, NULL, VT_THREAD_DETACHED);
    vt_run();
    return 1;
}
