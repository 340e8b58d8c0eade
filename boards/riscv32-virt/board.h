/**
 * @file boards/riscv32-virt/board.h
 * @brief QEMU `virt` machine with one RV32 hart in machine mode (`-bios none`).
 */
#ifndef VT_BOARD_RISCV32_VIRT_H
#define VT_BOARD_RISCV32_VIRT_H

#include <stdint.h>

#ifndef VT_BOARD_NAME
#ifdef __riscv_flen
#define VT_BOARD_NAME "riscv32-virt-f"
#else
#define VT_BOARD_NAME "riscv32-virt"
#endif
#endif

/** CLINT mtime frequency. */
#define BOARD_MTIME_HZ 10000000u
/** board_cycles() ticks are mtime ticks at 10 MHz: 100 ns each. */
#define BOARD_NS_PER_CYCLE 100.0

/** @brief 64-bit CLINT mtime: 10 MHz ticks since reset. */
unsigned long long board_cycles(void);

/** @brief Test interrupt source (goldfish RTC alarm, PLIC IRQ 11): @p handler
 *  runs from its interrupt every @p period_us microseconds; NULL stops it. */
int board_test_irq(unsigned period_us, void (*handler)(void));

/**
 * @brief Route PLIC source @p irq (hart 0, machine mode) to @p handler, which
 * runs in interrupt context after the claim and before the completion;
 * enables the source (priority 1). NULL detaches and disables it. The
 * virtio-mmio slot i is source i+1. @return 0, or -1 for a source out of
 * range or the test source (11).
 */
int board_irq_attach(unsigned irq, void (*handler)(void));

/** @brief Write one byte to the console UART (NS16550A). */
void board_putc(char c);

/** @brief The next byte received on the console UART, or -1 (never waits). */
int board_getc(void);

#endif
