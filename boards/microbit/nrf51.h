/* SPDX-License-Identifier: MIT */
/**
 * @file boards/microbit/nrf51.h
 * @brief The nRF51822 peripherals the micro:bit board and its tests use:
 * UART, TIMER, RNG. Layouts and names as in Nordic's CMSIS device header
 * (tasks, events, then registers); the instances at the end.
 */
#ifndef VT_BOARD_NRF51_H
#define VT_BOARD_NRF51_H

#include <stddef.h>
#include <stdint.h>

/** UART (not UARTE: no DMA on the nRF51). */
typedef struct {
    volatile uint32_t TASKS_STARTRX; /**< 0x000 */
    volatile uint32_t TASKS_STOPRX;  /**< 0x004 */
    volatile uint32_t TASKS_STARTTX; /**< 0x008 */
    volatile uint32_t TASKS_STOPTX;  /**< 0x00C */
    uint32_t reserved0[60];
    volatile uint32_t EVENTS_CTS;    /**< 0x100 */
    volatile uint32_t EVENTS_NCTS;   /**< 0x104 */
    volatile uint32_t EVENTS_RXDRDY; /**< 0x108 a byte waits in RXD */
    uint32_t reserved1[4];
    volatile uint32_t EVENTS_TXDRDY; /**< 0x11C the byte in TXD has left */
    uint32_t reserved2[121];
    volatile uint32_t INTENSET;      /**< 0x304 */
    volatile uint32_t INTENCLR;      /**< 0x308 */
    uint32_t reserved3[125];
    volatile uint32_t ENABLE;        /**< 0x500 */
    uint32_t reserved4[2];
    volatile uint32_t PSELTXD;       /**< 0x50C */
    uint32_t reserved5;
    volatile uint32_t PSELRXD;       /**< 0x514 */
    const volatile uint32_t RXD;     /**< 0x518 */
    volatile uint32_t TXD;           /**< 0x51C */
    uint32_t reserved6;
    volatile uint32_t BAUDRATE;      /**< 0x524 */
} nrf_uart_t;
_Static_assert(offsetof(nrf_uart_t, EVENTS_RXDRDY) == 0x108 && offsetof(nrf_uart_t, EVENTS_TXDRDY) == 0x11C &&
                   offsetof(nrf_uart_t, INTENSET) == 0x304 && offsetof(nrf_uart_t, ENABLE) == 0x500 &&
                   offsetof(nrf_uart_t, BAUDRATE) == 0x524,
               "nRF51 UART layout");
#define UART_ENABLE_ENABLED 4u
#define UART_BAUDRATE_115200 0x01D7E000u

/** TIMER: 16/24/32-bit counter with four capture/compare channels. */
typedef struct {
    volatile uint32_t TASKS_START;       /**< 0x000 */
    volatile uint32_t TASKS_STOP;        /**< 0x004 */
    volatile uint32_t TASKS_COUNT;       /**< 0x008 */
    volatile uint32_t TASKS_CLEAR;       /**< 0x00C */
    uint32_t reserved0[12];
    volatile uint32_t TASKS_CAPTURE[4];  /**< 0x040 copy the count to CC[n] */
    uint32_t reserved1[60];
    volatile uint32_t EVENTS_COMPARE[4]; /**< 0x140 */
    uint32_t reserved2[44];
    volatile uint32_t SHORTS;            /**< 0x200 */
    uint32_t reserved3[64];
    volatile uint32_t INTENSET;          /**< 0x304 */
    volatile uint32_t INTENCLR;          /**< 0x308 */
    uint32_t reserved4[126];
    volatile uint32_t MODE;              /**< 0x504 */
    volatile uint32_t BITMODE;           /**< 0x508 */
    uint32_t reserved5;
    volatile uint32_t PRESCALER;         /**< 0x510 f = 16 MHz >> PRESCALER */
    uint32_t reserved6[11];
    volatile uint32_t CC[4];             /**< 0x540 */
} nrf_timer_t;
_Static_assert(offsetof(nrf_timer_t, TASKS_CAPTURE) == 0x040 && offsetof(nrf_timer_t, EVENTS_COMPARE) == 0x140 &&
                   offsetof(nrf_timer_t, SHORTS) == 0x200 && offsetof(nrf_timer_t, INTENSET) == 0x304 &&
                   offsetof(nrf_timer_t, MODE) == 0x504 && offsetof(nrf_timer_t, PRESCALER) == 0x510 &&
                   offsetof(nrf_timer_t, CC) == 0x540,
               "nRF51 TIMER layout");
#define TIMER_SHORTS_COMPARE0_CLEAR (1u << 0)
#define TIMER_SHORTS_COMPARE0_STOP (1u << 8)
#define TIMER_INTEN_COMPARE(n) (1u << (16 + (n)))
#define TIMER_MODE_TIMER 0u
#define TIMER_BITMODE_16 0u
#define TIMER_BITMODE_32 3u

/** RNG: one random byte per VALRDY event. */
typedef struct {
    volatile uint32_t TASKS_START;   /**< 0x000 */
    volatile uint32_t TASKS_STOP;    /**< 0x004 */
    uint32_t reserved0[62];
    volatile uint32_t EVENTS_VALRDY; /**< 0x100 */
    uint32_t reserved1[63];
    volatile uint32_t SHORTS;        /**< 0x200 */
    uint32_t reserved2[63];
    volatile uint32_t INTEN;         /**< 0x300 */
    volatile uint32_t INTENSET;      /**< 0x304 */
    volatile uint32_t INTENCLR;      /**< 0x308 */
    uint32_t reserved3[126];
    volatile uint32_t CONFIG;        /**< 0x504 */
    const volatile uint32_t VALUE;   /**< 0x508 */
} nrf_rng_t;
_Static_assert(offsetof(nrf_rng_t, EVENTS_VALRDY) == 0x100 && offsetof(nrf_rng_t, INTENSET) == 0x304 &&
                   offsetof(nrf_rng_t, VALUE) == 0x508,
               "nRF51 RNG layout");
#define RNG_INTEN_VALRDY (1u << 0)

#define NRF_UART0 ((nrf_uart_t *)0x40002000u)
#define NRF_TIMER0 ((nrf_timer_t *)0x40008000u)
#define NRF_TIMER1 ((nrf_timer_t *)0x40009000u)
#define NRF_TIMER2 ((nrf_timer_t *)0x4000A000u)
#define NRF_RNG ((nrf_rng_t *)0x4000D000u)

#endif
