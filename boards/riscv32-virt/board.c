/* SPDX-License-Identifier: MIT */
/**
 * @file boards/riscv32-virt/board.c
 * @brief QEMU virt (RV32, machine mode, `-bios none`) board support:
 * NS16550A console and the test interrupt source (goldfish RTC alarm through
 * the PLIC). The reset path, the clock, the alarm and CPU-hog tick on
 * mtimecmp (the CLINT is the only timer with a machine-mode interrupt to
 * spare), the PLIC dispatch, semihosting and the exit (with sifive_test
 * as the fallback) are boards/common/riscv.c's and deadline.c's.
 */
#include <stdint.h>

#include "../common/board_common.h"
#include "board.h"
#include "port.h"

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    while ((VIRT_UART0->LSR & NS16550_LSR_THRE) == 0)
        ;
    VIRT_UART0->RBR_THR = (uint8_t)c;
}

int board_getc(void)
{
    return (VIRT_UART0->LSR & NS16550_LSR_DR) ? (int)VIRT_UART0->RBR_THR : -1;
}

/* --------------------------------------------------- test interrupt source */

static void (*test_irq_handler)(void);
static uint32_t test_period_ns;

static uint64_t rtc_now_ns(void)
{
    uint32_t lo = VIRT_RTC->TIME_LOW;
    return ((uint64_t)VIRT_RTC->TIME_HIGH << 32) | lo;
}

static void rtc_arm(uint64_t at)
{
    VIRT_RTC->ALARM_HIGH = (uint32_t)(at >> 32);
    VIRT_RTC->ALARM_LOW = (uint32_t)at; /* a time already past raises at once */
}

void RTC_IRQHandler(void)
{
    VIRT_RTC->CLEAR_INTERRUPT = 1;
    if (test_irq_handler == NULL)
        return;
    rtc_arm(rtc_now_ns() + test_period_ns);
    test_irq_handler();
}

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    VIRT_RTC->IRQ_ENABLED = 0;
    VIRT_RTC->CLEAR_ALARM = 1;
    VIRT_RTC->CLEAR_INTERRUPT = 1;
    test_irq_handler = handler;
    if (handler == NULL || period_us == 0)
        return 0;
    test_period_ns = period_us * 1000u;
    board_irq_enable(RTC_IRQn);
    VIRT_RTC->IRQ_ENABLED = 1;
    rtc_arm(rtc_now_ns() + test_period_ns);
    return 0;
}

/* ---------------------------------------------------------------- startup */

void board_init(void) {} /* QEMU's NS16550A needs no set-up */
