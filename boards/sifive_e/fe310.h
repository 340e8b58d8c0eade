/* SPDX-License-Identifier: MIT */
/**
 * @file boards/sifive_e/fe310.h
 * @brief The SiFive FE310 peripherals the sifive_e board and its tests use:
 * the UARTs. Layout and names as in SiFive's FE310 manual; the instances
 * at the end. The CLINT and the PLIC are in boards/common/riscv.h.
 */
#ifndef VT_BOARD_FE310_H
#define VT_BOARD_FE310_H

#include <stdint.h>

/** SiFive UART: 8-entry FIFOs, watermark interrupts. */
typedef struct {
    volatile uint32_t TXDATA; /**< 0x00 write: a byte to send; read: bit 31 FULL */
    volatile uint32_t RXDATA; /**< 0x04 read: bit 31 EMPTY, else the byte (popped) */
    volatile uint32_t TXCTRL; /**< 0x08 */
    volatile uint32_t RXCTRL; /**< 0x0C */
    volatile uint32_t IE;     /**< 0x10 interrupt enables */
    const volatile uint32_t IP; /**< 0x14 interrupts pending */
    volatile uint32_t DIV;    /**< 0x18 baud divisor: f_in / (DIV + 1) */
} sifive_uart_t;
#define UART_TXDATA_FULL (1u << 31)
#define UART_RXDATA_EMPTY (1u << 31)
#define UART_TXCTRL_TXEN (1u << 0)
#define UART_RXCTRL_RXEN (1u << 0)
#define UART_IE_TXWM (1u << 0) /**< transmit FIFO below its watermark */
#define UART_IE_RXWM (1u << 1) /**< receive FIFO above its watermark */

#define FE310_UART0 ((sifive_uart_t *)0x10013000u)
#define FE310_UART1 ((sifive_uart_t *)0x10023000u)

#endif
