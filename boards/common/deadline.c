/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/deadline.c
 * @brief Deadlines on one compare interrupt: the kernel's one-shot alarm
 * (board_alarm_set) and the periodic users a board puts there (the CPU-hog
 * tick when board.h sets BOARD_HOG_ON_COMPARE, the test interrupt source
 * when it sets BOARD_TEST_IRQ_ON_COMPARE) share the board's compare (CLINT
 * mtimecmp, SysTick). The compare holds the earliest deadline; its
 * interrupt runs what is due and re-arms. Tickless: with nothing due the
 * compare is parked and no interrupt fires. While the hog tick runs, idle
 * wakes every period.
 */
#include <stdint.h>

#include "board.h"
#include "board_common.h"
#include "port.h"

#define NEVER UINT64_MAX

static struct {
    uint64_t at;     /* board_cycles() time; NEVER: not armed */
    uint64_t period; /* 0: one shot */
    void (*fn)(void);
} slots[DEADLINE_SLOTS] = {{NEVER, 0, 0}, {NEVER, 0, 0}, {NEVER, 0, 0}};

static void program(void)
{
    uint64_t at = NEVER;
    for (unsigned i = 0; i < DEADLINE_SLOTS; i++)
        if (slots[i].at < at)
            at = slots[i].at;
    board_compare_program(at);
}

void deadline_periodic(enum deadline_slot slot, uint64_t period, void (*fn)(void))
{
    arch_irq_state_t s = arch_irq_save();
    slots[slot].period = period;
    slots[slot].fn = fn;
    slots[slot].at = period != 0 ? board_cycles() + period : NEVER;
    program();
    arch_irq_restore(s);
}

void board_alarm_set(uint32_t deadline)
{
    arch_irq_state_t s = arch_irq_save();
    slots[DEADLINE_ALARM].fn = vt_alarm_isr;
    slots[DEADLINE_ALARM].period = 0;
    slots[DEADLINE_ALARM].at = clock_ms_to_cycles(deadline);
    program();
    arch_irq_restore(s);
}

void deadline_isr(void)
{
    uint64_t now = board_cycles();
    unsigned due = 0;
    for (unsigned i = 0; i < DEADLINE_SLOTS; i++) {
        if (slots[i].at > now)
            continue;
        due |= 1u << i;
        /* periodic: the next period from now (a late interrupt does not
         * make up for the periods it missed) */
        slots[i].at = slots[i].period != 0 ? now + slots[i].period : NEVER;
    }
    program();
    for (unsigned i = 0; i < DEADLINE_SLOTS; i++)
        if (due & (1u << i))
            slots[i].fn();
}

#if BOARD_HOG_ON_COMPARE
static void hog_tick(void)
{
    if (VT_CONFIG_HOG_MS) /* else never started: the detector stays unlinked */
        vt_hog_isr();
}

void board_hog_timer(unsigned period_ms)
{
    deadline_periodic(DEADLINE_HOG, (uint64_t)period_ms * (BOARD_CYCLES_HZ / 1000u), hog_tick);
}
#endif

#if BOARD_TEST_IRQ_ON_COMPARE
int board_test_irq(unsigned period_us, void (*handler)(void))
{
    deadline_periodic(DEADLINE_TEST,
                      handler != NULL ? (uint64_t)period_us * (BOARD_CYCLES_HZ / 1000000u) : 0,
                      handler);
    return 0;
}
#endif
