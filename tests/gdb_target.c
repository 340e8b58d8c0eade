/* SPDX-License-Identifier: MIT */
/**
 * @file tests/gdb_target.c
 * @brief Firmware for the GDB test (tests/gdb_test.py): threads suspended in
 * known places when the checker calls gdb_checkpoint(), where GDB stops.
 * The helper functions are noinline and use their callee's result, so each
 * keeps its own frame for the backtrace to show.
 */
#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "vt/vt.h"

static vt_sem_t sem;
static volatile int stop;
static volatile int sink;

static __attribute__((noinline)) int nap_inner(vt_tick_t ms)
{
    int rc = vt_sleep(ms);
    sink += rc;
    return rc + 1;
}
static __attribute__((noinline)) int nap_outer(vt_tick_t ms)
{
    int rc = nap_inner(ms * 2);
    sink += rc;
    return rc + 1;
}
static int sleeper_main(void *arg) { return nap_outer(50000) == 2 ? 0 : 0; }

static __attribute__((noinline)) int consume_wait(void)
{
    int rc = vt_sem_wait(&sem);
    sink += rc;
    return rc + 1;
}
static int consumer_main(void *arg)
{
    consume_wait();
    return 0;
}

static __attribute__((noinline)) void yield_loop(void)
{
    while (!stop) {
        vt_yield();
        sink++;
    }
}
static int yielder_main(void *arg)
{
    yield_loop();
    return 0;
}

/* GDB puts its breakpoint here. */
__attribute__((noinline)) void gdb_checkpoint(void);
__attribute__((noinline)) void gdb_checkpoint(void) { __asm volatile("" ::: "memory"); }

static vt_thread_t t_sleeper, t_consumer, t_yielder, t_checker;
static uint8_t s1[1024] __attribute__((aligned(16))), s2[1024] __attribute__((aligned(16)));
static uint8_t s3[1024] __attribute__((aligned(16))), s4[2048] __attribute__((aligned(16)));

static int checker_main(void *arg)
{
    vt_sleep(5); /* the others reach their waits */
    gdb_checkpoint();
    stop = 1;
    vt_thread_cancel(&t_sleeper);
    vt_sem_post(&sem);
    vt_thread_join(&t_sleeper, NULL, VT_FOREVER);
    vt_thread_join(&t_consumer, NULL, VT_FOREVER);
    vt_thread_join(&t_yielder, NULL, VT_FOREVER);
    return 0;
}

int main(void)
{
    vt_sem_init(&sem, 0);
    vt_thread_create(&t_sleeper, s1, sizeof s1, "sleeper", sleeper_main, NULL, 0);
    vt_thread_create(&t_consumer, s2, sizeof s2, "consumer", consumer_main, NULL, 0);
    vt_thread_create(&t_yielder, s3, sizeof s3, "yielder", yielder_main, NULL, 0);
    vt_thread_create(&t_checker, s4, sizeof s4, "checker", checker_main, NULL, 0);
    vt_run();
    vt_thread_join(&t_checker, NULL, VT_NOWAIT);
    printf("gdb target done\n1 passed, 0 failed\n");
    return 0;
}
