/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/clock.c
 * @brief The kernel's clock (board_clock_ms, board_clock_us) on the board's
 * 64-bit cycle count, board_cycles() at BOARD_CYCLES_HZ (a whole number of
 * MHz).
 *
 * Milliseconds are counted, not divided out of the cycle count each time:
 * ms_mark is the cycle time at which millisecond ms_count began, and a call
 * adds the milliseconds passed since. The common path divides a 32-bit
 * difference only when a millisecond has passed (the Cortex-M0 has no
 * divide instruction); a 64-bit divide happens only when 2^32 cycles went
 * unobserved.
 */
#include <stdint.h>

#include "board.h"
#include "board_common.h"
#include "port.h"

#define CYCLES_PER_MS (BOARD_CYCLES_HZ / 1000u)
#define CYCLES_PER_US (BOARD_CYCLES_HZ / 1000000u)
_Static_assert(BOARD_CYCLES_HZ % 1000000u == 0, "board_clock_us divides by whole MHz");

static uint32_t ms_count; /* ms since reset */
static uint64_t ms_mark;  /* board_cycles() when ms_count began */

uint32_t board_clock_ms(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint64_t d = board_cycles() - ms_mark;
    uint32_t n;
    if (d >= CYCLES_PER_MS) {
        n = (d >> 32) != 0 ? (uint32_t)(d / CYCLES_PER_MS) : (uint32_t)d / CYCLES_PER_MS;
        ms_count += n;
        ms_mark += (uint64_t)n * CYCLES_PER_MS;
    }
    n = ms_count;
    arch_irq_restore(s);
    return n;
}

uint64_t board_clock_us(void) { return board_cycles() / CYCLES_PER_US; }

uint64_t clock_ms_to_cycles(uint32_t deadline)
{
    arch_irq_state_t s = arch_irq_save();
    int32_t dms = (int32_t)(deadline - board_clock_ms()); /* also moves ms_mark */
    uint64_t at = dms <= 0 ? 0 : ms_mark + (uint64_t)(uint32_t)dms * CYCLES_PER_MS;
    arch_irq_restore(s);
    return at;
}
