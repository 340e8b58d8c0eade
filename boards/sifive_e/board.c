/* SPDX-License-Identifier: MIT */
/**
 * @file boards/sifive_e/board.c
 * @brief SiFive FE310 (QEMU sifive_e) board support: the UART0 console. The
 * reset path (a flash-resident image: .data copied from flash), the clock
 * (mtime), the alarm, the CPU-hog tick and the test interrupt source (all on
 * mtimecmp), the PLIC dispatch, semihosting and the exit are
 * boards/common/riscv.c's and deadline.c's. QEMU's sifive_e has no exit
 * device: the exit code goes through semihosting only.
 */
#include <stdint.h>

#include "../common/board_common.h"
#include "board.h"
#include "port.h"

#define UART_DIV_115200_16MHZ 138u /* the FE310's 16 MHz clock / 115200 - 1 */

void board_putc(char c)
{
    while (FE310_UART0->TXDATA & UART_TXDATA_FULL)
        ;
    FE310_UART0->TXDATA = (uint8_t)c;
}

int board_getc(void)
{
    uint32_t r = FE310_UART0->RXDATA; /* pops the byte */
    return (r & UART_RXDATA_EMPTY) ? -1 : (int)(r & 0xFFu);
}

void board_init(void)
{
    FE310_UART0->DIV = UART_DIV_115200_16MHZ;
    FE310_UART0->TXCTRL = UART_TXCTRL_TXEN;
    FE310_UART0->RXCTRL = UART_RXCTRL_RXEN;
}
