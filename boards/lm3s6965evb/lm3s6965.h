/* SPDX-License-Identifier: MIT */
/**
 * @file boards/lm3s6965evb/lm3s6965.h
 * @brief The LM3S6965 peripherals the board and its tests use: system
 * control (clock, gating), GPIO port A, the PL011 UARTs, the general-purpose
 * timers. Register names as in TI's Stellaris datasheet; the instances at
 * the end. The Ethernet MAC's registers are its driver's
 * (net/drivers/stellaris.c).
 */
#ifndef VT_BOARD_LM3S6965_H
#define VT_BOARD_LM3S6965_H

#include <stddef.h>
#include <stdint.h>

/** System control: clock source and dividers, peripheral clock gating. */
typedef struct {
    const volatile uint32_t DID0, DID1, DC0; /**< 0x000 device identification */
    uint32_t reserved0;
    const volatile uint32_t DC1, DC2, DC3, DC4; /**< 0x010 device capabilities */
    uint32_t reserved1[4];
    volatile uint32_t PBORCTL, LDOPCTL; /**< 0x030 */
    uint32_t reserved2[2];
    volatile uint32_t SRCR0, SRCR1, SRCR2; /**< 0x040 software reset */
    uint32_t reserved3;
    const volatile uint32_t RIS; /**< 0x050 raw interrupt status (PLL lock) */
    volatile uint32_t IMC, MISC, RESC;
    volatile uint32_t RCC; /**< 0x060 run-mode clock configuration */
    const volatile uint32_t PLLCFG;
    uint32_t reserved4[2];
    volatile uint32_t RCC2; /**< 0x070 */
    uint32_t reserved5[35];
    volatile uint32_t RCGC0, RCGC1, RCGC2; /**< 0x100 run-mode clock gating */
} lm3s_sysctl_t;
_Static_assert(offsetof(lm3s_sysctl_t, RCC) == 0x060, "SYSCTL layout");
_Static_assert(offsetof(lm3s_sysctl_t, RCGC2) == 0x108, "SYSCTL layout");
#define SYSCTL_RIS_PLLLRIS (1u << 6)     /**< the PLL has locked */
#define SYSCTL_RCC_OSCSRC_M (3u << 4)    /**< 0: the main oscillator */
#define SYSCTL_RCC_XTAL_M (0xFu << 6)
#define SYSCTL_RCC_XTAL_8MHZ (0xEu << 6) /**< the evaluation board's crystal */
#define SYSCTL_RCC_BYPASS (1u << 11)     /**< run from the oscillator, not the PLL */
#define SYSCTL_RCC_OEN (1u << 12)        /**< PLL output disabled */
#define SYSCTL_RCC_PWRDN (1u << 13)      /**< PLL powered down */
#define SYSCTL_RCC_USESYSDIV (1u << 22)
#define SYSCTL_RCC_SYSDIV_M (0xFu << 23)
#define SYSCTL_RCC_SYSDIV(n) ((uint32_t)((n) - 1u) << 23) /**< 200 MHz PLL / n */
#define SYSCTL_RCGC1_UART(n) (1u << (n))
#define SYSCTL_RCGC1_TIMER(n) (1u << (16 + (n)))
#define SYSCTL_RCGC2_GPIOA (1u << 0)
#define SYSCTL_RCGC2_EMAC0 (1u << 28)
#define SYSCTL_RCGC2_EPHY0 (1u << 30)

/** GPIO port: the registers that give pins to a peripheral. */
typedef struct {
    volatile uint32_t DATA[256]; /**< 0x000 masked data: address bits 9:2 select the pins */
    volatile uint32_t DIR, IS, IBE, IEV, IM; /**< 0x400 */
    const volatile uint32_t RIS, MIS;
    volatile uint32_t ICR, AFSEL; /**< 0x41C, 0x420 alternate function */
    uint32_t reserved0[55];
    volatile uint32_t DR2R, DR4R, DR8R, ODR, PUR, PDR, SLR, DEN; /**< 0x500, DEN 0x51C */
} lm3s_gpio_t;
_Static_assert(offsetof(lm3s_gpio_t, AFSEL) == 0x420, "GPIO layout");
_Static_assert(offsetof(lm3s_gpio_t, DEN) == 0x51C, "GPIO layout");
#define GPIOA_UART0_PINS 0x3u /**< PA0 = U0Rx, PA1 = U0Tx */

/** PL011 UART. */
typedef struct {
    volatile uint32_t DR;          /**< 0x000 data */
    volatile uint32_t RSR;         /**< 0x004 receive status / error clear */
    uint32_t reserved0[4];
    const volatile uint32_t FR;    /**< 0x018 flags */
    uint32_t reserved1;
    volatile uint32_t ILPR;        /**< 0x020 */
    volatile uint32_t IBRD, FBRD;  /**< 0x024 baud rate divisor: integer, 1/64ths */
    volatile uint32_t LCRH;        /**< 0x02C line control */
    volatile uint32_t CTL;         /**< 0x030 */
    volatile uint32_t IFLS;        /**< 0x034 FIFO interrupt levels */
    volatile uint32_t IM;          /**< 0x038 interrupt mask (1: enabled) */
    const volatile uint32_t RIS, MIS;
    volatile uint32_t ICR;         /**< 0x044 interrupt clear */
} lm3s_uart_t;
_Static_assert(offsetof(lm3s_uart_t, ICR) == 0x044, "UART layout");
#define UART_FR_RXFE (1u << 4)  /**< receive FIFO empty */
#define UART_FR_TXFF (1u << 5)  /**< transmit FIFO full */
#define UART_LCRH_FEN (1u << 4) /**< 16-byte FIFOs */
#define UART_LCRH_WLEN_8 (3u << 5)
#define UART_CTL_UARTEN (1u << 0)
#define UART_CTL_TXE (1u << 8)
#define UART_CTL_RXE (1u << 9)
#define UART_INT_TX (1u << 5)   /**< transmit interrupt (IM, RIS, ICR) */

/** General-purpose timer module (timer A used as one 32-bit timer). */
typedef struct {
    volatile uint32_t CFG;          /**< 0x00 0: one 32-bit timer */
    volatile uint32_t TAMR, TBMR;   /**< 0x04 mode */
    volatile uint32_t CTL;          /**< 0x0C enable */
    uint32_t reserved0[2];
    volatile uint32_t IMR;          /**< 0x18 interrupt mask */
    const volatile uint32_t RIS, MIS;
    volatile uint32_t ICR;          /**< 0x24 interrupt clear */
    volatile uint32_t TAILR, TBILR; /**< 0x28 interval load */
} lm3s_gptm_t;
_Static_assert(offsetof(lm3s_gptm_t, TAILR) == 0x028, "GPTM layout");
#define GPTM_CFG_32BIT 0u
#define GPTM_TAMR_ONESHOT 1u
#define GPTM_TAMR_PERIODIC 2u
#define GPTM_CTL_TAEN (1u << 0)
#define GPTM_INT_TATO (1u << 0) /**< timer A timed out */

#define LM3S_GPIOA ((lm3s_gpio_t *)0x40004000u)
#define LM3S_UART0 ((lm3s_uart_t *)0x4000C000u)
#define LM3S_UART1 ((lm3s_uart_t *)0x4000D000u)
#define LM3S_TIMER0 ((lm3s_gptm_t *)0x40030000u)
#define LM3S_TIMER1 ((lm3s_gptm_t *)0x40031000u)
#define LM3S_TIMER2 ((lm3s_gptm_t *)0x40032000u)
#define LM3S_TIMER3 ((lm3s_gptm_t *)0x40033000u)
#define LM3S_SYSCTL ((lm3s_sysctl_t *)0x400FE000u)

#endif
