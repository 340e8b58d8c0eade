/* SPDX-License-Identifier: MIT */
/**
 * @file boards/mps2-an505/board.h
 * @brief ARM MPS2 AN505 (SSE-200 subsystem, Cortex-M33 at 20 MHz) as QEMU
 * models it, used from the Secure state: peripherals at their Secure
 * aliases and interrupt lines (names as in ARM's CMSIS header for the
 * AN505).
 */
#ifndef VT_BOARD_MPS2_AN505_H
#define VT_BOARD_MPS2_AN505_H

#include <stdint.h>

#include "../common/cmsdk.h"

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "mps2-an505"
#endif

/** System clock: the CPU, SysTick, the CMSDK timers; board_cycles() counts it. */
#define BOARD_CYCLES_HZ 20000000u
#define BOARD_SYSTICK_HZ BOARD_CYCLES_HZ

/* CMSDK APB peripherals at the Secure aliases of 0x4xxxxxxx
 * (boards/common/mps2.c uses UART0, timers 0 and 1, the dual timer) */
#define CMSDK_UART0 ((cmsdk_uart_t *)0x50200000u)
#define CMSDK_UART1 ((cmsdk_uart_t *)0x50201000u)
#define CMSDK_UART2 ((cmsdk_uart_t *)0x50202000u)
#define CMSDK_UART3 ((cmsdk_uart_t *)0x50203000u)
#define CMSDK_UART4 ((cmsdk_uart_t *)0x50204000u)
#define CMSDK_TIMER0 ((cmsdk_timer_t *)0x50000000u)
#define CMSDK_TIMER1 ((cmsdk_timer_t *)0x50001000u)
#define CMSDK_DUALTIMER ((cmsdk_dualtimer_t *)0x50002000u)

/** LAN9118 Ethernet (Secure alias of 0x42000000), net/drivers/lan9118.c. */
#define BOARD_LAN9118_BASE 0x52000000u
#define BOARD_LAN9118_IRQ ETHERNET_IRQn

/* NVIC interrupt lines; "(board)": the board's own handler (board_api.h) */
#define BOARD_IRQ_LINES 96
#define BOARD_IRQ_LIST(X)                                                            \
    X(NONSEC_WATCHDOG_RESET, 0) X(NONSEC_WATCHDOG, 1) X(S32K_TIMER, 2)               \
    X(TIMER0, 3)    /* (board) the clock: wraps of the free-running count */        \
    X(TIMER1, 4)    /* (board) board_test_irq() */                                   \
    X(DUALTIMER, 5) /* (board) the CPU-hog tick (VT_CONFIG_HOG_MS) */                \
    X(MPC, 9) X(PPC, 10) X(MSC, 11) X(BRIDGE_ERROR, 12)                              \
    X(UARTRX0, 32) X(UARTTX0, 33) X(UARTRX1, 34) X(UARTTX1, 35) X(UARTRX2, 36)       \
    X(UARTTX2, 37) X(UARTRX3, 38) X(UARTTX3, 39) X(UARTRX4, 40) X(UARTTX4, 41)       \
    X(UART0, 42) X(UART1, 43) X(UART2, 44) X(UART3, 45) X(UART4, 46) X(UARTOVF, 47)  \
    X(ETHERNET, 48) /* (board) the LAN9118 driver */                                 \
    X(I2S, 49) X(TSC, 50) X(SPI2, 52) X(SPI3, 53) X(SPI4, 54)                        \
    X(GPIO0, 68) X(GPIO1, 69) X(GPIO2, 70) X(GPIO3, 71)
/* SysTick (the kernel's alarm) is the board's too. */

#include "../common/board_api.h"

#endif
