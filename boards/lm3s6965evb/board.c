/* SPDX-License-Identifier: MIT */
/**
 * @file boards/lm3s6965evb/board.c
 * @brief TI Stellaris LM3S6965 evaluation board (Cortex-M3) support: system
 * clock (PLL to 50 MHz), PL011 UART console, monotonic clock (SysTick),
 * the compare behind the kernel's alarm (timer 0A, deadline.c), test
 * interrupt source (timer 1A), CPU-hog tick (timer 2A). The vector table and
 * the reset path are cortex_m.c's; the image is flash-resident
 * (linker/lm3s6965evb.ld).
 *
 * The clock: the general-purpose timers count down and interrupt, but QEMU
 * does not let their count be read, so the free-running count is SysTick's
 * (24 bits at the core clock), extended in software by its wrap interrupt:
 * one interrupt every 2^24 cycles (335 ms at 50 MHz) is the only periodic
 * one. The compare is a one-shot 32-bit timer programmed for the earliest
 * deadline only (at most 85 s ahead; earlier is fine, the deadlines are
 * checked again).
 */
#include <stdint.h>
#include <stdio.h>

#include "../common/board_common.h"
#include "cortex_m.h" /* arch/cortex-m/: the core's registers */
#include "board.h"
#include "port.h"

#define CYCLES_PER_MS (BOARD_CYCLES_HZ / 1000u)
#define CYCLES_PER_US (BOARD_CYCLES_HZ / 1000000u)
#define UART_BAUD 115200u
/* divisor = SYSCLK / (16 * baud) = 27.127: 27 and 8/64 */
#define UART_IBRD (BOARD_CYCLES_HZ / (16u * UART_BAUD))
#define UART_FBRD ((BOARD_CYCLES_HZ * 8u / UART_BAUD - UART_IBRD * 128u + 1u) / 2u) /* rounded */

/* ------------------------------------------------------- system clock */

/* From the 8 MHz crystal through the PLL (200 MHz) divided by 4: bypass
 * the PLL, power it up with the crystal selected, set the divider, wait
 * for lock, then switch over. */
static void clock_init(void)
{
    uint32_t rcc = LM3S_SYSCTL->RCC;
    rcc = (rcc | SYSCTL_RCC_BYPASS) & ~SYSCTL_RCC_USESYSDIV;
    LM3S_SYSCTL->RCC = rcc;
    rcc &= ~(SYSCTL_RCC_XTAL_M | SYSCTL_RCC_OSCSRC_M | SYSCTL_RCC_PWRDN | SYSCTL_RCC_OEN);
    rcc |= SYSCTL_RCC_XTAL_8MHZ;
    LM3S_SYSCTL->RCC = rcc;
    rcc = (rcc & ~SYSCTL_RCC_SYSDIV_M) | SYSCTL_RCC_SYSDIV(4) | SYSCTL_RCC_USESYSDIV;
    LM3S_SYSCTL->RCC = rcc;
    for (int i = 0; i < 100000 && !(LM3S_SYSCTL->RIS & SYSCTL_RIS_PLLLRIS); i++) {
    }
    LM3S_SYSCTL->RCC = rcc & ~SYSCTL_RCC_BYPASS;
}

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    while (LM3S_UART0->FR & UART_FR_TXFF)
        ;
    LM3S_UART0->DR = (uint8_t)c;
}

int board_getc(void)
{
    return (LM3S_UART0->FR & UART_FR_RXFE) ? -1 : (int)(LM3S_UART0->DR & 0xFFu);
}

/* ------------------------------------------------------------------ clock */

static volatile uint32_t wraps; /* SysTick wraps (2^24 cycles each) */

unsigned long long board_cycles(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t v = SysTick->VAL, w = wraps;
    if (SCB->ICSR & SCB_ICSR_PENDSTSET) { /* reached 0, interrupt not yet taken */
        v = SysTick->VAL;
        /* SysTick pends as it reaches 0 and reloads a clock later: at 0
         * this period has not ended (counting the wrap then read 2^24
         * cycles ahead, then went back, which board_clock_ms() turned
         * into a jump of about 1.49e9 ms) */
        if (v != 0)
            w++;
    }
    arch_irq_restore(s);
    return ((unsigned long long)w << 24) + (SysTick_LOAD_MAX - v);
}

void SysTick_Handler(void)
{
    wraps++;
}

/* ---------------------------------------------------------------- compare */

/* deadline.c's compare: timer 0A counts down once to the earliest deadline
 * (UINT64_MAX: none, it stays off) */
void board_compare_program(uint64_t at)
{
    uint64_t now;
    uint32_t d;
    LM3S_TIMER0->CTL = 0;
    LM3S_TIMER0->ICR = GPTM_INT_TATO;
    if (at == UINT64_MAX)
        return;
    now = board_cycles();
    d = at <= now ? 1u : at - now > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)(at - now);
    LM3S_TIMER0->TAILR = d;
    LM3S_TIMER0->CTL = GPTM_CTL_TAEN; /* one shot: counts down once, interrupts, stops */
}

void TIMER0A_IRQHandler(void)
{
    LM3S_TIMER0->ICR = GPTM_INT_TATO;
    deadline_isr();
}

/* A periodic 32-bit timer: @p t interrupts every @p cycles from now (0: stop). */
static void periodic_start(lm3s_gptm_t *t, unsigned irq, uint32_t cycles)
{
    t->CTL = 0;
    t->ICR = GPTM_INT_TATO;
    board_irq_disable(irq);
    if (cycles == 0)
        return;
    t->CFG = GPTM_CFG_32BIT;
    t->TAMR = GPTM_TAMR_PERIODIC;
    t->TAILR = cycles - 1u; /* the period is the load value + 1 */
    t->IMR = GPTM_INT_TATO;
    board_irq_enable(irq);
    t->CTL = GPTM_CTL_TAEN;
}

/* --------------------------------------------------- test interrupt source */

static void (*test_irq_handler)(void);

void TIMER1A_IRQHandler(void)
{
    LM3S_TIMER1->ICR = GPTM_INT_TATO;
    if (test_irq_handler != NULL)
        test_irq_handler();
}

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    if (handler != NULL && period_us > 0xFFFFFFFFu / CYCLES_PER_US)
        return VT_EINVAL;
    test_irq_handler = handler;
    periodic_start(LM3S_TIMER1, TIMER1A_IRQn,
                   handler == NULL ? 0u : (uint32_t)period_us * CYCLES_PER_US);
    return 0;
}

/* ------------------------------------------- CPU-hog detector tick */

/* VT_CONFIG_HOG_MS: timer 2A interrupts every period_ms; its handler asks
 * the kernel whether the running thread has been running too long. */
void board_hog_timer(unsigned period_ms)
{
    if (period_ms > 0xFFFFFFFFu / CYCLES_PER_MS)
        period_ms = 0xFFFFFFFFu / CYCLES_PER_MS;
    periodic_start(LM3S_TIMER2, TIMER2A_IRQn, (uint32_t)period_ms * CYCLES_PER_MS);
}

void TIMER2A_IRQHandler(void)
{
    LM3S_TIMER2->ICR = GPTM_INT_TATO;
    if (VT_CONFIG_HOG_MS) /* otherwise never started: the detector stays unlinked */
        vt_hog_isr();
}

/* ---------------------------------------------------------------- startup */

static char stdout_buf[64]; /* newlib would malloc 1 KB for it */

void board_init(void)
{
    clock_init();
    LM3S_SYSCTL->RCGC1 |= SYSCTL_RCGC1_UART(0) | SYSCTL_RCGC1_TIMER(0) | SYSCTL_RCGC1_TIMER(1) |
                          SYSCTL_RCGC1_TIMER(2);
    LM3S_SYSCTL->RCGC2 |= SYSCTL_RCGC2_GPIOA | SYSCTL_RCGC2_EMAC0 | SYSCTL_RCGC2_EPHY0;
    (void)LM3S_SYSCTL->RCGC2; /* a few cycles before the gated peripherals are touched */
    /* UART0 on PA0/PA1, 115200 8N1 with FIFOs */
    LM3S_GPIOA->AFSEL |= GPIOA_UART0_PINS;
    LM3S_GPIOA->DEN |= GPIOA_UART0_PINS;
    LM3S_UART0->CTL = 0;
    LM3S_UART0->IBRD = UART_IBRD;
    LM3S_UART0->FBRD = UART_FBRD;
    LM3S_UART0->LCRH = UART_LCRH_WLEN_8 | UART_LCRH_FEN;
    LM3S_UART0->CTL = UART_CTL_UARTEN | UART_CTL_TXE | UART_CTL_RXE;
    /* SysTick: the monotonic clock, free running from 2^24 - 1. Cleared, it
     * reads 0 until its first load, which (rightly) does not count as a
     * wrap: wait for it, or the clock would read a full period and then go
     * back (one clock on the chip; in QEMU, a while) */
    SysTick->LOAD = SysTick_LOAD_MAX;
    SysTick->VAL = 0;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE | SysTick_CTRL_TICKINT | SysTick_CTRL_ENABLE;
    for (int i = 0; i < 1000000 && SysTick->VAL == 0; i++) {
    }
    /* timer 0A: the compare, started per deadline */
    LM3S_TIMER0->CTL = 0;
    LM3S_TIMER0->CFG = GPTM_CFG_32BIT;
    LM3S_TIMER0->TAMR = GPTM_TAMR_ONESHOT;
    LM3S_TIMER0->IMR = GPTM_INT_TATO;
    board_irq_enable(TIMER0A_IRQn);
    setvbuf(stdout, stdout_buf, _IOLBF, sizeof stdout_buf);
}
