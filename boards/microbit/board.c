/**
 * @file boards/microbit/board.c
 * @brief BBC micro:bit (nRF51822, Cortex-M0) board support: startup and
 * vectors, nRF UART console, monotonic clock (TIMER0, 32-bit, 16 MHz),
 * one-shot alarm (TIMER1), test interrupt source (TIMER2), CPU-hog tick
 * (a compare channel of TIMER0), semihosting
 * command line and exit, newlib system calls.
 *
 * Tickless: TIMER1 runs only while a deadline is pending, programmed for
 * that deadline (16-bit at 62.5 kHz: at most ~1 s per shot, so a longer
 * sleep wakes once a second and the kernel asks again). TIMER0 interrupts
 * once per half period (every 134 s) so that no wrap goes unseen.
 *
 * The Cortex-M0 has no divide instruction: the clock keeps a running
 * millisecond count so that the common path divides small numbers only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/board_common.h"
#include "board.h"
#include "port.h"

#define REG(a) (*(volatile uint32_t *)(a))

/* nRF51 UART0 */
#define UART0 0x40002000u
#define UART_STARTRX REG(UART0 + 0x000)
#define UART_STARTTX REG(UART0 + 0x008)
#define UART_RXDRDY REG(UART0 + 0x108)
#define UART_TXDRDY REG(UART0 + 0x11C)
#define UART_ENABLE REG(UART0 + 0x500)
#define UART_PSELTXD REG(UART0 + 0x50C)
#define UART_PSELRXD REG(UART0 + 0x514)
#define UART_RXD REG(UART0 + 0x518)
#define UART_TXD REG(UART0 + 0x51C)
#define UART_BAUDRATE REG(UART0 + 0x524)
#define MICROBIT_TX_PIN 24u   /* the USB interface chip's UART */
#define MICROBIT_RX_PIN 25u
#define BAUD_115200 0x01D7E000u

/* nRF51 TIMERs: tasks, events, registers (offsets from the base) */
#define TIMER0 0x40008000u
#define TIMER1 0x40009000u
#define TIMER2 0x4000A000u
#define T_START(t) REG((t) + 0x000)
#define T_STOP(t) REG((t) + 0x004)
#define T_CLEAR(t) REG((t) + 0x00C)
#define T_CAPTURE(t, n) REG((t) + 0x040 + 4 * (n))
#define T_COMPARE(t, n) REG((t) + 0x140 + 4 * (n)) /* event */
#define T_SHORTS(t) REG((t) + 0x200)
#define T_INTENSET(t) REG((t) + 0x304)
#define T_INTENCLR(t) REG((t) + 0x308)
#define T_MODE(t) REG((t) + 0x504)
#define T_BITMODE(t) REG((t) + 0x508)
#define T_PRESCALER(t) REG((t) + 0x510)
#define T_CC(t, n) REG((t) + 0x540 + 4 * (n))
#define SHORT_COMPARE0_CLEAR (1u << 0)
#define SHORT_COMPARE0_STOP (1u << 8)
#define INT_COMPARE(n) (1u << (16 + (n)))
#define BITMODE_16 0u
#define BITMODE_32 3u
#define TIMER0_IRQ 8
#define TIMER1_IRQ 9
#define TIMER2_IRQ 10

/* TIMER0 channels: 1 is the CPU-hog detector's periodic compare, 2
 * interrupts at every half period (so the count is read at least that often
 * and wraps are seen), 3 is used to read the count */
#define CH_HOG 1
#define CH_HALF 2
#define CH_READ 3
/* TIMER1: 16 MHz >> 8 = 62.5 kHz, 16 bits */
#define ALARM_PRESCALER 8u
#define ALARM_MAX_TICKS 0xFFFFu

#define NVIC_ISER REG(0xE000E100)
#define NVIC_ICPR REG(0xE000E280)

#define CYCLES_PER_MS (BOARD_SYSCLK_HZ / 1000u)

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    UART_TXDRDY = 0;
    UART_TXD = (uint8_t)c;
    while (UART_TXDRDY == 0) /* the byte has left */
        ;
}

int board_getc(void)
{
    if (UART_RXDRDY == 0)
        return -1;
    UART_RXDRDY = 0;
    return (int)(UART_RXD & 0xFFu);
}

/* ------------------------------------------------------------------ clock */

static uint32_t wraps, last;        /* TIMER0 wraps (2^32 ticks each); last count read */
static uint32_t ms_count, ms_mark;  /* ms since boot; tick count at its start */

unsigned long long board_cycles(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t v, w;
    T_CAPTURE(TIMER0, CH_READ) = 1;
    v = T_CC(TIMER0, CH_READ);
    if (v < last) /* reads are never 2^32 ticks apart: see timer0_irq */
        wraps++;
    last = v;
    w = wraps;
    arch_irq_restore(s);
    return ((unsigned long long)w << 32) | v;
}

uint32_t board_clock_ms(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t d = (uint32_t)board_cycles() - ms_mark;
    uint32_t n = 0;
    if (d >= CYCLES_PER_MS) {
        n = d / CYCLES_PER_MS; /* software divide: only when a ms has passed */
        ms_count += n;
        ms_mark += n * CYCLES_PER_MS;
    }
    n = ms_count;
    arch_irq_restore(s);
    return n;
}

uint64_t board_clock_us(void)
{
    return board_cycles() / (BOARD_SYSCLK_HZ / 1000000u);
}

static uint32_t hog_ticks; /* CPU-hog detector period in TIMER0 ticks, 0: off */

static void timer0_irq(void)
{
    if (T_COMPARE(TIMER0, CH_HALF)) {
        T_COMPARE(TIMER0, CH_HALF) = 0;
        T_CC(TIMER0, CH_HALF) ^= 0x80000000u; /* the next half period */
        (void)board_clock_ms(); /* reads the count: wraps and ms_mark stay right */
    }
    if (T_COMPARE(TIMER0, CH_HOG)) {
        T_COMPARE(TIMER0, CH_HOG) = 0;
        T_CC(TIMER0, CH_HOG) += hog_ticks; /* periodic on the free-running count */
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
    T_INTENCLR(TIMER0) = INT_COMPARE(CH_HOG);
    hog_ticks = period_ms * CYCLES_PER_MS;
    if (period_ms == 0)
        return;
    T_CAPTURE(TIMER0, CH_HOG) = 1;
    T_CC(TIMER0, CH_HOG) += hog_ticks;
    T_COMPARE(TIMER0, CH_HOG) = 0;
    T_INTENSET(TIMER0) = INT_COMPARE(CH_HOG);
}

/* ------------------------------------------------------------------ alarm */

void board_alarm_set(uint32_t deadline)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t now = board_clock_ms();
    uint32_t into = (uint32_t)board_cycles() - ms_mark; /* 16 MHz ticks into this ms */
    int32_t dms = (int32_t)(deadline - now);
    uint32_t ticks = 1;
    T_STOP(TIMER1) = 1;
    T_CLEAR(TIMER1) = 1;
    T_COMPARE(TIMER1, 0) = 0;
    if (dms > 1100) {
        ticks = ALARM_MAX_TICKS; /* ~1 s: early is fine, the kernel asks again */
    } else if (dms > 0) {
        /* 62.5 kHz ticks are 16 MHz ticks >> 8 */
        int32_t want = (int32_t)((uint32_t)dms * CYCLES_PER_MS - into) >> ALARM_PRESCALER;
        ticks = want > (int32_t)ALARM_MAX_TICKS ? ALARM_MAX_TICKS : want > 0 ? (uint32_t)want : 1u;
    }
    T_CC(TIMER1, 0) = ticks;
    T_START(TIMER1) = 1; /* one shot: COMPARE0 stops it */
    arch_irq_restore(s);
}

static void timer1_irq(void)
{
    T_COMPARE(TIMER1, 0) = 0;
    vt_alarm_isr();
}

/* --------------------------------------------------- test interrupt source */

static void (*test_irq_handler)(void);

static void timer2_irq(void)
{
    T_COMPARE(TIMER2, 0) = 0;
    if (test_irq_handler != NULL)
        test_irq_handler();
}

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    T_STOP(TIMER2) = 1;
    test_irq_handler = handler;
    if (handler == NULL || period_us == 0)
        return 0;
    if (period_us > 0xFFFFu)
        return VT_EINVAL; /* 16-bit timer at 1 MHz */
    T_MODE(TIMER2) = 0;
    T_BITMODE(TIMER2) = BITMODE_16;
    T_PRESCALER(TIMER2) = 4; /* 1 MHz */
    T_CLEAR(TIMER2) = 1;
    T_CC(TIMER2, 0) = period_us;
    T_SHORTS(TIMER2) = SHORT_COMPARE0_CLEAR; /* periodic */
    T_COMPARE(TIMER2, 0) = 0;
    T_INTENSET(TIMER2) = INT_COMPARE(0);
    NVIC_ICPR = 1u << TIMER2_IRQ;
    NVIC_ISER = 1u << TIMER2_IRQ;
    T_START(TIMER2) = 1;
    return 0;
}

/* The three timers: one handler each, named as the vector table wants. */
void Timer0_Handler(void);
void Timer0_Handler(void) { timer0_irq(); }
void Timer1_Handler(void);
void Timer1_Handler(void) { timer1_irq(); }
void Timer2_Handler(void);
void Timer2_Handler(void) { timer2_irq(); }

/* ---------------------------------------------------------------- startup */

extern char __bss_start__[], __bss_end__[];
extern char __data_start__[], __data_end__[], __data_load__[];
extern void __libc_init_array(void);
int main(int argc, char **argv);

static char stdout_buf[64]; /* newlib would malloc 1 KB for it */

void Reset_Handler(void);
void Reset_Handler(void)
{
    int argc;
    char **argv;
    memcpy(__data_start__, __data_load__, (size_t)(__data_end__ - __data_start__));
    memset(__bss_start__, 0, (size_t)(__bss_end__ - __bss_start__));
    UART_PSELTXD = MICROBIT_TX_PIN;
    UART_PSELRXD = MICROBIT_RX_PIN;
    UART_BAUDRATE = BAUD_115200;
    UART_ENABLE = 4;
    UART_STARTTX = 1;
    UART_STARTRX = 1;
    /* TIMER0: the monotonic clock, 32-bit at 16 MHz, interrupt on wrap only */
    T_MODE(TIMER0) = 0;
    T_BITMODE(TIMER0) = BITMODE_32;
    T_PRESCALER(TIMER0) = 0;
    T_CC(TIMER0, CH_HALF) = 0x80000000u;
    T_INTENSET(TIMER0) = INT_COMPARE(CH_HALF);
    T_CLEAR(TIMER0) = 1;
    T_START(TIMER0) = 1;
    /* TIMER1: the alarm, started per deadline, stopped by its compare */
    T_MODE(TIMER1) = 0;
    T_BITMODE(TIMER1) = BITMODE_16;
    T_PRESCALER(TIMER1) = ALARM_PRESCALER;
    T_SHORTS(TIMER1) = SHORT_COMPARE0_STOP;
    T_INTENSET(TIMER1) = INT_COMPARE(0);
    NVIC_ICPR = (1u << TIMER0_IRQ) | (1u << TIMER1_IRQ);
    NVIC_ISER = (1u << TIMER0_IRQ) | (1u << TIMER1_IRQ);
    __libc_init_array();
    setvbuf(stdout, stdout_buf, _IOLBF, sizeof stdout_buf);
    argc = board_cmdline(&argv);
    board_exit(main(argc, argv));
}

/* ---------------------------------------------------------------- vectors */

extern char __main_stack_top[];
void arch_fault_entry(void);
static void unexpected_irq(void) { vt_panic("unexpected interrupt"); }

#pragma GCC diagnostic ignored "-Woverride-init" /* a default for all IRQs, then the used ones */
__attribute__((section(".vectors"), used)) void (*const vt_vector_table[16 + 32])(void) = {
    (void (*)(void))__main_stack_top,
    Reset_Handler,
    arch_fault_entry, /* NMI */
    arch_fault_entry, /* HardFault: ARMv6-M has no other fault vectors */
    0, 0, 0, 0, 0, 0, 0,
    unexpected_irq,   /* SVCall */
    0, 0,
    unexpected_irq,   /* PendSV */
    unexpected_irq,   /* SysTick (unused: the nRF51 timers keep time) */
    [16 + 0 ... 16 + 31] = unexpected_irq,
    [16 + TIMER0_IRQ] = Timer0_Handler,
    [16 + TIMER1_IRQ] = Timer1_Handler,
    [16 + TIMER2_IRQ] = Timer2_Handler,
};
