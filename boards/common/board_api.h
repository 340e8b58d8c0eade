/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/board_api.h
 * @brief What every microcontroller board offers an application, included by
 * its board.h after the board has defined:
 *
 *   BOARD_CYCLES_HZ       the rate of board_cycles()
 *   BOARD_IRQ_LINES       the number of interrupt lines (NVIC lines, or PLIC
 *                         sources + 1 since source 0 does not exist)
 *   BOARD_IRQ_LIST(X)     X(NAME, line) for every line with a name
 *
 * Interrupt handlers. Every named line has a handler `NAME_IRQHandler` (CMSIS
 * style: `UART0_IRQHandler`, `TIMER1_IRQHandler`, ...). The board defines it
 * weak, as its "unexpected interrupt" report; an application overrides it by
 * defining a function of that name, then enables the line with
 * board_irq_enable(NAME_IRQn). On Cortex-M the vector table calls it; on
 * RISC-V the board's PLIC dispatch calls it between claim and completion.
 * Handlers run on the interrupt stack with further interrupts masked; the
 * only kernel calls they may make are the `_isr` ones.
 *
 * Lines the board uses itself (its clock and alarm timers, the test
 * interrupt source, the NIC) carry the board's own handler: defining one of
 * those again stops the link with a "multiple definition" error naming it.
 * board.h marks them "(board)"; docs/boards.md lists them per board.
 */
#ifndef VT_BOARD_API_H
#define VT_BOARD_API_H

#include <stddef.h>
#include <stdint.h>

/** Nanoseconds per board_cycles() tick (tests turn them into instructions
 *  under QEMU's -icount, where one virtual nanosecond is one instruction). */
#define BOARD_NS_PER_CYCLE (1e9 / BOARD_CYCLES_HZ)

/** @brief A 64-bit count of BOARD_CYCLES_HZ ticks since reset. */
unsigned long long board_cycles(void);

/**
 * @brief Test interrupt source: @p handler runs from a hardware interrupt
 * every @p period_us microseconds; NULL (or 0) stops it.
 * @return 0, or VT_EINVAL for a period the hardware cannot make.
 */
int board_test_irq(unsigned period_us, void (*handler)(void));

/** @brief Write one byte to the console UART (waits while it is full). */
void board_putc(char c);

/** @brief The next byte received on the console UART, or -1 (never waits). */
int board_getc(void);

/** @brief On the QEMU boards (semihosting, boards/common/cmdline.c): read
 *  the host's file @p path (relative to QEMU's working directory) whole
 *  into @p buf, e.g. certificates given at boot; @p buf NULL: only its
 *  size (to allocate no more than it needs).
 *  @return its size, or -1 (no such file, larger than @p len, I/O error) */
long board_host_file_read(const char *path, void *buf, size_t len);

/** @cond */
#define BOARD_IRQ_ENUMERATOR(name, line) name##_IRQn = (line),
#define BOARD_IRQ_PROTOTYPE(name, line) void name##_IRQHandler(void);
/** @endcond */

/** The board's interrupt lines by name: `NAME_IRQn` is line number `line`. */
typedef enum { BOARD_IRQ_LIST(BOARD_IRQ_ENUMERATOR) } board_irqn_t;

/* the handlers, one per named line (weak in the board, see above) */
BOARD_IRQ_LIST(BOARD_IRQ_PROTOTYPE)

/**
 * @brief Let interrupt line @p irq reach its handler: clears a pending
 * request left from before, then enables the line in the interrupt
 * controller (NVIC, or the PLIC for hart 0 machine mode at priority 1). The
 * device's own interrupt enable is the caller's. Thread context or ISR.
 * @return 0, or VT_EINVAL for a line the board does not have.
 */
int board_irq_enable(unsigned irq);

/** @brief Stop interrupt line @p irq at the controller. @return 0 or VT_EINVAL. */
int board_irq_disable(unsigned irq);

#if defined(__riscv)
/**
 * @brief RISC-V boards: route PLIC source @p irq to @p handler at run time,
 * for a driver that finds its line only then (a virtio-mmio slot); the
 * source is enabled (NULL detaches and disables it). The handler runs in
 * interrupt context between the claim and the completion.
 * @return 0, VT_EINVAL (a source out of the board's attachable range),
 * VT_EBUSY (a NAME_IRQHandler of the board or the application handles it).
 */
int board_irq_attach(unsigned irq, void (*handler)(void));
#endif

#endif
