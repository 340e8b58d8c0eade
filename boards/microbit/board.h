/**
 * @file boards/microbit/board.h
 * @brief BBC micro:bit (nRF51822: Cortex-M0 at 16 MHz, 16 KB RAM) as QEMU
 * models it.
 */
#ifndef VT_BOARD_MICROBIT_H
#define VT_BOARD_MICROBIT_H

#include <stdint.h>

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "microbit"
#endif

#define BOARD_SYSCLK_HZ 16000000u
/** board_cycles() ticks are 16 MHz timer ticks: 62.5 ns each. */
#define BOARD_NS_PER_CYCLE 62.5

/** @brief 64-bit count of 16 MHz ticks since boot (nRF51 TIMER0). */
unsigned long long board_cycles(void);

/** @brief Test interrupt source (nRF51 TIMER2): @p handler runs from its
 *  interrupt every @p period_us microseconds; NULL stops it. */
int board_test_irq(unsigned period_us, void (*handler)(void));

/** @brief Write one byte to the console UART. */
void board_putc(char c);

/** @brief The next byte received on the console UART, or -1 (never waits). */
int board_getc(void);

/* semihosting command line: small buffers on a 16 KB part */
#define BOARD_CMDLINE_MAX 128
#define BOARD_ARGS_MAX 8

#endif
