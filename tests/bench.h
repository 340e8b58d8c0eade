/* SPDX-License-Identifier: MIT */
/**
 * @file tests/bench.h
 * @brief What the kernel benchmarks share: the clock, the empty-loop
 * baseline, per-operation figures in tenths, and ceilings that fail.
 *
 * On the QEMU boards the benchmarks run under `-icount shift=0`, where one
 * nanosecond of virtual time is one instruction: board_cycles() (a timer at
 * BOARD_NS_PER_CYCLE ns a tick) converts to instructions, exactly and on
 * any machine. On the host the figures are wall-clock nanoseconds.
 *
 * Baselines hold nothing of what is measured: the same counted loop with
 * an empty body and a compiler barrier (bench_empty_loop()), so that a
 * figure is the operation's own instructions, its calls included.
 *
 * Ceilings: the figures for mps2-an385 (Cortex-M3) are in instructions;
 * other cores take them scaled by BENCH_SCALE_PCT, the board's
 * dedicated-yield cost relative to mps2-an385's (tests/CMakeLists.txt). On
 * the host, where only wall-clock time exists and the machine is shared,
 * the ceilings are in nanoseconds and loose: they catch an operation that
 * went to the operating system or looped, not a few percent (scaled by
 * BENCH_SCALE_PCT too: 10x under qemu-user, host-aarch64).
 */
#ifndef VT_TESTS_BENCH_H
#define VT_TESTS_BENCH_H

#include <stdint.h>

#include "board.h"
#include "vt/vt.h"

#ifdef BOARD_NS_PER_CYCLE
#define BENCH_UNIT "instructions"
#define BENCH_ICOUNT 1 /* figures are instruction counts */
#else
#define BENCH_UNIT "ns"
#define BENCH_ICOUNT 0
#endif

#ifndef BENCH_SCALE_PCT
#define BENCH_SCALE_PCT 100
#endif

/** Compiler barrier: the empty loop's body, and nothing else. */
#define BENCH_BARRIER() __asm volatile("" ::: "memory")

/**
 * Run @p body @p n times (n a multiple of BENCH_UNROLL) in a loop of one
 * shape for every body: BENCH_UNROLL copies of the body per round, and a
 * counter the compiler must keep in a register (the barrier takes it as an
 * operand). The loop control (2-4 instructions a round, as the compiler
 * allocates registers) is spread over BENCH_UNROLL operations, so the
 * measured loops and the empty baseline loop differ by at most a few
 * tenths of an instruction per operation.
 */
#define BENCH_UNROLL 10
#define BENCH_LOOP(n, body)                                                       \
    do {                                                                          \
        unsigned bench_i_ = (n) / BENCH_UNROLL;                                   \
        do {                                                                      \
            body; body; body; body; body; body; body; body; body; body;           \
            __asm volatile("" : "+r"(bench_i_)::"memory");                        \
        } while (--bench_i_ != 0);                                                \
    } while (0)

/** @brief The benchmark clock: board_cycles() (ns on the host). */
static inline unsigned long long bench_now(void) { return board_cycles(); }

/** @brief @p cycles of bench_now() in tenths of the unit (instructions or ns). */
long long bench_tenths(unsigned long long cycles);

/** @brief Cycles of @p n rounds of an empty counted loop (barrier only). */
unsigned long long bench_empty_loop(unsigned n);

/**
 * @brief Print `bench: <name> = <x.y> <unit> (ceiling <c>)` and check it.
 * @param tenths     the figure in tenths of the unit
 * @param target     the ceiling on mps2-an385, in whole instructions (scaled
 *                   by BENCH_SCALE_PCT on other cores)
 * @param host_ns    the ceiling on the host, in whole nanoseconds (scaled
 *                   by BENCH_SCALE_PCT under an emulator)
 * @return 0 within the ceiling, 1 past it (the line says FAIL)
 */
int bench_check(const char *name, long long tenths, unsigned target, unsigned host_ns);

/**
 * Operations per measured run and runs per figure. Under -icount one long
 * run is exact. On the host the clock is shared with other processes: many
 * short runs (tens of microseconds), and the fastest of them, which a
 * preemption did not reach even on a loaded machine.
 */
#define BENCH_OPS(icount_ops) (BENCH_ICOUNT ? (icount_ops) : 2000u)
#define BENCH_RUNS (BENCH_ICOUNT ? 1 : 50)

/** What a measuring thread reports to bench_run(): the cycles its loop took. */
extern unsigned long long bench_elapsed;

/**
 * @brief Run @p measure in a fresh thread until every thread has exited,
 * BENCH_RUNS times, and the empty counted loop of @p ops rounds as often;
 * the fastest of each. @p measure times its loop of @p ops operations
 * into bench_elapsed.
 * @return tenths of the unit per operation, the empty loop subtracted
 */
long long bench_run(int (*measure)(void *), unsigned ops);

/** @brief Print a figure without a ceiling (context for the checked ones). */
void bench_info(const char *name, long long tenths, const char *unit);

#endif
