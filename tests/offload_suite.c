/* SPDX-License-Identifier: MIT */
/**
 * @file tests/offload_suite.c
 * @brief vt_offload() (label `offload`): the same source on the host (jobs
 * on OS threads) and on every board (one preemptible background context).
 *
 * The cases prove that threads run while a job runs by making the job wait
 * for them: a job that spins until a sleeping thread has ticked ten times
 * can only finish if the kernel preempts it. Registers (integer and FP)
 * are checked across thousands of preemptions by computing the same thing
 * in a job and in threads and comparing with a reference.
 */
#include <stdint.h>
#include <stdlib.h>

#include "arch_cpu.h" /* VT_ARCH_BG_THREADS on the host */
#include "board.h"
#include "harness.h"

#ifdef VT_ARCH_BG_THREADS
#define ONE_CORE 0 /* host: jobs run in parallel on OS threads */
#define WORKERS VT_CONFIG_OFFLOAD_THREADS
#define ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#else
#define ONE_CORE 1
#define WORKERS 1
#define ADD(p, v) (*(p) += (v)) /* one background context: only it writes these */
#endif

#if defined(__SANITIZE_ADDRESS__)
#define STK 32768
#elif defined(VT_TEST_TINY_RAM)
#define STK 512
#else
#define STK 2048
#endif
#ifdef VT_TEST_TINY_RAM
#define FP_THREAD_ROUNDS 100 /* 16 MHz, soft-float: a shorter torture */
#else
#define FP_THREAD_ROUNDS 300
#endif

static vt_thread_t th[3];
static uint8_t stk[3][STK] __attribute__((aligned(16)));

/* a job's give-up time: a broken preemption shows as a failed check, not a hang */
#define GIVE_UP_MS 5000
static int expired(vt_tick_t t0) { return (vt_tick_t)(vt_now_ms() - t0) > GIVE_UP_MS; }

/* -------------------------------------------------------- threads go on */

static volatile unsigned ticks;
static volatile int ticker_stop;

static int ticker(void *arg)
{
    while (!ticker_stop) {
        vt_sleep(1);
        ticks++;
    }
    return 0;
}

static void ticker_start(void)
{
    ticker_stop = 0;
    CHECK_EQ(vt_thread_create(&th[0], stk[0], STK, "ticker", ticker, NULL, 0), 0);
}

static void ticker_end(void)
{
    ticker_stop = 1;
    CHECK_EQ(vt_thread_join(&th[0], NULL, VT_FOREVER), 0);
}

/* finishes only once the ticker thread has run ten times meanwhile */
static int wait_for_ticks(void *arg)
{
    unsigned t0 = ticks;
    vt_tick_t start = vt_now_ms();
    while (ticks - t0 < 10)
        if (expired(start))
            return -1;
    return (int)(intptr_t)arg + 1;
}

static int case_threads_run(void *unused)
{
    int r = 0;
    ticker_start();
    CHECK_EQ(vt_offload("ticks", wait_for_ticks, (void *)41, &r, VT_FOREVER), 0);
    CHECK_EQ(r, 42);
    ticker_end();
    return 0;
}

/* --------------------------------------------- queue: order, one at a time */

static volatile int active, max_active;
static volatile unsigned seq;

static int ordered(void *arg)
{
    int a = ADD(&active, 1);
    unsigned my = ADD(&seq, 1) - 1;
    vt_tick_t t0 = vt_now_ms();
    if (a > max_active)
        max_active = a;
    while ((vt_tick_t)(vt_now_ms() - t0) < 3) {
    }
    ADD(&active, -1);
    return (int)(my * 100 + (unsigned)(uintptr_t)arg);
}

static int case_queue(void *unused)
{
    static vt_offload_t job[5];
    int r;
    seq = 0;
    max_active = 0;
    for (int i = 0; i < 5; i++)
        CHECK_EQ(vt_offload_submit(&job[i], "ordered", ordered, (void *)(intptr_t)i,
                                   VT_FOREVER), 0);
    CHECK_EQ(vt_offload_submit(&job[0], "again", ordered, NULL, VT_NOWAIT), VT_EINVAL);
    for (int i = 0; i < 5; i++) {
        r = -1;
        CHECK_EQ(vt_offload_wait(&job[i], &r, VT_FOREVER), 0);
        CHECK_EQ(r % 100, i);
        if (ONE_CORE)
            CHECK_EQ(r / 100, i); /* run in submission order */
    }
    CHECK_EQ(vt_offload_wait(&job[0], &r, VT_NOWAIT), VT_EINVAL); /* collected */
    CHECK(max_active >= 1);
    CHECK(max_active <= WORKERS); /* one at a time per background context */
    return 0;
}

/* ---------------------------------------- full queue, timeouts, cancel */

static volatile int release;
static volatile int blocked_running;

/* holds its background context until released (or cancelled) */
static int blocker(void *arg)
{
    vt_tick_t t0 = vt_now_ms();
    ADD(&blocked_running, 1);
    while (!release && !vt_offload_cancelled())
        if (expired(t0))
            return -1;
    return vt_offload_cancelled() ? 77 : 7;
}

static volatile int never_ran;
static int must_not_run(void *arg)
{
    never_ran = 1;
    return 0;
}

static void wait_running(int n)
{
    vt_tick_t t0 = vt_now_ms();
    while (blocked_running < n && !expired(t0))
        vt_sleep(1);
    CHECK_EQ(blocked_running, n);
}

static int case_full_queue(void *unused)
{
    static vt_offload_t job[VT_CONFIG_OFFLOAD_QUEUE], extra;
    vt_tick_t t0;
    int r;
    release = 0;
    blocked_running = 0;
    for (int i = 0; i < VT_CONFIG_OFFLOAD_QUEUE; i++)
        CHECK_EQ(vt_offload_submit(&job[i], "blocker", blocker, NULL, VT_NOWAIT), 0);
    CHECK_EQ(vt_offload_submit(&extra, "extra", must_not_run, NULL, VT_NOWAIT), VT_EAGAIN);
    t0 = vt_now_ms();
    CHECK_EQ(vt_offload_submit(&extra, "extra", must_not_run, NULL, 20), VT_ETIMEDOUT);
    CHECK((vt_tick_t)(vt_now_ms() - t0) >= 20);
    CHECK_EQ(vt_offload(NULL, must_not_run, NULL, &r, VT_NOWAIT), VT_EAGAIN);
    wait_running(WORKERS);
    /* a wait that times out leaves the job going */
    CHECK_EQ(vt_offload_wait(&job[0], &r, 10), VT_ETIMEDOUT);
    CHECK_EQ(vt_offload_wait(&job[0], &r, VT_NOWAIT), VT_EAGAIN);
    release = 1;
    for (int i = 0; i < VT_CONFIG_OFFLOAD_QUEUE; i++) {
        r = -1;
        CHECK_EQ(vt_offload_wait(&job[i], &r, VT_FOREVER), 0);
        CHECK_EQ(r, 7);
    }
    CHECK_EQ(vt_offload_submit(&extra, "extra", ordered, NULL, VT_NOWAIT), 0);
    CHECK_EQ(vt_offload_wait(&extra, &r, VT_FOREVER), 0);
    CHECK_EQ(never_ran, 0);
    return 0;
}

/* vt_dump_to() sink: keeps the background's line, up to its first ';' */
static char dumped[64];
static void dump_find(void *ctx, const char *line)
{
    (void)ctx;
    if (strncmp(line, "  offload: ", 11) == 0) {
        size_t n = strcspn(line, ";");
        if (n + 2 > sizeof dumped)
            n = sizeof dumped - 2;
        memcpy(dumped, line, n + 1);
        dumped[n + 1] = 0;
    }
}

static int case_cancel(void *unused)
{
    static vt_offload_t run[WORKERS], queued;
    vt_offload_stats_t st0, st1;
    int r;
    release = 0;
    blocked_running = 0;
    never_ran = 0;
    vt_offload_stats(&st0);
    for (int i = 0; i < WORKERS; i++)
        CHECK_EQ(vt_offload_submit(&run[i], "blocker", blocker, NULL, VT_FOREVER), 0);
    wait_running(WORKERS); /* every background context is busy */
    CHECK_EQ(vt_offload_submit(&queued, "queued", must_not_run, NULL, VT_FOREVER), 0);
    CHECK_EQ(vt_offload_cancel(&queued), 0);       /* removed before it ran */
    CHECK_EQ(vt_offload_cancel(&queued), VT_EINVAL);
    r = 0;
    CHECK_EQ(vt_offload_wait(&queued, &r, VT_NOWAIT), 0);
    CHECK_EQ(r, VT_ECANCELED);
    /* the dump's background line */
    dumped[0] = 0;
    vt_dump_to(dump_find, NULL);
    if (ONE_CORE)
        CHECK(strcmp(dumped, "  offload: 1 running (blocker), 0 queued;") == 0);
    else
        CHECK(strncmp(dumped, "  offload: ", 11) == 0);
    for (int i = 0; i < WORKERS; i++)
        CHECK_EQ(vt_offload_cancel(&run[i]), VT_EBUSY); /* running: asked to stop */
    for (int i = 0; i < WORKERS; i++) {
        r = 0;
        CHECK_EQ(vt_offload_wait(&run[i], &r, VT_FOREVER), 0);
        CHECK_EQ(r, 77); /* it saw vt_offload_cancelled() */
    }
    CHECK_EQ(vt_offload_cancel(&run[0]), VT_EINVAL); /* over */
    CHECK_EQ(never_ran, 0);
    CHECK_EQ(vt_offload_cancelled(), 0); /* not in a job */
    vt_offload_stats(&st1);
    CHECK_EQ(st1.cancelled - st0.cancelled, 1);
    CHECK_EQ(st1.completed - st0.completed, WORKERS);
    CHECK_EQ(st1.queued, 0);
    return 0;
}

/* vt_offload() returns only once its function has stopped: timeout and
 * cancellation of the caller both ask the job to stop and wait for it */
static volatile int stopped;

static int until_cancelled(void *arg)
{
    vt_tick_t t0 = vt_now_ms();
    int *seen = arg; /* the caller's local: valid while the job runs */
    while (!vt_offload_cancelled())
        if (expired(t0))
            return -1;
    *seen = 1;
    stopped = 1;
    return 0;
}

static int offload_caller(void *arg)
{
    int seen = 0, r = 0;
    int rc = vt_offload("forever", until_cancelled, &seen, &r, VT_FOREVER);
    *(int *)arg = rc;
    return seen == 1 && stopped ? 0 : 1;
}

static int case_call_timeout(void *unused)
{
    int seen = 0, r = 5, rc, code = -1;
    vt_tick_t t0 = vt_now_ms();
    stopped = 0;
    rc = vt_offload("forever", until_cancelled, &seen, &r, 30);
    CHECK_EQ(rc, VT_ETIMEDOUT);
    CHECK((vt_tick_t)(vt_now_ms() - t0) >= 30);
    CHECK_EQ(seen, 1);   /* the job stopped before the call returned */
    CHECK_EQ(stopped, 1);
    CHECK_EQ(r, 5);      /* no result on failure */
    /* a thread blocked in vt_offload() is cancelled */
    stopped = 0;
    rc = 1;
    CHECK_EQ(vt_thread_create(&th[1], stk[1], STK, "caller", offload_caller, &rc, 0), 0);
    vt_sleep(20);
    CHECK_EQ(vt_thread_cancel(&th[1]), 0);
    CHECK_EQ(vt_thread_join(&th[1], &code, VT_FOREVER), 0);
    CHECK_EQ(rc, VT_ECANCELED);
    CHECK_EQ(code, 0);
    CHECK_EQ(vt_offload(NULL, NULL, NULL, &r, VT_FOREVER), VT_EINVAL);
    return 0;
}

/* --------------------------------------------- `_isr` calls from a job */

static vt_sem_t progress;
#define STEPS 50

static int reporter(void *arg)
{
    for (int i = 0; i < STEPS; i++) {
        vt_tick_t t0 = vt_now_ms();
        while ((vt_tick_t)(vt_now_ms() - t0) < 1) {
        }
        vt_sem_post_isr(&progress); /* allowed: the kernel applies it */
    }
    return STEPS;
}

static int case_isr_from_job(void *unused)
{
    static vt_offload_t job;
    int got = 0, r = 0;
    vt_sem_init(&progress, 0);
    CHECK_EQ(vt_offload_submit(&job, "reporter", reporter, NULL, VT_FOREVER), 0);
    while (got < STEPS && vt_sem_wait_timeout(&progress, GIVE_UP_MS) == 0)
        got++;
    CHECK_EQ(got, STEPS);
    CHECK_EQ(vt_offload_wait(&job, &r, VT_FOREVER), 0);
    CHECK_EQ(r, STEPS);
    return 0;
}

/* ----------------------------------- registers survive preemption (FP too) */

/* More live values than the caller-saved registers hold, so that the
 * callee-saved ones (s16-s31, fs0-fs11; r4-r11, s0-s11) carry state too:
 * 28 float and 12 integer accumulators. Not inlined nor analysed
 * (noipa): every call computes. */
#define STEP(x, y, k) x = x * (1.0f - (k)) + y * (k)
static __attribute__((noipa)) float fp_work(unsigned n, float seed)
{
    float a[28];
    for (int j = 0; j < 28; j++)
        a[j] = seed * (1.0f + 0.5f * (float)j);
    {
        float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6],
              a7 = a[7], a8 = a[8], a9 = a[9], a10 = a[10], a11 = a[11], a12 = a[12],
              a13 = a[13], a14 = a[14], a15 = a[15], a16 = a[16], a17 = a[17], a18 = a[18],
              a19 = a[19], a20 = a[20], a21 = a[21], a22 = a[22], a23 = a[23], a24 = a[24],
              a25 = a[25], a26 = a[26], a27 = a[27];
        for (unsigned i = 0; i < n; i++) {
            STEP(a0, a1, 0.001f); STEP(a1, a2, 0.002f); STEP(a2, a3, 0.003f);
            STEP(a3, a4, 0.004f); STEP(a4, a5, 0.005f); STEP(a5, a6, 0.006f);
            STEP(a6, a7, 0.007f); STEP(a7, a8, 0.008f); STEP(a8, a9, 0.009f);
            STEP(a9, a10, 0.010f); STEP(a10, a11, 0.011f); STEP(a11, a12, 0.012f);
            STEP(a12, a13, 0.013f); STEP(a13, a14, 0.014f); STEP(a14, a15, 0.015f);
            STEP(a15, a16, 0.016f); STEP(a16, a17, 0.017f); STEP(a17, a18, 0.018f);
            STEP(a18, a19, 0.019f); STEP(a19, a20, 0.020f); STEP(a20, a21, 0.021f);
            STEP(a21, a22, 0.022f); STEP(a22, a23, 0.023f); STEP(a23, a24, 0.024f);
            STEP(a24, a25, 0.025f); STEP(a25, a26, 0.026f); STEP(a26, a27, 0.027f);
            STEP(a27, a0, 0.028f);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 +
               a14 + a15 + a16 + a17 + a18 + a19 + a20 + a21 + a22 + a23 + a24 + a25 + a26 +
               a27;
    }
}

static __attribute__((noipa)) uint32_t int_work(unsigned n, uint32_t seed)
{
    uint32_t a = seed, b = seed ^ 0x9E3779B9u, c = seed * 3u, d = ~seed, e = seed + 7u,
             f = seed << 3, g = seed >> 2, h = 0x5AFEC0DEu, p = seed * 5u, q = seed ^ 0xFFu,
             r = seed + 0x1234u, t = seed * 9u;
    for (unsigned i = 0; i < n; i++) {
        a += b ^ (c >> 3);
        b += c ^ (d << 5);
        c += d ^ (e >> 7);
        d += e ^ (f << 11);
        e += f ^ (g >> 13);
        f += g ^ (h << 2);
        g += h ^ (p >> 17);
        h += p ^ (q << 19);
        p += q ^ (r >> 5);
        q += r ^ (t << 7);
        r += t ^ (a >> 9);
        t += a ^ (b << 3);
    }
    return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ p ^ q ^ r ^ t;
}

static float fp_ref;
static uint32_t int_ref;
static vt_sem_t irq_sem;
static volatile int fp_stop;
static volatile unsigned job_bad, thread_bad, thread_rounds;

static void irq_post(void) { vt_sem_post_isr(&irq_sem); }

/* woken from an interrupt every 500 us: the job is preempted each time */
static int fp_thread(void *arg)
{
    while (!fp_stop) {
        if (vt_sem_wait_timeout(&irq_sem, 100) != 0)
            continue;
        if (fp_work(4, 1.25f) != fp_ref || int_work(4, 77u) != int_ref)
            thread_bad++;
        thread_rounds++;
    }
    return 0;
}

/* the same computations, compared with their first result, until the
 * thread has run FP_THREAD_ROUNDS times meanwhile (on one core each of its
 * rounds takes the CPU from this job unless posts coalesced): a count of
 * preemptions that does not depend on the host's speed */
static int fp_job(void *arg)
{
    float big = fp_work(100, 1.25f);
    uint32_t ibig = int_work(100, 77u);
    unsigned rounds = 0, seen = thread_rounds;
    vt_tick_t t0 = vt_now_ms();
    while (thread_rounds - seen < FP_THREAD_ROUNDS || rounds < 10) {
        if (expired(t0))
            return -1;
        if (fp_work(100, 1.25f) != big)
            job_bad++;
        if (int_work(100, 77u) != ibig)
            job_bad++;
        rounds++;
    }
    return (int)rounds;
}

/* left running (preempted in the middle of fp_work) when the case ends:
 * the idle loop's registers must come back all the same */
static vt_offload_t spinner;
static volatile int spinning;

static int fp_spinner(void *arg)
{
    float ref = fp_work(100, 1.25f);
    vt_tick_t t0 = vt_now_ms();
    while (!vt_offload_cancelled() && !expired(t0)) {
        spinning = 1;
        if (fp_work(100, 1.25f) != ref)
            job_bad++;
    }
    return 0;
}

static int case_registers(void *unused)
{
    vt_offload_stats_t st0, st1;
    int r = -1;
    fp_ref = fp_work(4, 1.25f);
    int_ref = int_work(4, 77u);
    fp_stop = 0;
    job_bad = thread_bad = thread_rounds = 0;
    vt_sem_init(&irq_sem, 0);
    vt_offload_stats(&st0);
    CHECK_EQ(vt_thread_create(&th[2], stk[2], STK, "fp", fp_thread, NULL, 0), 0);
    CHECK_EQ(board_test_irq(500, irq_post), 0);
    CHECK_EQ(vt_offload("fp", fp_job, NULL, &r, VT_FOREVER), 0);
    board_test_irq(0, NULL);
    fp_stop = 1;
    CHECK_EQ(vt_thread_join(&th[2], NULL, VT_FOREVER), 0);
    vt_offload_stats(&st1);
    CHECK(r >= 10);
    CHECK_EQ(job_bad, 0);
    CHECK_EQ(thread_bad, 0);
    CHECK(thread_rounds >= FP_THREAD_ROUNDS);
    printf("  %d job rounds, %u thread rounds, %lu preemptions of the job\n", r,
           (unsigned)thread_rounds, (unsigned long)(st1.preemptions - st0.preemptions));
    /* one core: most of the thread's rounds took the CPU from the job (a
     * round is short: posts coalesce only when the host stalls QEMU) */
    if (ONE_CORE)
        CHECK(st1.preemptions - st0.preemptions >= FP_THREAD_ROUNDS / 4);
    spinning = 0;
    CHECK_EQ(vt_offload_submit(&spinner, "spinner", fp_spinner, NULL, VT_FOREVER), 0);
    while (!spinning)
        vt_sleep(1);
    return 0;
}

/* The idle loop is the other context the switch saves and restores: run
 * the case with values live in main's callee-saved registers (s16-s31 or
 * fs0-fs11, r4-r11 or s0-s11), which stay in the registers all through
 * vt_run(); they survive only if every switch back restores them. */
static volatile float fseed = 1.5f;
static volatile uint32_t iseed = 12345u;
static int idle_regs_bad;

static __attribute__((noipa)) void run_registers_case(void)
{
    float f0 = fseed, f1 = f0 * 2.0f, f2 = f0 * 3.0f, f3 = f0 * 4.0f, f4 = f0 * 5.0f,
          f5 = f0 * 6.0f, f6 = f0 * 7.0f, f7 = f0 * 8.0f, f8 = f0 * 9.0f, f9 = f0 * 10.0f,
          f10 = f0 * 11.0f, f11 = f0 * 12.0f;
    uint32_t i0 = iseed, i1 = i0 * 3u, i2 = i0 ^ 0xA5A5u, i3 = i0 + 99u, i4 = i0 << 4,
             i5 = ~i0;
    run_case("registers", case_registers);
    if (f0 != fseed || f1 != f0 * 2.0f || f2 != f0 * 3.0f || f3 != f0 * 4.0f ||
        f4 != f0 * 5.0f || f5 != f0 * 6.0f || f6 != f0 * 7.0f || f7 != f0 * 8.0f ||
        f8 != f0 * 9.0f || f9 != f0 * 10.0f || f10 != f0 * 11.0f || f11 != f0 * 12.0f ||
        i0 != iseed || i1 != i0 * 3u || i2 != (i0 ^ 0xA5A5u) || i3 != i0 + 99u ||
        i4 != i0 << 4 || i5 != ~i0)
        idle_regs_bad = 1;
}

static int case_idle_registers(void *unused)
{
    int r = -1;
    CHECK_EQ(idle_regs_bad, 0);
    vt_offload_cancel(&spinner);
    CHECK_EQ(vt_offload_wait(&spinner, &r, VT_FOREVER), 0);
    CHECK_EQ(r, 0);
    CHECK_EQ(job_bad, 0);
    return 0;
}

/* ------------------------------------------------------------- errors */

static int case_errors(void *unused)
{
    static vt_offload_t job;
    int r;
    CHECK_EQ(vt_offload_submit(NULL, "x", ordered, NULL, VT_FOREVER), VT_EINVAL);
    CHECK_EQ(vt_offload_submit(&job, "x", NULL, NULL, VT_FOREVER), VT_EINVAL);
    CHECK_EQ(vt_offload_wait(&job, &r, VT_FOREVER), VT_EINVAL); /* never submitted */
    CHECK_EQ(vt_offload_cancel(&job), VT_EINVAL);
    CHECK_EQ(vt_offload_wait(NULL, &r, VT_FOREVER), VT_EINVAL);
    return 0;
}

int main(int argc, char **argv)
{
    vt_offload_stats_t st;
    int r = 0;
    if (argc > 1)
        harness_only = argv[1];
    printf("vthread offload suite on %s (%s)\n", VT_BOARD_NAME,
           ONE_CORE ? "one background context" : "worker threads");
    /* outside a thread: refused */
    if (vt_offload(NULL, ordered, NULL, &r, VT_FOREVER) != VT_EPERM) {
        printf("FAIL vt_offload from main\n");
        return 1;
    }
    run_case("threads_run", case_threads_run);
    run_case("queue", case_queue);
    run_case("full_queue", case_full_queue);
    run_case("cancel", case_cancel);
    run_case("call_timeout", case_call_timeout);
    run_case("isr_from_job", case_isr_from_job);
    run_registers_case();
    run_case("idle_registers", case_idle_registers);
    run_case("errors", case_errors);
    vt_offload_stats(&st);
    printf("offload: %lu jobs, %lu preemptions, %lu resumes; background stack %u of %u bytes\n",
           (unsigned long)st.completed, (unsigned long)st.preemptions,
           (unsigned long)st.resumes, st.stack_used, st.stack_size);
    return harness_finish();
}
