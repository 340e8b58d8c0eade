/* SPDX-License-Identifier: MIT */
/**
 * @file boards/riscv32-virt/virt.h
 * @brief The devices of QEMU's RISC-V virt machine the board and its tests
 * use: the NS16550A console UART, the goldfish RTC (the test interrupt
 * source), the sifive_test exit device. The CLINT and the PLIC are in
 * boards/common/riscv.h.
 */
#ifndef VT_BOARD_VIRT_H
#define VT_BOARD_VIRT_H

#include <stdint.h>

/** NS16550A UART: byte registers. */
typedef struct {
    volatile uint8_t RBR_THR; /**< 0 read: received byte; write: byte to send */
    volatile uint8_t IER;     /**< 1 interrupt enables */
    volatile uint8_t IIR_FCR; /**< 2 read: interrupt identity; write: FIFO control */
    volatile uint8_t LCR;     /**< 3 */
    volatile uint8_t MCR;     /**< 4 */
    const volatile uint8_t LSR; /**< 5 line status */
} ns16550_t;
#define NS16550_IER_ERBFI (1u << 0) /**< received data available */
#define NS16550_IER_ETBEI (1u << 1) /**< transmit holding register empty */
#define NS16550_IIR_NO_INT (1u << 0) /**< no interrupt pending */
#define NS16550_LSR_DR (1u << 0)    /**< a received byte waits */
#define NS16550_LSR_THRE (1u << 5)  /**< the transmit holding register is empty */

/** Goldfish RTC: nanoseconds since the epoch, one alarm. */
typedef struct {
    const volatile uint32_t TIME_LOW;  /**< 0x00 read first: latches TIME_HIGH */
    const volatile uint32_t TIME_HIGH; /**< 0x04 */
    volatile uint32_t ALARM_LOW;       /**< 0x08 write last: arms the alarm */
    volatile uint32_t ALARM_HIGH;      /**< 0x0C */
    volatile uint32_t IRQ_ENABLED;     /**< 0x10 */
    volatile uint32_t CLEAR_ALARM;     /**< 0x14 */
    const volatile uint32_t ALARM_STATUS; /**< 0x18 */
    volatile uint32_t CLEAR_INTERRUPT; /**< 0x1C */
} goldfish_rtc_t;

#define VIRT_UART0 ((ns16550_t *)0x10000000u)
#define VIRT_RTC ((goldfish_rtc_t *)0x00101000u)
/** sifive_test: writes end QEMU (boards/common/riscv.c's board_exit). */
#define BOARD_SIFIVE_TEST_BASE 0x00100000u

#endif
