/**
 * @file tests/fail_cases.c
 * @brief Misuse the kernel must catch and report by name (ctest matches the
 * report): `overflow` overruns a thread's stack, `isr` calls a thread-only
 * function from an interrupt handler.
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
static uint8_t big_stack[16384] __attribute__((aligned(16)));

static int recurse(int n)
{
    volatile uint8_t buf[64];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)n;
    if (n > 0)
        return recurse(n - 1) + buf[3];
    vt_yield();  /* the switch checks the guard */
    return buf[5];
}

static int deep_main(void *arg) { return recurse(12); }

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
    } else if (argc > 1 && strcmp(argv[1], "isr") == 0) {
        vt_thread_create(&deep, big_stack, sizeof big_stack, "isr", isr_main, NULL, 0);
        vt_run();
        printf("misuse not detected\n");
    } else {
        printf("usage: fail_cases overflow|isr\n");
    }
    printf("0 passed, 1 failed\n");
    return 1;
}
