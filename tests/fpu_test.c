/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fpu_test.c
 * @brief Floating-point state survives context switches (boards built
 * hard-float only). Many threads keep values in the callee-saved FP
 * registers s16-s31 across vt_yield() and vt_sleep():
 *  - `regs`: each thread loads a pattern of its own into s16-s31 by
 *    assembly, switches away, and checks every register afterwards;
 *  - `math`: each thread runs a float recurrence with sixteen live values
 *    across switches and compares with the same computation run without
 *    switching.
 */
#include <stdint.h>

#include "board.h"
#include "harness.h"

#if !defined(__ARM_FP) || defined(__SOFTFP__)
#error "fpu_test needs a hard-float build"
#endif

#define NTHREADS 10
#define ROUNDS 40
static vt_thread_t t[NTHREADS];
#ifdef __OPTIMIZE__
#define NEED 512
#else
#define NEED 1024 /* -O0: every local in memory, the board's clock code too */
#endif
static uint8_t stacks[NTHREADS][VT_STACK_SIZE(NEED)] __attribute__((aligned(16)));

/* ---------------------------------------------------- s16-s31 by assembly */

/* Loads in[] into s16-s31, switches (yield, or sleep 1 ms when @p sleep),
 * stores s16-s31 into out[]. The caller's s16-s31 are preserved (AAPCS). */
static void fp_regs_across_switch(const uint32_t *in, uint32_t *out, int sleep)
{
    __asm volatile("vpush   {s16-s31}\n\t"
                   "vldm    %0, {s16-s31}\n\t"
                   "cmp     %2, #0\n\t"
                   "beq     1f\n\t"
                   "movs    r0, #1\n\t"
                   "bl      vt_sleep\n\t"
                   "b       2f\n"
                   "1:\n\t"
                   "bl      vt_yield\n"
                   "2:\n\t"
                   "vstm    %1, {s16-s31}\n\t"
                   "vpop    {s16-s31}\n\t"
                   :
                   : "r"(in), "r"(out), "r"(sleep)
                   : "r0", "r1", "r2", "r3", "r12", "lr", "s0", "s1", "s2", "s3", "s4", "s5",
                     "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15", "cc",
                     "memory");
}

static int regs_worker(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg, in[16], out[16];
    int bad = 0;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        for (uint32_t i = 0; i < 16; i++)
            in[i] = 0x3F800000u + (id << 16) + (r << 5) + i; /* distinct per thread/round */
        memset(out, 0, sizeof out);
        fp_regs_across_switch(in, out, r % 8 == 3);
        for (unsigned i = 0; i < 16; i++)
            if (out[i] != in[i])
                bad++;
    }
    if (bad != 0)
        printf("  thread %s: %d FP registers changed across switches\n", vt_thread_name(vt_self()),
               bad);
    return bad;
}

/* ----------------------------------------------------- compiled float code */

#define FP16(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

/* Sixteen float values live across the switch calls: the compiler keeps
 * them in callee-saved s16-s31. The same code runs with and without
 * switching, so the results must be bit-identical. */
static __attribute__((noinline)) uint32_t float_recurrence(uint32_t id, int do_switch)
{
#define DECL(i) float a##i = (float)(id * 16 + i) * 0.25f + 1.0f;
    FP16(DECL)
#undef DECL
    for (int r = 0; r < ROUNDS; r++) {
#define STEP(i) a##i = a##i * 0.999f + (float)(i + 1) * 0.5f;
        FP16(STEP)
#undef STEP
        if (do_switch) {
            if (r % 8 == 5)
                vt_sleep(1);
            else
                vt_yield();
        }
        a0 += a15 * 0.001f;
    }
    {
        float sum = 0.0f;
        union {
            float f;
            uint32_t u;
        } v;
#define SUM(i) sum = sum * 1.5f + a##i;
        FP16(SUM)
#undef SUM
        v.f = sum;
        return v.u;
    }
}

static uint32_t expect[NTHREADS];

static int math_worker(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    uint32_t got = float_recurrence(id, 1);
    if (got != expect[id]) {
        printf("  thread %s: float result %08lx, expected %08lx\n", vt_thread_name(vt_self()),
               (unsigned long)got, (unsigned long)expect[id]);
        return 1;
    }
    return 0;
}

static const char *const names[NTHREADS] = {"f0", "f1", "f2", "f3", "f4",
                                            "f5", "f6", "f7", "f8", "f9"};

static int run_workers(vt_entry_t fn)
{
    int code;
    for (int i = 0; i < NTHREADS; i++)
        CHECK_EQ(vt_thread_create(&t[i], stacks[i], sizeof stacks[i], names[i], fn,
                                  (void *)(uintptr_t)i, 0), 0);
    for (int i = 0; i < NTHREADS; i++) {
        code = -1;
        CHECK_EQ(vt_thread_join(&t[i], &code, VT_FOREVER), 0);
        CHECK_EQ(code, 0);
    }
    return 0;
}

static int case_regs(void *unused) { return run_workers(regs_worker); }

static int case_math(void *unused)
{
    for (uint32_t i = 0; i < NTHREADS; i++)
        expect[i] = float_recurrence(i, 0);
    /* all threads have distinct results, so a swapped context shows */
    for (int i = 1; i < NTHREADS; i++)
        CHECK(expect[i] != expect[i - 1]);
    return run_workers(math_worker);
}

/* both kinds at once: integer-only threads interleave with FP threads */
static int int_worker(void *arg)
{
    unsigned x = 1;
    for (int r = 0; r < ROUNDS; r++) {
        x = x * 1103515245u + 12345u;
        vt_yield();
    }
    return x == 0 ? 1 : 0;
}

static int case_mixed(void *unused)
{
    int code;
    for (uint32_t i = 0; i < NTHREADS; i++)
        expect[i] = float_recurrence(i, 0);
    for (int i = 0; i < NTHREADS; i++)
        CHECK_EQ(vt_thread_create(&t[i], stacks[i], sizeof stacks[i], names[i],
                                  i % 3 == 0 ? int_worker : (i % 3 == 1 ? math_worker : regs_worker),
                                  (void *)(uintptr_t)i, 0), 0);
    for (int i = 0; i < NTHREADS; i++) {
        code = -1;
        CHECK_EQ(vt_thread_join(&t[i], &code, VT_FOREVER), 0);
        CHECK_EQ(code, 0);
    }
    return 0;
}

int main(int argc, char **argv)
{
    printf("vthread FPU test on %s (%d threads, switch frame %d bytes)\n", VT_BOARD_NAME,
           NTHREADS, VT_ARCH_CONTEXT_BYTES);
    run_case("fp_regs_s16_s31", case_regs);
    run_case("fp_math", case_math);
    run_case("fp_mixed", case_mixed);
    return harness_finish();
}
