/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/cmsdk.h
 * @brief ARM CMSDK APB peripherals of the MPS2 boards: UART, timer, dual
 * timer. Register layouts and bit names follow ARM's CMSIS device headers
 * for these boards; the board's board.h places the instances.
 */
#ifndef VT_BOARD_CMSDK_H
#define VT_BOARD_CMSDK_H

#include <stddef.h>
#include <stdint.h>

/** CMSDK APB UART. */
typedef struct {
    volatile uint32_t DATA;      /**< 0x00 received/transmitted byte */
    volatile uint32_t STATE;     /**< 0x04 buffer state, overrun flags */
    volatile uint32_t CTRL;      /**< 0x08 enables (TX never drains unless TXEN) */
    volatile uint32_t INTSTATUS; /**< 0x0C reads: pending; writes: clear (INTCLEAR) */
    volatile uint32_t BAUDDIV;   /**< 0x10 */
} cmsdk_uart_t;
#define CMSDK_UART_STATE_TXBF (1u << 0) /**< transmit buffer full */
#define CMSDK_UART_STATE_RXBF (1u << 1) /**< a received byte waits */
#define CMSDK_UART_CTRL_TXEN (1u << 0)
#define CMSDK_UART_CTRL_RXEN (1u << 1)
#define CMSDK_UART_CTRL_TXIRQEN (1u << 2) /**< interrupt when the transmit buffer empties */
#define CMSDK_UART_CTRL_RXIRQEN (1u << 3)
#define CMSDK_UART_INT_TX (1u << 0)
#define CMSDK_UART_INT_RX (1u << 1)

/** CMSDK APB timer: 32-bit down-counter, reloads and interrupts at zero. */
typedef struct {
    volatile uint32_t CTRL;      /**< 0x00 */
    volatile uint32_t VALUE;     /**< 0x04 */
    volatile uint32_t RELOAD;    /**< 0x08 */
    volatile uint32_t INTSTATUS; /**< 0x0C reads: pending; writes: clear (INTCLEAR) */
} cmsdk_timer_t;
#define CMSDK_TIMER_CTRL_EN (1u << 0)
#define CMSDK_TIMER_CTRL_IRQEN (1u << 3)
#define CMSDK_TIMER_INT (1u << 0)

/** CMSDK APB dual timer: its first counter (the second follows at 0x20). */
typedef struct {
    volatile uint32_t LOAD;     /**< 0x00 */
    const volatile uint32_t VALUE; /**< 0x04 */
    volatile uint32_t CTRL;     /**< 0x08 */
    volatile uint32_t INTCLR;   /**< 0x0C write: clear the interrupt */
    const volatile uint32_t RIS; /**< 0x10 raw interrupt status */
    const volatile uint32_t MIS; /**< 0x14 masked interrupt status */
    volatile uint32_t BGLOAD;   /**< 0x18 */
} cmsdk_dualtimer_t;
#define CMSDK_DUALTIMER_CTRL_ONESHOT (1u << 0)
#define CMSDK_DUALTIMER_CTRL_SIZE32 (1u << 1)
#define CMSDK_DUALTIMER_CTRL_INTEN (1u << 5)
#define CMSDK_DUALTIMER_CTRL_PERIODIC (1u << 6)
#define CMSDK_DUALTIMER_CTRL_EN (1u << 7)
_Static_assert(offsetof(cmsdk_dualtimer_t, BGLOAD) == 0x18, "CMSDK dual timer layout");

#endif
