/* SPDX-License-Identifier: MIT */
/**
 * @file boards/mps2-an385/board.h
 * @brief ARM MPS2 AN385 (Cortex-M3, 25 MHz) as QEMU models it: peripherals
 * and interrupt lines (names as in ARM's CMSIS header for the AN385).
 */
#ifndef VT_BOARD_MPS2_H
#define VT_BOARD_MPS2_H

#include <stdint.h>

#include "../common/cmsdk.h"

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "mps2-an385"
#endif

/** System clock: the CPU, SysTick, the CMSDK timers; board_cycles() counts it. */
#define BOARD_CYCLES_HZ 25000000u
#define BOARD_SYSTICK_HZ BOARD_CYCLES_HZ

/* CMSDK APB peripherals (boards/common/mps2.c uses UART0, timers 0 and 1,
 * the dual timer; UARTs 1-4 are free) */
#define CMSDK_UART0 ((cmsdk_uart_t *)0x40004000u)
#define CMSDK_UART1 ((cmsdk_uart_t *)0x40005000u)
#define CMSDK_UART2 ((cmsdk_uart_t *)0x40006000u)
#define CMSDK_UART3 ((cmsdk_uart_t *)0x40007000u)
#define CMSDK_UART4 ((cmsdk_uart_t *)0x40009000u)
#define CMSDK_TIMER0 ((cmsdk_timer_t *)0x40000000u)
#define CMSDK_TIMER1 ((cmsdk_timer_t *)0x40001000u)
#define CMSDK_DUALTIMER ((cmsdk_dualtimer_t *)0x40002000u)

/** LAN9118 Ethernet controller (net/drivers/lan9118.c). */
#define BOARD_LAN9118_BASE 0x40200000u
#define BOARD_LAN9118_IRQ ETHERNET_IRQn

/* NVIC interrupt lines; "(board)": the board's own handler (board_api.h) */
#define BOARD_IRQ_LINES 32
#define BOARD_IRQ_LIST(X)                                                            \
    X(UARTRX0, 0) X(UARTTX0, 1) X(UARTRX1, 2) X(UARTTX1, 3) X(UARTRX2, 4)            \
    X(UARTTX2, 5) X(PORT0_ALL, 6) X(PORT1_ALL, 7)                                    \
    X(TIMER0, 8)     /* (board) the clock: wraps of the free-running count */       \
    X(TIMER1, 9)     /* (board) board_test_irq() */                                  \
    X(DUALTIMER, 10) /* (board) the CPU-hog tick (VT_CONFIG_HOG_MS) */               \
    X(SPI, 11) X(UARTOVF, 12)                                                        \
    X(ETHERNET, 13)  /* (board) the LAN9118 driver */                                \
    X(I2S, 14) X(TSC, 15) X(PORT2_ALL, 16) X(PORT3_ALL, 17) X(UARTRX3, 18)           \
    X(UARTTX3, 19) X(UARTRX4, 20) X(UARTTX4, 21) X(ADCSPI, 22) X(SHIELDSPI, 23)      \
    X(PORT0_0, 24) X(PORT0_1, 25) X(PORT0_2, 26) X(PORT0_3, 27) X(PORT0_4, 28)       \
    X(PORT0_5, 29) X(PORT0_6, 30) X(PORT0_7, 31)
/* SysTick (the kernel's alarm) is the board's too. */

#include "../common/board_api.h"

#endif
