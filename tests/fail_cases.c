/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fail_cases.c
 * @brief Misuse the kernel must catch and report by name (ctest matches the
 * report): `overflow` overruns a thread's stack, `overflow_hw` does so without
 * ever switching (only a hardware stack limit catches it), `isr` calls a
 * thread-only function from an interrupt handler, `offload` from an
 * offloaded function (vt_offload), `offload_shared` offloads work on a
 * shared-stack thread's local, `shared_ptr` hands such a local to another
 * thread.
 */
#include <stdint.h>
#include <stdlib.h>

#include "board.h"
#include "harness.h"

/* the stack sits right above padding, so the overrun lands in our own pad */
static struct {
    uint8_t pad[1024];
    uint8_t stack[VT_STACK_SIZE(256)];
} mem __attribute__((aligned(16)));
static vt_thread_t deep;
#ifdef VT_TEST_TINY_RAM
static uint8_t big_stack[2048] __attribute__((aligned(16))); /* 16 KB boards */
#else
static uint8_t big_stack[16384] __attribute__((aligned(16)));
#endif

/* One frame twice the stack's size, written end to end: the overrun covers
 * the guard word whatever the compiler's frame layout (recursion leaves
 * unwritten alignment holes, and the guard can fall into one). */
static __attribute__((noinline)) int overrun(void)
{
    volatile uint8_t buf[2 * sizeof mem.stack];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)i;
    vt_yield();  /* the switch checks the guard */
    return buf[5];
}

static int deep_main(void *arg) { return overrun(); }

/* The same overrun without any switch: only a hardware stack limit (ARMv8-M
 * PSPLIM) can stop it before the thread carries on with a broken stack. */
static __attribute__((noinline)) int overrun_quietly(void)
{
    volatile uint8_t buf[2 * sizeof mem.stack];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)i;
    return buf[5];
}

/* overflow_struct: the usual `static vt_thread_t t; static uint8_t
 * stack[...]` layout, in the order that hurts (the struct right below the
 * stack, as a toolchain may lay the two out; the wrapper makes it certain).
 * The overrun writes far below the stack, over the struct, then yields: the
 * report must still name the thread and its size (kernel.h's copy), or a
 * hardware guard (MPU, PSPLIM) stops the write first. The size is 1024 on
 * every port so that ctest can match it. `overflow_isr` overruns the same
 * way, then spins without a scheduling point: the alarm interrupt (a
 * sleeper's timer) finds the broken guard. */
static struct {
    uint8_t pad[2048];
    vt_thread_t t;
    uint8_t stack[1024] __attribute__((aligned(16))); /* 1024 usable on every port */
} usual __attribute__((aligned(32)));
static vt_thread_t sleeper;
static uint8_t sleeper_stack[1024] __attribute__((aligned(16)));

static __attribute__((noinline)) int overrun_struct(int spin)
{
    volatile uint8_t buf[2 * sizeof usual.stack];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)i;
    if (spin) {
        vt_tick_t t0 = vt_now_ms();
        while ((vt_tick_t)(vt_now_ms() - t0) < 2000) {
        }
        printf("overflow not detected by the alarm interrupt\n");
        printf("0 passed, 1 failed\n");
        exit(1);
    }
    vt_yield(); /* nobody else is ready: the yield checks the guard anyway */
    return buf[5];
}
static int victim_main(void *arg) { return overrun_struct(arg != NULL); }
static int sleeper_main(void *arg) { return vt_sleep(20); }

static int quiet_main(void *arg)
{
    (void)overrun_quietly();
    printf("overflow not detected by hardware\n");
    printf("0 passed, 1 failed\n");
    exit(1); /* before the exit path's guard check could report it */
}

static vt_sem_t sem;
static void bad_irq(void) { vt_sem_post(&sem); /* not the _isr variant */ }

static int isr_main(void *arg)
{
    board_test_irq(1000, bad_irq);
    vt_sleep(1000);
    return 0;
}

/* offload: an offloaded function makes a thread-only call */
static int crunch(void *arg)
{
    return vt_sem_post(&sem); /* must be vt_sem_post_isr() */
}

static int offload_main(void *arg)
{
    int r;
    vt_sem_init(&sem, 0);
    return vt_offload("crunch", crunch, NULL, &r, VT_FOREVER);
}

/* shared_ptr: a shared-stack thread hands its local semaphore to a thread
 * of another group and blocks; the poster must be stopped in debug builds */
static vt_runstack_t rs_a, rs_b;
static vt_thread_t owner1, owner2, poster;
static vt_sem_t *volatile handed;

static int sem_owner(void *arg)
{
    vt_sem_t local;
    vt_sem_init(&local, 0);
    handed = &local;           /* the violation: a local crosses a blocking call */
    return vt_sem_wait(&local);
}
static int bystander(void *arg) { return vt_sleep(10); }
static int sem_poster(void *arg)
{
    vt_sleep(5);
    return vt_sem_post(handed);
}

/* offload_shared: a shared-stack thread offloads work on its own local,
 * which another thread of its group may overwrite while it waits */
static int sum_job(void *arg)
{
    return ((int *)arg)[0] + ((int *)arg)[1];
}

static int offloader(void *arg)
{
    int pair[2] = {1, 2}, r;
    return vt_offload("sum", sum_job, pair, &r, VT_FOREVER);
}

static void offload_shared_case(void)
{
    vt_runstack_init(&rs_a, big_stack, sizeof big_stack);
    vt_thread_create_shared(&owner1, &rs_a, "offloader", offloader, NULL, 0);
    vt_thread_create_shared(&owner2, &rs_a, "bystander", bystander, NULL, 0);
    vt_run();
}

static void shared_ptr_case(void)
{
    vt_runstack_init(&rs_a, big_stack, sizeof big_stack / 2);
    vt_runstack_init(&rs_b, big_stack + sizeof big_stack / 2, sizeof big_stack / 2);
    vt_thread_create_shared(&owner1, &rs_a, "owner", sem_owner, NULL, 0);
    vt_thread_create_shared(&owner2, &rs_a, "bystander", bystander, NULL, 0);
    vt_thread_create_shared(&poster, &rs_b, "poster", sem_poster, NULL, 0);
    vt_run();
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "overflow") == 0) {
        vt_thread_create(&deep, mem.stack, sizeof mem.stack, "deep", deep_main, NULL, 0);
        vt_run();
        printf("overflow not detected\n");
    } else if (argc > 1 && strcmp(argv[1], "overflow_hw") == 0) {
        vt_thread_create(&deep, mem.stack, sizeof mem.stack, "deep", quiet_main, NULL, 0);
        vt_run();
        printf("overflow not detected\n");
    } else if (argc > 1 && (strcmp(argv[1], "overflow_struct") == 0 ||
                            strcmp(argv[1], "overflow_isr") == 0)) {
        int isr = strcmp(argv[1], "overflow_isr") == 0;
        printf("thread struct at %p, its stack at %p (%u bytes)\n", (void *)&usual.t,
               (void *)usual.stack, (unsigned)sizeof usual.stack);
        if (isr)
            vt_thread_create(&sleeper, sleeper_stack, sizeof sleeper_stack, "sleeper",
                             sleeper_main, NULL, 0);
        vt_thread_create(&usual.t, usual.stack, sizeof usual.stack, "victim", victim_main,
                         isr ? &usual : NULL, 0);
        vt_run();
        printf("overflow not detected\n");
    } else if (argc > 1 && strcmp(argv[1], "isr") == 0) {
        vt_thread_create(&deep, big_stack, sizeof big_stack, "isr", isr_main, NULL, 0);
        vt_run();
        printf("misuse not detected\n");
    } else if (argc > 1 && strcmp(argv[1], "offload") == 0) {
        vt_thread_create(&deep, big_stack, sizeof big_stack, "caller", offload_main, NULL, 0);
        vt_run();
        printf("misuse not detected\n");
    } else if (argc > 1 && strcmp(argv[1], "offload_shared") == 0) {
        offload_shared_case();
        printf("misuse not detected\n");
    } else if (argc > 1 && strcmp(argv[1], "shared_ptr") == 0) {
        shared_ptr_case();
        printf("misuse not detected\n");
    } else {
        printf("usage: fail_cases overflow|overflow_struct|overflow_isr|overflow_hw|isr|offload|offload_shared|shared_ptr\n");
    }
    printf("0 passed, 1 failed\n");
    return 1;
}
