/* SPDX-License-Identifier: MIT */
/**
 * @file boards/netduinoplus2/stm32f405.h
 * @brief The STM32F405 peripherals the netduinoplus2 board and its tests
 * use: RCC clock enables, USART, the general-purpose timers TIM2-TIM5.
 * Layouts and names as in ST's CMSIS device header; the instances at the
 * end.
 */
#ifndef VT_BOARD_STM32F405_H
#define VT_BOARD_STM32F405_H

#include <stddef.h>
#include <stdint.h>

/** Reset and clock control: the peripheral clock enables. */
typedef struct {
    volatile uint32_t CR;       /**< 0x00 */
    volatile uint32_t PLLCFGR;  /**< 0x04 */
    volatile uint32_t CFGR;     /**< 0x08 */
    volatile uint32_t CIR;      /**< 0x0C */
    volatile uint32_t AHB1RSTR; /**< 0x10 */
    volatile uint32_t AHB2RSTR; /**< 0x14 */
    volatile uint32_t AHB3RSTR; /**< 0x18 */
    uint32_t reserved0;
    volatile uint32_t APB1RSTR; /**< 0x20 */
    volatile uint32_t APB2RSTR; /**< 0x24 */
    uint32_t reserved1[2];
    volatile uint32_t AHB1ENR;  /**< 0x30 */
    volatile uint32_t AHB2ENR;  /**< 0x34 */
    volatile uint32_t AHB3ENR;  /**< 0x38 */
    uint32_t reserved2;
    volatile uint32_t APB1ENR;  /**< 0x40 */
    volatile uint32_t APB2ENR;  /**< 0x44 */
} rcc_regs_t;
_Static_assert(offsetof(rcc_regs_t, APB2ENR) == 0x44, "RCC layout");
#define RCC_APB1ENR_TIM2EN (1u << 0)
#define RCC_APB1ENR_TIM3EN (1u << 1)
#define RCC_APB1ENR_TIM4EN (1u << 2)
#define RCC_APB1ENR_TIM5EN (1u << 3)
#define RCC_APB2ENR_USART1EN (1u << 4)

/** USART. */
typedef struct {
    volatile uint32_t SR;   /**< 0x00 status */
    volatile uint32_t DR;   /**< 0x04 data */
    volatile uint32_t BRR;  /**< 0x08 baud rate */
    volatile uint32_t CR1;  /**< 0x0C */
    volatile uint32_t CR2;  /**< 0x10 */
    volatile uint32_t CR3;  /**< 0x14 */
    volatile uint32_t GTPR; /**< 0x18 */
} usart_regs_t;
#define USART_SR_RXNE (1u << 5) /**< a received byte waits in DR */
#define USART_SR_TC (1u << 6)
#define USART_SR_TXE (1u << 7)  /**< DR takes the next byte */
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_UE (1u << 13)

/** General-purpose timer (TIM2 and TIM5: 32-bit; TIM3, TIM4: 16-bit). */
typedef struct {
    volatile uint32_t CR1;   /**< 0x00 */
    volatile uint32_t CR2;   /**< 0x04 */
    volatile uint32_t SMCR;  /**< 0x08 */
    volatile uint32_t DIER;  /**< 0x0C interrupt enables */
    volatile uint32_t SR;    /**< 0x10 status (write 0 to clear) */
    volatile uint32_t EGR;   /**< 0x14 event generation */
    volatile uint32_t CCMR1; /**< 0x18 */
    volatile uint32_t CCMR2; /**< 0x1C */
    volatile uint32_t CCER;  /**< 0x20 */
    volatile uint32_t CNT;   /**< 0x24 counter */
    volatile uint32_t PSC;   /**< 0x28 prescaler: f = f_timer / (PSC + 1) */
    volatile uint32_t ARR;   /**< 0x2C auto-reload */
    uint32_t reserved0;
    volatile uint32_t CCR[4]; /**< 0x34 */
} tim_regs_t;
_Static_assert(offsetof(tim_regs_t, CCR) == 0x34, "TIM layout");
#define TIM_CR1_CEN (1u << 0)
#define TIM_DIER_UIE (1u << 0)
#define TIM_SR_UIF (1u << 0)
#define TIM_EGR_UG (1u << 0) /**< update: load PSC, restart the count */

#define RCC ((rcc_regs_t *)0x40023800u)
#define USART1 ((usart_regs_t *)0x40011000u)
#define USART2 ((usart_regs_t *)0x40004400u)
#define TIM2 ((tim_regs_t *)0x40000000u)
#define TIM3 ((tim_regs_t *)0x40000400u)
#define TIM4 ((tim_regs_t *)0x40000800u)
#define TIM5 ((tim_regs_t *)0x40000C00u)

#endif
