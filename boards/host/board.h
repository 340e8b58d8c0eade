/* SPDX-License-Identifier: MIT */
/**
 * @file boards/host/board.h
 * @brief Host "board": a Linux process. Interrupt sources are signals.
 */
#ifndef VT_BOARD_HOST_H
#define VT_BOARD_HOST_H

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "host"
#endif

/** @brief Route signal @p sig to @p handler as an interrupt: it runs on the
 *  signal stack with arch_in_isr() true and may call `_isr` functions. */
void host_irq_attach(int sig, void (*handler)(void));

/** @brief Start a periodic interrupt source: @p sig every @p period_us
 *  microseconds (0 stops it). Uses a POSIX timer. */
int host_irq_periodic(int sig, unsigned period_us);

/** @brief Test interrupt source: call @p handler from an interrupt every
 *  @p period_us microseconds; NULL stops it. */
int board_test_irq(unsigned period_us, void (*handler)(void));

/** @brief The process's arguments, as main() gets them (the NIC reads its
 *  options there: net/drivers/slirp.c). @return argc */
int board_cmdline(char ***argv);

/** @brief The next byte on standard input, or -1 (never waits; -1 at EOF). */
int board_getc(void);

/** Thread stacks sized on a 32-bit board need about this many times more
 *  here: 64-bit frames, glibc's stdio (the examples' NETAPP_STACK). */
#define BOARD_STACK_SCALE 4

/** @brief A free-running cycle-like counter for benchmarks (nanoseconds). */
unsigned long long board_cycles(void);
#define BOARD_CYCLES_PER_US 1000u

#endif
