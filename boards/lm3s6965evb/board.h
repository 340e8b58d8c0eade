/* SPDX-License-Identifier: MIT */
/**
 * @file boards/lm3s6965evb/board.h
 * @brief TI Stellaris LM3S6965 evaluation board (Cortex-M3 at 50 MHz,
 * 256 KB flash, 64 KB SRAM, Ethernet MAC) as QEMU models it: peripherals,
 * clocks and interrupt lines (names after the datasheet's table).
 */
#ifndef VT_BOARD_LM3S6965EVB_H
#define VT_BOARD_LM3S6965EVB_H

#include <stdint.h>

#include "lm3s6965.h"

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "lm3s6965evb"
#endif

/** The PLL runs the core at 50 MHz, the part's maximum; board_cycles()
 *  counts its clocks (SysTick, extended by its wrap interrupt). */
#define BOARD_CYCLES_HZ 50000000u

/** Memory: flash at 0, SRAM at 0x20000000 (linker/lm3s6965evb.ld). */
#define BOARD_FLASH_BYTES (256u * 1024u)
#define BOARD_RAM_BYTES (64u * 1024u)

/** Ethernet MAC (net/drivers/stellaris.c). */
#define BOARD_ETH_BASE 0x40048000u

/* NVIC interrupt lines; "(board)": the board's own handler (board_api.h) */
#define BOARD_IRQ_LINES 44
#define BOARD_IRQ_LIST(X)                                                            \
    X(GPIOA, 0) X(GPIOB, 1) X(GPIOC, 2) X(GPIOD, 3) X(GPIOE, 4) X(UART0, 5)          \
    X(UART1, 6) X(SSI0, 7) X(I2C0, 8) X(PWM_FAULT, 9) X(PWM0, 10) X(PWM1, 11)        \
    X(PWM2, 12) X(QEI0, 13) X(ADC0SS0, 14) X(ADC0SS1, 15) X(ADC0SS2, 16)             \
    X(ADC0SS3, 17) X(WATCHDOG, 18)                                                   \
    X(TIMER0A, 19) /* (board) the kernel's alarm */                                  \
    X(TIMER0B, 20)                                                                   \
    X(TIMER1A, 21) /* (board) board_test_irq() */                                    \
    X(TIMER1B, 22)                                                                   \
    X(TIMER2A, 23) /* (board) the CPU-hog tick (VT_CONFIG_HOG_MS) */                 \
    X(TIMER2B, 24) X(COMP0, 25) X(COMP1, 26) X(SYSCTL, 28) X(FLASH, 29)              \
    X(GPIOF, 30) X(GPIOG, 31) X(UART2, 33) X(TIMER3A, 35) X(TIMER3B, 36) X(I2C1, 37) \
    X(QEI1, 38)                                                                      \
    X(ETH, 42)     /* (board) the Ethernet driver, when linked */                    \
    X(HIB, 43)
/* SysTick (the clock's wraps) is the board's too. */

#include "../common/board_api.h"

/* semihosting command line: 64 KB of RAM, keep it small (a build may set
 * them: the TLS gateway's certificate paths and test seed need more) */
#ifndef BOARD_CMDLINE_MAX
#define BOARD_CMDLINE_MAX 256
#endif
#ifndef BOARD_ARGS_MAX
#define BOARD_ARGS_MAX 16
#endif

#endif
