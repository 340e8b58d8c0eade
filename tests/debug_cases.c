/* SPDX-License-Identifier: MIT */
/**
 * @file tests/debug_cases.c
 * @brief Debugging aids, checked by their reports (ctest matches them; label
 * `debug`):
 *  - `dump`: vt_dump() lists every thread with its state, what it waits on,
 *    its deadline and stack; high-water marks measure what a thread used.
 *  - `hog` (library with VT_CONFIG_HOG_MS=50): a thread that spins 200 ms is
 *    reported from the interrupt, once, with the advice to offload it; one
 *    that runs as long in vt_slice_yield() slices is not; one that runs in
 *    slices for 600 ms is named as an offload candidate. `hog_abort`: the same with
 *    VT_HOG_ABORT, which stops with a dump.
 *  - `fault`: an undefined instruction in a thread is reported with its name
 *    and a dump.
 *  - `deadlock`: two threads that each hold the mutex the other waits for;
 *    the dump names, for each, the mutex and the thread that holds it.
 *  - `dump_cost`: what vt_dump() costs of the caller's stack: the high-water
 *    mark of a thread that calls it, less that of a thread that calls an
 *    empty function instead (benchmark, with a ceiling).
 *  - `mpu` (library with VT_CONFIG_MPU_GUARD=1, ARMv7-M): an overflow that
 *    never reaches a switch is stopped by the MPU guard region.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "harness.h"

#ifdef VT_TEST_TINY_RAM /* 16 KB boards */
/* -O0 frames and an exception frame: chanr's wait measured 580 bytes on
 * netduinoplus2, and 640 in all overflowed into the MPU guard when an
 * interrupt came at its deepest; the guard's room comes on top */
#define STACK (640 + (VT_CONFIG_MPU_GUARD ? 2 * VT_ARCH_MPU_GUARD_SIZE : 0))
#define USE_BYTES 192
#else
#define STACK 2048
#define USE_BYTES 1024
#endif
static vt_thread_t th[8];
static uint8_t stacks[8][STACK] __attribute__((aligned(VT_THREAD_STACK_ALIGN)));

/* ------------------------------------------------------------------ dump */

static vt_mutex_t mtx;
static vt_sem_t sem;
static vt_chan_t chan;
static int chan_buf[2];

static int done_main(void *arg) { return 7; }
static int owner_main(void *arg)
{
    vt_mutex_lock(&mtx);
    vt_sleep(100000);  /* cancelled by the case */
    vt_mutex_unlock(&mtx);
    return 0;
}
static int mwait_main(void *arg)
{
    int rc = vt_mutex_lock(&mtx);
    if (rc == 0)
        vt_mutex_unlock(&mtx);
    return 0;
}
static int semw_main(void *arg) { return vt_sem_wait_timeout(&sem, 50000) == VT_ECANCELED ? 0 : 1; }
static int chanr_main(void *arg)
{
    int v;
    return vt_chan_recv(&chan, &v) == VT_ECANCELED ? 0 : 1;
}
static int joiner_main(void *arg) { return vt_thread_join(&th[1], NULL, VT_FOREVER) == VT_ECANCELED ? 0 : 1; }

/* uses about 1 KB of its stack, then returns how much the scan measured */
static __attribute__((noinline)) void use_stack(void)
{
    volatile uint8_t buf[USE_BYTES];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)i;
}
static int heavy_main(void *arg)
{
    use_stack();
    return 0;
}

static int case_dump(void *unused)
{
    static const struct {
        const char *name;
        vt_entry_t fn;
    } mk[] = {
        {"done", done_main},   {"owner", owner_main}, {"mwait", mwait_main},
        {"semw", semw_main},   {"chanr", chanr_main}, {"joiner", joiner_main},
        {"heavy", heavy_main},
    };
    int code;
    vt_mutex_init(&mtx);
    vt_sem_init(&sem, 0);
    vt_chan_init(&chan, chan_buf, sizeof chan_buf[0], 2);
    for (unsigned i = 0; i < sizeof mk / sizeof mk[0]; i++)
        CHECK_EQ(vt_thread_create(&th[i], stacks[i], STACK, mk[i].name, mk[i].fn, NULL, 0), 0);
    vt_sleep(2);  /* every thread reaches its wait */
    /* high-water mark: heavy used its 1 KB buffer, the others little */
    CHECK(vt_thread_stack_used(&th[6]) >= USE_BYTES);
    CHECK(vt_thread_stack_used(&th[6]) < STACK);
    CHECK(vt_thread_stack_used(&th[0]) < 512);
    CHECK_EQ(vt_thread_join(&th[6], &code, VT_NOWAIT), 0);
    vt_dump();
    for (unsigned i = 1; i < 6; i++)
        vt_thread_cancel(&th[i]);
    for (unsigned i = 0; i < 6; i++) {
        CHECK_EQ(vt_thread_join(&th[i], &code, VT_FOREVER), 0);
        CHECK_EQ(code, i == 0 ? 7 : 0);
    }
    printf("dump case done\n");
    return 0;
}

/* -------------------------------------------------------------- deadlock */

static vt_mutex_t m_ab, m_ba;
static volatile int at_second; /* threads about to take their second mutex */
static char dump_text[2048];
static size_t dump_len;

static int lock_pair(void *arg)
{
    vt_mutex_t *first = arg == NULL ? &m_ab : &m_ba, *second = arg == NULL ? &m_ba : &m_ab;
    int rc;
    vt_mutex_lock(first);
    vt_sleep(1);            /* the other thread takes its first mutex meanwhile */
    at_second++;            /* no scheduling point from here to the wait */
    rc = vt_mutex_lock(second); /* deadlock: the case cancels one of the two */
    if (rc == 0)
        vt_mutex_unlock(second);
    vt_mutex_unlock(first);
    return rc == 0 || rc == VT_ECANCELED ? 0 : 1;
}

static void dump_collect(void *ctx, const char *line)
{
    size_t n = strlen(line);
    if (dump_len + n < sizeof dump_text) {
        memcpy(dump_text + dump_len, line, n + 1);
        dump_len += n;
    }
    fputs(line, stdout);
}

/* the dump's line of thread @p name contains @p text */
static int dump_line_has(const char *name, const char *text)
{
    const char *l = dump_text;
    while ((l = strstr(l, name)) != NULL) {
        const char *end = strchr(l, '\n'), *hit = strstr(l, text);
        if (l[-1] == ' ' && l[strlen(name)] == ' ' && hit != NULL && (end == NULL || hit < end))
            return 1;
        l += strlen(name);
    }
    return 0;
}

static int case_deadlock(void *unused)
{
    char text[64];
    int code;
    vt_mutex_init(&m_ab);
    vt_mutex_init(&m_ba);
    CHECK_EQ(vt_thread_create(&th[0], stacks[0], STACK, "lock-ab", lock_pair, NULL, 0), 0);
    CHECK_EQ(vt_thread_create(&th[1], stacks[1], STACK, "lock-ba", lock_pair, &m_ba, 0), 0);
    while (at_second < 2)
        vt_sleep(1); /* until both hold one mutex and wait for the other */
    vt_dump_to(dump_collect, NULL);
    snprintf(text, sizeof text, "mutex %p held by lock-ba", (void *)&m_ba);
    CHECK(dump_line_has("lock-ab", text));
    snprintf(text, sizeof text, "mutex %p held by lock-ab", (void *)&m_ab);
    CHECK(dump_line_has("lock-ba", text));
    vt_thread_cancel(&th[0]);
    for (unsigned i = 0; i < 2; i++) {
        CHECK_EQ(vt_thread_join(&th[i], &code, VT_FOREVER), 0);
        CHECK_EQ(code, 0);
    }
    printf("deadlock case done\n");
    return 0;
}

/* ------------------------------------------------------------- dump cost */

#ifndef DUMP_STACK_CEILING
#define DUMP_STACK_CEILING 1024
#endif

/* the baseline: a call that does nothing, kept by a compiler barrier */
static __attribute__((noinline)) void no_dump(void) { __asm volatile("" ::: "memory"); }

static int dumper_main(void *arg)
{
    if (arg != NULL)
        vt_dump();
    else
        no_dump();
    return 0;
}

/* room for the dump through the C library's printf (glibc's is deep) */
#if defined(VT_TEST_TINY_RAM)
#define DUMP_STACK 1536
#else
#define DUMP_STACK 16384
#endif
static uint8_t dump_stack[DUMP_STACK] __attribute__((aligned(16)));

static int case_dump_cost(void *unused)
{
    size_t used[2];
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(vt_thread_create(&th[i], dump_stack, sizeof dump_stack, i ? "dumper" : "idle-call",
                                  dumper_main, i ? (void *)1 : NULL, 0), 0);
        CHECK_EQ(vt_thread_join(&th[i], NULL, VT_FOREVER), 0);
        used[i] = vt_thread_stack_used(&th[i]);
    }
    printf("bench: vt_dump_stack = %u bytes (ceiling %u; %u with vt_dump, %u without)\n",
           (unsigned)(used[1] - used[0]), (unsigned)DUMP_STACK_CEILING, (unsigned)used[1],
           (unsigned)used[0]);
    CHECK(used[1] > used[0]);
    CHECK(used[1] - used[0] <= DUMP_STACK_CEILING);
    return 0;
}

/* ------------------------------------------------------------------- hog */

static volatile unsigned long spins;

/* busy for @p ms without any scheduling point, in the clock the detector
 * measures runs in (the host board: CPU time) */
uint32_t board_hog_clock_ms(void);
static __attribute__((noinline)) void spin_ms(vt_tick_t ms)
{
    vt_tick_t t0 = board_hog_clock_ms();
    while ((vt_tick_t)(board_hog_clock_ms() - t0) < ms)
        spins++;
}

static int hogger_main(void *arg)
{
    spin_ms(100);
    return 0;
}

/* busy for @p arg ms, cut in 10 ms slices: `polite` computes as long as
 * the hogger (100 ms), `cruncher` 600 ms and is named an offload candidate
 * (found running at every check for 8 budgets). Timed on the detector's
 * clock, as spin_ms() is: on the host that is the firmware's CPU time, and
 * a loaded machine would otherwise leave cruncher short of 8 budgets. */
static int sliced_main(void *arg)
{
    vt_slice_t s;
    vt_tick_t t0 = board_hog_clock_ms(), ms = (vt_tick_t)(uintptr_t)arg;
    vt_slice_begin(&s, 10);
    while ((vt_tick_t)(board_hog_clock_ms() - t0) < ms) {
        spins++;
        vt_slice_yield(&s);
    }
    return 0;
}

static int case_hog(void *unused)
{
    printf("hogger's loop spin_ms is at %p\n", (void *)(uintptr_t)spin_ms);
    CHECK_EQ(vt_thread_create(&th[0], stacks[0], STACK, "polite", sliced_main, (void *)100, 0), 0);
    CHECK_EQ(vt_thread_join(&th[0], NULL, VT_FOREVER), 0);
    CHECK_EQ(vt_thread_create(&th[0], stacks[0], STACK, "cruncher", sliced_main, (void *)600, 0), 0);
    CHECK_EQ(vt_thread_join(&th[0], NULL, VT_FOREVER), 0);
    CHECK_EQ(vt_thread_create(&th[1], stacks[1], STACK, "hogger", hogger_main, NULL, 0), 0);
    CHECK_EQ(vt_thread_join(&th[1], NULL, VT_FOREVER), 0);
    printf("hog case done\n");
    return 0;
}

/* ----------------------------------------------------------------- fault */

static int crasher_main(void *arg)
{
    __builtin_trap();
    return 0;
}

/* ------------------------------------------------------------------- mpu */

static struct {
    uint8_t pad[1024];
    uint8_t stack[VT_STACK_SIZE(256)];
} mem __attribute__((aligned(64)));

/* writes downwards from just below its stack pointer, far past the stack's
 * bottom: below sp, so that its own frame (where -O0 keeps the loop's
 * variables) stays intact until the guard region stops it (threads run on
 * PSP, interrupts on MSP: nothing else uses the memory below sp) */
static __attribute__((noinline)) int overrun(volatile uint8_t *from)
{
#if defined(__ARM_ARCH)
    __asm volatile("mov %0, sp" : "=r"(from));
    from -= 16;
#endif
    for (unsigned i = 0; i < sizeof mem.stack + 512; i++)
        *(from - i) = (uint8_t)i;
    return from[0];
}

static int deep_main(void *arg)
{
    volatile uint8_t here[8];
    overrun(here);
    return 1;  /* not reached: the MPU stops the write at the guard region */
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    printf("vthread debug cases on %s: %s\n", VT_BOARD_NAME, what);
    if (strcmp(what, "dump") == 0) {
        run_case("dump", case_dump);
    } else if (strcmp(what, "dump_cost") == 0) {
        run_case("dump_cost", case_dump_cost);
    } else if (strcmp(what, "deadlock") == 0) {
        run_case("deadlock", case_deadlock);
    } else if (strcmp(what, "hog") == 0 || strcmp(what, "hog_abort") == 0) {
        run_case("hog", case_hog);
    } else if (strcmp(what, "fault") == 0) {
        vt_thread_create(&th[0], stacks[0], STACK, "crasher", crasher_main, NULL, 0);
        vt_run();
        printf("fault not reported\n0 passed, 1 failed\n");
        return 1;
    } else if (strcmp(what, "mpu") == 0) {
        vt_thread_create(&th[0], mem.stack, sizeof mem.stack, "deep", deep_main, NULL, 0);
        vt_run();
        printf("overflow not detected\n0 passed, 1 failed\n");
        return 1;
    } else {
        printf("usage: debug_cases dump|deadlock|dump_cost|hog|hog_abort|fault|mpu\n");
        return 1;
    }
    return harness_finish();
}
