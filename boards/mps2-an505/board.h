/**
 * @file boards/mps2-an505/board.h
 * @brief ARM MPS2 AN505 (SSE-200 subsystem, Cortex-M33 at 20 MHz) as QEMU
 * models it, used from the Secure state.
 */
#ifndef VT_BOARD_MPS2_AN505_H
#define VT_BOARD_MPS2_AN505_H

#include <stdint.h>

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "mps2-an505"
#endif

#define BOARD_SYSCLK_HZ 20000000u
/** board_cycles() ticks are SYSCLK cycles: 50 ns each. */
#define BOARD_NS_PER_CYCLE 50.0

/** @brief 64-bit count of 20 MHz cycles since boot (CMSDK timer 0). */
unsigned long long board_cycles(void);

/** @brief Test interrupt source (CMSDK timer 1): @p handler runs from its
 *  interrupt every @p period_us microseconds; NULL stops it. */
int board_test_irq(unsigned period_us, void (*handler)(void));

/* Peripherals (boards/common/mps2.c) at their Secure aliases: CMSDK APB
 * UART0 (0x40200000), timers 0 and 1 (0x40000000, 0x40001000), dual timer
 * (0x40002000), and the NVIC's interrupt lines */
#define BOARD_UART0_BASE 0x50200000u
#define BOARD_TIMER0_BASE 0x50000000u
#define BOARD_TIMER1_BASE 0x50001000u
#define BOARD_DUALTIMER_BASE 0x50002000u
#define BOARD_TIMER0_IRQ 3
#define BOARD_TIMER1_IRQ 4
#define BOARD_DUALTIMER_IRQ 5
#define BOARD_IRQ_LINES 64

/** LAN9118 Ethernet (Secure alias of 0x42000000), net/drivers/lan9118.c. */
#define BOARD_LAN9118_BASE 0x52000000u
#define BOARD_LAN9118_IRQ 48

/** @brief Enable interrupt line @p irq in the NVIC (pending state cleared). */
void board_irq_enable(unsigned irq);

/** @brief Write one byte to the console UART. */
void board_putc(char c);

/** @brief The next byte received on the console UART, or -1 (never waits). */
int board_getc(void);

#endif
