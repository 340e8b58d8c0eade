/* SPDX-License-Identifier: MIT */
/**
 * @file boards/microbit/board.c
 * @brief BBC micro:bit (nRF51822, Cortex-M0) board support: nRF UART
 * console, monotonic clock (TIMER0, 32-bit, 16 MHz), one-shot alarm
 * (TIMER1), test interrupt source (TIMER2), CPU-hog tick (a compare channel
 * of TIMER0). The vector table and the reset path are cortex_m.c's; the
 * image is flash-resident (linker/microbit.ld).
 *
 * Tickless: TIMER1 runs only while a deadline is pending, programmed for
 * that deadline (16-bit at 62.5 kHz: at most ~1 s per shot, so a longer
 * sleep wakes once a second and the kernel asks again). TIMER0 interrupts
 * once per half period (every 134 s) so that no wrap goes unseen.
 */
#include <stdint.h>
#include <stdio.h>

#include "../common/board_common.h"
#include "board.h"
#include "port.h"

#define MICROBIT_TX_PIN 24u /* the USB interface chip's UART */
#define MICROBIT_RX_PIN 25u

/* TIMER0 channels: 1 is the CPU-hog detector's periodic compare, 2
 * interrupts at every half period (so the count is read at least that often
 * and wraps are seen), 3 is used to read the count */
#define CH_HOG 1
#define CH_HALF 2
#define CH_READ 3
/* TIMER1: 16 MHz >> 8 = 62.5 kHz, 16 bits */
#define ALARM_PRESCALER 8u
#define ALARM_MAX_TICKS 0xFFFFu

#define CYCLES_PER_MS (BOARD_CYCLES_HZ / 1000u)

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    NRF_UART0->EVENTS_TXDRDY = 0;
    NRF_UART0->TXD = (uint8_t)c;
    while (NRF_UART0->EVENTS_TXDRDY == 0) /* the byte has left */
        ;
}

int board_getc(void)
{
    if (NRF_UART0->EVENTS_RXDRDY == 0)
        return -1;
    NRF_UART0->EVENTS_RXDRDY = 0;
    return (int)(NRF_UART0->RXD & 0xFFu);
}

/* ------------------------------------------------------------------ clock */

static uint32_t wraps, last; /* TIMER0 wraps (2^32 ticks each); last count read */

unsigned long long board_cycles(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t v, w;
    NRF_TIMER0->TASKS_CAPTURE[CH_READ] = 1;
    v = NRF_TIMER0->CC[CH_READ];
    if (v < last) /* reads are never 2^32 ticks apart: see TIMER0_IRQHandler */
        wraps++;
    last = v;
    w = wraps;
    arch_irq_restore(s);
    return ((unsigned long long)w << 32) | v;
}

static uint32_t hog_ticks; /* CPU-hog detector period in TIMER0 ticks, 0: off */

void TIMER0_IRQHandler(void)
{
    if (NRF_TIMER0->EVENTS_COMPARE[CH_HALF]) {
        NRF_TIMER0->EVENTS_COMPARE[CH_HALF] = 0;
        NRF_TIMER0->CC[CH_HALF] ^= 0x80000000u; /* the next half period */
        (void)board_cycles(); /* reads the count: wraps stay right */
    }
    if (NRF_TIMER0->EVENTS_COMPARE[CH_HOG]) {
        NRF_TIMER0->EVENTS_COMPARE[CH_HOG] = 0;
        NRF_TIMER0->CC[CH_HOG] += hog_ticks; /* periodic on the free-running count */
        if (VT_CONFIG_HOG_MS && hog_ticks != 0) /* else never started: stays unlinked */
            vt_hog_isr();
    }
}

/* ------------------------------------------- CPU-hog detector tick */

/* VT_CONFIG_HOG_MS: a third compare channel of the clock's TIMER0 fires
 * every period_ms (the nRF51 has no timer to spare: TIMER1 is the alarm,
 * TIMER2 the test interrupt source). */
void board_hog_timer(unsigned period_ms)
{
    NRF_TIMER0->INTENCLR = TIMER_INTEN_COMPARE(CH_HOG);
    hog_ticks = period_ms * CYCLES_PER_MS;
    if (period_ms == 0)
        return;
    NRF_TIMER0->TASKS_CAPTURE[CH_HOG] = 1;
    NRF_TIMER0->CC[CH_HOG] += hog_ticks;
    NRF_TIMER0->EVENTS_COMPARE[CH_HOG] = 0;
    NRF_TIMER0->INTENSET = TIMER_INTEN_COMPARE(CH_HOG);
}

/* ------------------------------------------------------------------ alarm */

void board_alarm_set(uint32_t deadline)
{
    arch_irq_state_t s = arch_irq_save();
    uint64_t at = clock_ms_to_cycles(deadline), now = board_cycles();
    uint32_t ticks = 1;
    NRF_TIMER1->TASKS_STOP = 1;
    NRF_TIMER1->TASKS_CLEAR = 1;
    NRF_TIMER1->EVENTS_COMPARE[0] = 0;
    if (at > now) {
        /* 62.5 kHz ticks are 16 MHz ticks >> 8; ~1 s at most: early is
         * fine, the kernel asks again */
        uint64_t want = (at - now) >> ALARM_PRESCALER;
        ticks = want > ALARM_MAX_TICKS ? ALARM_MAX_TICKS : want > 0 ? (uint32_t)want : 1u;
    }
    NRF_TIMER1->CC[0] = ticks;
    NRF_TIMER1->TASKS_START = 1; /* one shot: COMPARE0 stops it */
    arch_irq_restore(s);
}

void TIMER1_IRQHandler(void)
{
    NRF_TIMER1->EVENTS_COMPARE[0] = 0;
    vt_alarm_isr();
}

/* --------------------------------------------------- test interrupt source */

static void (*test_irq_handler)(void);

void TIMER2_IRQHandler(void)
{
    NRF_TIMER2->EVENTS_COMPARE[0] = 0;
    if (test_irq_handler != NULL)
        test_irq_handler();
}

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    NRF_TIMER2->TASKS_STOP = 1;
    test_irq_handler = handler;
    if (handler == NULL || period_us == 0)
        return 0;
    if (period_us > 0xFFFFu)
        return VT_EINVAL; /* 16-bit timer at 1 MHz */
    NRF_TIMER2->MODE = TIMER_MODE_TIMER;
    NRF_TIMER2->BITMODE = TIMER_BITMODE_16;
    NRF_TIMER2->PRESCALER = 4; /* 1 MHz */
    NRF_TIMER2->TASKS_CLEAR = 1;
    NRF_TIMER2->CC[0] = period_us;
    NRF_TIMER2->SHORTS = TIMER_SHORTS_COMPARE0_CLEAR; /* periodic */
    NRF_TIMER2->EVENTS_COMPARE[0] = 0;
    NRF_TIMER2->INTENSET = TIMER_INTEN_COMPARE(0);
    board_irq_enable(TIMER2_IRQn);
    NRF_TIMER2->TASKS_START = 1;
    return 0;
}

/* ---------------------------------------------------------------- startup */

static char stdout_buf[64]; /* newlib would malloc 1 KB for it */

void board_init(void)
{
    NRF_UART0->PSELTXD = MICROBIT_TX_PIN;
    NRF_UART0->PSELRXD = MICROBIT_RX_PIN;
    NRF_UART0->BAUDRATE = UART_BAUDRATE_115200;
    NRF_UART0->ENABLE = UART_ENABLE_ENABLED;
    NRF_UART0->TASKS_STARTTX = 1;
    NRF_UART0->TASKS_STARTRX = 1;
    /* TIMER0: the monotonic clock, 32-bit at 16 MHz, interrupt on wrap only */
    NRF_TIMER0->MODE = TIMER_MODE_TIMER;
    NRF_TIMER0->BITMODE = TIMER_BITMODE_32;
    NRF_TIMER0->PRESCALER = 0;
    NRF_TIMER0->CC[CH_HALF] = 0x80000000u;
    NRF_TIMER0->INTENSET = TIMER_INTEN_COMPARE(CH_HALF);
    NRF_TIMER0->TASKS_CLEAR = 1;
    NRF_TIMER0->TASKS_START = 1;
    /* TIMER1: the alarm, started per deadline, stopped by its compare */
    NRF_TIMER1->MODE = TIMER_MODE_TIMER;
    NRF_TIMER1->BITMODE = TIMER_BITMODE_16;
    NRF_TIMER1->PRESCALER = ALARM_PRESCALER;
    NRF_TIMER1->SHORTS = TIMER_SHORTS_COMPARE0_STOP;
    NRF_TIMER1->INTENSET = TIMER_INTEN_COMPARE(0);
    board_irq_enable(TIMER0_IRQn);
    board_irq_enable(TIMER1_IRQn);
    setvbuf(stdout, stdout_buf, _IOLBF, sizeof stdout_buf);
}
