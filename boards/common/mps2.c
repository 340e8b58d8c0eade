/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/mps2.c
 * @brief MPS2 board support, shared by mps2-an385 (Cortex-M3), mps2-an386
 * (Cortex-M4F) and mps2-an505 (Cortex-M33, Secure state): CMSDK UART
 * console, monotonic clock (CMSDK timer 0, free running at the system
 * clock), test interrupt source (CMSDK timer 1), CPU-hog tick (CMSDK dual
 * timer), the LAN9118's interrupt line. The vector table and the reset path
 * are cortex_m.c's, the alarm is SysTick's (systick.c, deadline.c). The
 * board's board.h places the peripherals and names the interrupt lines.
 *
 * Tickless: SysTick is programmed for the kernel's next deadline only; when
 * nothing is due no interrupt fires except the clock's wrap (every 2^32
 * cycles: 171 s at 25 MHz, 214 s at 20 MHz).
 *
 * On AN505 the core boots Secure with the SAU off, so every access is Secure
 * and board.h names the peripherals' Secure aliases (0x5xxxxxxx); the
 * TrustZone peripheral and memory protection controllers reset to "Secure
 * only".
 */
#include <stdint.h>

#include "board.h"
#include "board_common.h"
#include "port.h"

#define CYCLES_PER_US (BOARD_CYCLES_HZ / 1000000u)
#define CYCLES_PER_MS (BOARD_CYCLES_HZ / 1000u)

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    while (CMSDK_UART0->STATE & CMSDK_UART_STATE_TXBF)
        ;
    CMSDK_UART0->DATA = (uint8_t)c;
}

int board_getc(void)
{
    return (CMSDK_UART0->STATE & CMSDK_UART_STATE_RXBF) ? (int)(CMSDK_UART0->DATA & 0xFFu) : -1;
}

/* ------------------------------------------------------------------ clock */

static volatile uint32_t wraps; /* timer 0 wraps (2^32 cycles each) */

unsigned long long board_cycles(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t v = CMSDK_TIMER0->VALUE, w = wraps;
    if (CMSDK_TIMER0->INTSTATUS & CMSDK_TIMER_INT) { /* wrapped, interrupt not yet taken */
        v = CMSDK_TIMER0->VALUE;
        w++;
    }
    arch_irq_restore(s);
    return ((unsigned long long)w << 32) | (uint32_t)(0xFFFFFFFFu - v);
}

void TIMER0_IRQHandler(void)
{
    CMSDK_TIMER0->INTSTATUS = CMSDK_TIMER_INT;
    wraps++;
}

/* --------------------------------------------------- test interrupt source */

static void (*test_irq_handler)(void);

void TIMER1_IRQHandler(void)
{
    CMSDK_TIMER1->INTSTATUS = CMSDK_TIMER_INT;
    if (test_irq_handler != NULL)
        test_irq_handler();
}

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    CMSDK_TIMER1->CTRL = 0;
    test_irq_handler = handler;
    if (handler == NULL || period_us == 0)
        return 0;
    CMSDK_TIMER1->RELOAD = period_us * CYCLES_PER_US;
    CMSDK_TIMER1->VALUE = period_us * CYCLES_PER_US;
    CMSDK_TIMER1->INTSTATUS = CMSDK_TIMER_INT;
    board_irq_enable(TIMER1_IRQn);
    CMSDK_TIMER1->CTRL = CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN;
    return 0;
}

/* ------------------------------------------- CPU-hog detector tick */

/* VT_CONFIG_HOG_MS: the dual timer interrupts every period_ms; its handler
 * asks the kernel whether the running thread has been running too long. */
void board_hog_timer(unsigned period_ms)
{
    CMSDK_DUALTIMER->CTRL = 0;
    board_irq_disable(DUALTIMER_IRQn);
    if (period_ms == 0)
        return;
    CMSDK_DUALTIMER->LOAD = period_ms * CYCLES_PER_MS;
    CMSDK_DUALTIMER->INTCLR = 1;
    board_irq_enable(DUALTIMER_IRQn);
    CMSDK_DUALTIMER->CTRL = CMSDK_DUALTIMER_CTRL_EN | CMSDK_DUALTIMER_CTRL_PERIODIC |
                            CMSDK_DUALTIMER_CTRL_INTEN | CMSDK_DUALTIMER_CTRL_SIZE32;
}

void DUALTIMER_IRQHandler(void)
{
    CMSDK_DUALTIMER->INTCLR = 1;
    if (VT_CONFIG_HOG_MS) /* otherwise never started: the detector stays unlinked */
        vt_hog_isr();
}

/* ------------------------------------------------------------ Ethernet */

/* the NIC driver (net/drivers/lan9118.c) provides the handler when linked */
void lan9118_isr(void) __attribute__((weak));

void ETHERNET_IRQHandler(void)
{
    if (lan9118_isr)
        lan9118_isr();
    else
        board_irq_unexpected(ETHERNET_IRQn);
}

/* ... and the hook that lets QEMU act on the frames it sent (lan9118.c) */
void lan9118_idle(void) __attribute__((weak));

void board_idle(void)
{
    if (lan9118_idle)
        lan9118_idle();
}

/* ---------------------------------------------------------------- startup */

void board_init(void)
{
    CMSDK_UART0->BAUDDIV = 16;
    CMSDK_UART0->CTRL = CMSDK_UART_CTRL_TXEN | CMSDK_UART_CTRL_RXEN;
    /* timer 0: the monotonic clock, free running from 0xFFFFFFFF */
    CMSDK_TIMER0->RELOAD = 0xFFFFFFFFu;
    CMSDK_TIMER0->VALUE = 0xFFFFFFFFu;
    CMSDK_TIMER0->CTRL = CMSDK_TIMER_CTRL_EN | CMSDK_TIMER_CTRL_IRQEN;
    board_irq_enable(TIMER0_IRQn);
}
