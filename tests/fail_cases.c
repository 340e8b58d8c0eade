/**
 * @file tests/fail_cases.c
 * @brief Misuse the kernel must catch and report by name (ctest matches the
 * report): `overflow` overruns a thread's stack, `overflow_hw` does so without
 * ever switching (only a hardware stack limit catches it), `isr` calls a
 * thread-only function from an interrupt handler.
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
    } else if (argc > 1 && strcmp(argv[1], "isr") == 0) {
        vt_thread_create(&deep, big_stack, sizeof big_stack, "isr", isr_main, NULL, 0);
        vt_run();
        printf("misuse not detected\n");
    } else {
        printf("usage: fail_cases overflow|overflow_hw|isr\n");
    }
    printf("0 passed, 1 failed\n");
    return 1;
}
