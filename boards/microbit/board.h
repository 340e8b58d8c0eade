/* SPDX-License-Identifier: MIT */
/**
 * @file boards/microbit/board.h
 * @brief BBC micro:bit (nRF51822: Cortex-M0 at 16 MHz, 256 KB flash, 16 KB
 * RAM) as QEMU models it: peripherals and interrupt lines (names as in
 * Nordic's CMSIS header).
 */
#ifndef VT_BOARD_MICROBIT_H
#define VT_BOARD_MICROBIT_H

#include <stdint.h>

#include "nrf51.h"

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "microbit"
#endif

/** board_cycles() counts TIMER0 at 16 MHz (prescaler 0). */
#define BOARD_CYCLES_HZ 16000000u

/* NVIC interrupt lines; "(board)": the board's own handler (board_api.h) */
#define BOARD_IRQ_LINES 32
#define BOARD_IRQ_LIST(X)                                                            \
    X(POWER_CLOCK, 0) X(RADIO, 1) X(UART0, 2) X(SPI0_TWI0, 3) X(SPI1_TWI1, 4)        \
    X(GPIOTE, 6) X(ADC, 7)                                                           \
    X(TIMER0, 8)  /* (board) the clock, and the CPU-hog tick on its channel 1 */    \
    X(TIMER1, 9)  /* (board) the kernel's alarm */                                   \
    X(TIMER2, 10) /* (board) board_test_irq() */                                     \
    X(RTC0, 11) X(TEMP, 12) X(RNG, 13) X(ECB, 14) X(CCM_AAR, 15) X(WDT, 16)          \
    X(RTC1, 17) X(QDEC, 18) X(LPCOMP, 19) X(SWI0, 20) X(SWI1, 21) X(SWI2, 22)        \
    X(SWI3, 23) X(SWI4, 24) X(SWI5, 25)

#include "../common/board_api.h"

/* semihosting command line: small buffers on a 16 KB part */
#define BOARD_CMDLINE_MAX 128
#define BOARD_ARGS_MAX 8

#endif
