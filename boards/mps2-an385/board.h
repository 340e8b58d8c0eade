/**
 * @file boards/mps2-an385/board.h
 * @brief ARM MPS2 AN385 (Cortex-M3, 25 MHz) as QEMU models it.
 */
#ifndef VT_BOARD_MPS2_H
#define VT_BOARD_MPS2_H

#include <stdint.h>

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "mps2-an385"
#endif

#define BOARD_SYSCLK_HZ 25000000u
/** board_cycles() ticks are SYSCLK cycles: 40 ns each. */
#define BOARD_NS_PER_CYCLE 40.0

/** @brief 64-bit count of 25 MHz cycles since boot (CMSDK timer 0). */
unsigned long long board_cycles(void);

/** @brief Test interrupt source (CMSDK timer 1): @p handler runs from its
 *  interrupt every @p period_us microseconds; NULL stops it. */
int board_test_irq(unsigned period_us, void (*handler)(void));

/* Peripherals (boards/common/mps2.c): CMSDK APB UART0, timers 0 and 1,
 * dual timer, and the NVIC's interrupt lines */
#define BOARD_UART0_BASE 0x40004000u
#define BOARD_TIMER0_BASE 0x40000000u
#define BOARD_TIMER1_BASE 0x40001000u
#define BOARD_DUALTIMER_BASE 0x40002000u
#define BOARD_TIMER0_IRQ 8
#define BOARD_TIMER1_IRQ 9
#define BOARD_DUALTIMER_IRQ 10
#define BOARD_IRQ_LINES 32

/** LAN9118 Ethernet controller (net/drivers/lan9118.c). */
#ifndef BOARD_LAN9118_BASE
#define BOARD_LAN9118_BASE 0x40200000u
#define BOARD_LAN9118_IRQ 13
#endif

/** @brief Enable interrupt line @p irq in the NVIC (pending state cleared). */
void board_irq_enable(unsigned irq);

/** @brief Write one byte to the console UART. */
void board_putc(char c);

/** @brief The next byte received on the console UART, or -1 (never waits). */
int board_getc(void);

#endif
