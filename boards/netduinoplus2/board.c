/* SPDX-License-Identifier: MIT */
/**
 * @file boards/netduinoplus2/board.c
 * @brief Netduino Plus 2 (STM32F405, Cortex-M4F) board support: USART1
 * console, monotonic clock (TIM2, 32-bit, prescaled to 10 MHz), and on
 * SysTick (deadline.c, systick.c) the kernel's alarm, the CPU-hog tick and
 * the test interrupt source. The vector table and the reset path are
 * cortex_m.c's; the image is flash-resident (linker/netduinoplus2.ld).
 *
 * Why everything rides on SysTick: QEMU 7.2's STM32 timer model counts
 * correctly but schedules its update interrupt at the wrong time (its
 * alarm adds the current time twice), so no TIM interrupt can keep time.
 * TIM2's count is read, never waited on.
 */
#include <stdint.h>

#include "../common/board_common.h"
#include "board.h"
#include "port.h"

#define USART1_BRR_115200_HSI 139u /* 16 MHz / 115200, the clock after reset */

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    while ((USART1->SR & USART_SR_TXE) == 0)
        ;
    USART1->DR = (uint8_t)c;
}

int board_getc(void)
{
    return (USART1->SR & USART_SR_RXNE) ? (int)(USART1->DR & 0xFFu) : -1;
}

/* ------------------------------------------------------------------ clock */

static uint32_t wraps, last; /* TIM2 wraps (2^32 ticks each); last count read */

/* Reads are never 2^32 ticks (429 s) apart: SysTick interrupts at least
 * every 99.9 ms and reads the count (BOARD_CLOCK_WATCH). */
unsigned long long board_cycles(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t v = TIM2->CNT, w;
    if (v < last)
        wraps++;
    last = v;
    w = wraps;
    arch_irq_restore(s);
    return ((unsigned long long)w << 32) | v;
}

/* ---------------------------------------------------------------- startup */

void board_init(void)
{
    RCC->APB1ENR |= RCC_APB1ENR_TIM2EN;
    RCC->APB2ENR |= RCC_APB2ENR_USART1EN;
    USART1->BRR = USART1_BRR_115200_HSI;
    USART1->CR1 = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE;
    /* TIM2: the monotonic clock, 32-bit, free running, no interrupt */
    TIM2->PSC = BOARD_TIM_CLOCK_HZ / BOARD_CYCLES_HZ - 1;
    TIM2->ARR = 0xFFFFFFFFu;
    TIM2->EGR = TIM_EGR_UG; /* load the prescaler, count from 0 */
    TIM2->CR1 = TIM_CR1_CEN;
    board_compare_program(UINT64_MAX); /* SysTick starts watching TIM2's wraps */
}
