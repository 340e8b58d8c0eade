/**
 * @file boards/lm3s6965evb/board.h
 * @brief TI Stellaris LM3S6965 evaluation board (Cortex-M3 at 50 MHz,
 * 256 KB flash, 64 KB SRAM, Ethernet MAC) as QEMU models it: addresses,
 * interrupt lines and the board's calls.
 */
#ifndef VT_BOARD_LM3S6965EVB_H
#define VT_BOARD_LM3S6965EVB_H

#include <stdint.h>

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "lm3s6965evb"
#endif

/** The PLL runs the core at 50 MHz, the part's maximum. */
#define BOARD_SYSCLK_HZ 50000000u
/** board_cycles() ticks are SYSCLK cycles: 20 ns each. */
#define BOARD_NS_PER_CYCLE 20.0

/** Memory: flash at 0, SRAM at 0x20000000 (linker/lm3s6965evb.ld). */
#define BOARD_FLASH_BYTES (256u * 1024u)
#define BOARD_RAM_BYTES (64u * 1024u)

/** @name Peripherals (base addresses) */
/**@{*/
#define BOARD_GPIOA_BASE 0x40004000u
#define BOARD_UART0_BASE 0x4000C000u  /**< PL011 */
#define BOARD_TIMER0_BASE 0x40030000u /**< general-purpose timers 0-3, 0x1000 apart */
#define BOARD_TIMER1_BASE 0x40031000u
#define BOARD_TIMER2_BASE 0x40032000u
#define BOARD_TIMER3_BASE 0x40033000u
#define BOARD_ETH_BASE 0x40048000u    /**< Ethernet MAC (net/drivers/stellaris.c) */
#define BOARD_SYSCTL_BASE 0x400FE000u /**< system control: clocks, gating */
/**@}*/

/** @name Interrupt lines (NVIC numbers) the board and its drivers use */
/**@{*/
#define BOARD_UART0_IRQ 5
#define BOARD_TIMER0A_IRQ 19
#define BOARD_TIMER1A_IRQ 21
#define BOARD_TIMER2A_IRQ 23
#define BOARD_ETH_IRQ 42
#define BOARD_IRQ_LINES 44
/**@}*/

/** @brief 64-bit count of 50 MHz cycles since boot (SysTick and its wraps). */
unsigned long long board_cycles(void);

/** @brief Test interrupt source (timer 1A): @p handler runs from its
 *  interrupt every @p period_us microseconds; NULL stops it. */
int board_test_irq(unsigned period_us, void (*handler)(void));

/** @brief Enable interrupt line @p irq in the NVIC (pending state cleared). */
void board_irq_enable(unsigned irq);

/** @brief Write one byte to the console UART. */
void board_putc(char c);

/** @brief The next byte received on the console UART, or -1 (never waits). */
int board_getc(void);

/* semihosting command line: 64 KB of RAM, keep it small */
#define BOARD_CMDLINE_MAX 256
#define BOARD_ARGS_MAX 16

#endif
