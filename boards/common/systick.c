/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/systick.c
 * @brief SysTick as the board's compare for deadline.c: a one-shot count of
 * processor clocks (BOARD_SYSTICK_HZ) to the earliest deadline. Its 24-bit
 * counter reaches at most 2^24 clocks ahead (671 ms at 25 MHz, 99.9 ms at
 * 168 MHz): a later deadline takes several shots, the deadlines being
 * checked at each.
 *
 * A deadline already due is not a count of one clock: SysTick reloads LOAD
 * at every wrap, so with LOAD = 1 it fires every clock or two until the
 * handler stops it. In QEMU each firing is a timer event of the emulator's
 * main loop, re-armed (and, when the loop was late, fired again at once)
 * for every period: in examples/http_client on mps2-an385 (1,000
 * connections open) 65 of 258-275 programs were of due deadlines, and in a
 * 0.6 s run QEMU wrote its main loop's event notifier 3,500-6,900 times
 * (450-500 without them) while the loop turned 2,300-2,700 times (about
 * 1,700), each turn polling every open socket. Such a deadline pends the
 * interrupt by software instead.
 *
 * BOARD_CLOCK_WATCH (board.h): the board's cycle count wraps with nobody
 * told, so SysTick never parks: with nothing due it still interrupts once
 * per 2^24 clocks, and each interrupt reads the count.
 */
#include <stdint.h>

#include "board.h"
#include "board_common.h"
#include "cortex_m.h"
#include "port.h"

#ifndef BOARD_CLOCK_WATCH
#define BOARD_CLOCK_WATCH 0
#endif

/* SysTick clocks per board cycle: SYSTICK_MHZ / CYCLES_MHZ */
#define SYSTICK_MHZ (BOARD_SYSTICK_HZ / 1000000u)
#define CYCLES_MHZ (BOARD_CYCLES_HZ / 1000000u)
#define MAX_CYCLES ((uint32_t)((uint64_t)SysTick_LOAD_MAX * CYCLES_MHZ / SYSTICK_MHZ))
_Static_assert(BOARD_SYSTICK_HZ % 1000000u == 0 && BOARD_CYCLES_HZ % 1000000u == 0,
               "whole MHz");

void board_compare_program(uint64_t at)
{
    uint64_t now;
    uint32_t d, load;
    SysTick->CTRL = 0;
    if (at == UINT64_MAX && !BOARD_CLOCK_WATCH)
        return;
    now = board_cycles();
    if (at <= now) { /* due: pend the interrupt, start no timer (below) */
        SCB->ICSR = SCB_ICSR_PENDSTSET;
        return;
    }
    d = at - now > MAX_CYCLES ? MAX_CYCLES : (uint32_t)(at - now);
    if (SYSTICK_MHZ == CYCLES_MHZ) /* SysTick counts board cycles (MPS2) */
        load = d;
    else
        load = (d * SYSTICK_MHZ + CYCLES_MHZ - 1) / CYCLES_MHZ; /* never early by rounding */
    SysTick->LOAD = load > SysTick_LOAD_MAX ? SysTick_LOAD_MAX : load;
    SysTick->VAL = 0;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE | SysTick_CTRL_TICKINT | SysTick_CTRL_ENABLE;
}

void SysTick_Handler(void)
{
    SysTick->CTRL = 0; /* one shot */
    deadline_isr();
}
