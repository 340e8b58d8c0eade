/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/board_common.h
 * @brief What the board support shares across boards (private to boards/):
 * semihosting, the start-up hook, the millisecond clock, deadlines on one
 * compare interrupt, and the unexpected-interrupt report.
 */
#ifndef VT_BOARD_COMMON_H
#define VT_BOARD_COMMON_H

#include <stddef.h>
#include <stdint.h>

/** @brief One semihosting call: operation @p op with parameter block @p arg
 *  (ARM: bkpt 0xab; RISC-V: the slli/ebreak/srai sequence). @return r0/a0 */
long board_semihost(long op, void *arg);

/** @brief argv from the semihosting command line (QEMU's -kernel path, then
 *  the words of -append). @return argc */
int board_cmdline(char ***argv);

/** @brief End the emulation with exit code @p code (SYS_EXIT_EXTENDED);
 *  returns only when semihosting is off. */
void board_semihost_exit(int code);

/* semihosting operations and the stop reason (ARM's semihosting spec;
 * RISC-V uses the same numbers) */
#define SEMIHOST_SYS_OPEN 0x01
#define SEMIHOST_SYS_CLOSE 0x02
#define SEMIHOST_SYS_READ 0x06
#define SEMIHOST_SYS_FLEN 0x0C
#define SEMIHOST_SYS_GET_CMDLINE 0x15
#define SEMIHOST_SYS_EXIT_EXTENDED 0x20
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026u

/** @brief The board's devices, set up by the common start-up code
 *  (cortex_m.c, riscv.c) after .data and .bss and before the C library's
 *  constructors: console, clock, the lines the board takes. */
void board_init(void);

/**
 * @brief The reset path's end, shared by every board: the C library's
 * constructors, argv from the semihosting command line, main(), then
 * board_exit() with its result.
 */
void board_run_main(void) __attribute__((noreturn));

/** @brief Report an interrupt on line @p irq that nothing handles, and stop
 *  (the default of every NAME_IRQHandler). */
void board_irq_unexpected(unsigned irq) __attribute__((noreturn));

/* ---- millisecond clock (clock.c) on board_cycles() at BOARD_CYCLES_HZ ---- */

/** @brief The board_cycles() time at which millisecond @p deadline
 *  (board_clock_ms() time) begins; 0 when it has already begun. */
uint64_t clock_ms_to_cycles(uint32_t deadline);

/* ---- deadlines on one compare interrupt (deadline.c) ----
 * The kernel's one-shot alarm and, on boards without a timer to spare for
 * them, the CPU-hog tick and the test interrupt source share one compare
 * (CLINT mtimecmp, SysTick): it holds the earliest of their deadlines. */

/** Who uses the compare. */
enum deadline_slot { DEADLINE_ALARM, DEADLINE_HOG, DEADLINE_TEST, DEADLINE_SLOTS };

/** @brief Call @p fn from the compare interrupt every @p period board
 *  cycles, the first time @p period from now; period 0 stops it. */
void deadline_periodic(enum deadline_slot slot, uint64_t period, void (*fn)(void));

/** @brief The compare interrupt's work: run what is due, re-arm. */
void deadline_isr(void);

/** @brief The board's compare: interrupt at board_cycles() time @p at, or
 *  earlier (the deadlines are checked again); UINT64_MAX: not at all. */
void board_compare_program(uint64_t at);
/** @brief The value of option @p key ("key=value") on the command line
 *  board_cmdline() read at boot, or NULL. */
const char *board_cmdline_value(const char *key);

#endif
