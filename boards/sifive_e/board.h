/* SPDX-License-Identifier: MIT */
/**
 * @file boards/sifive_e/board.h
 * @brief SiFive FE310 (HiFive1: RV32IMAC, 16 KB data RAM at 0x80000000,
 * code in SPI flash executed in place at 0x20400000) as QEMU 7.2's sifive_e
 * machine models it: devices, clocks and PLIC sources (names after SiFive's
 * FE310 manual).
 */
#ifndef VT_BOARD_SIFIVE_E_H
#define VT_BOARD_SIFIVE_E_H

#include <stdint.h>

#include "fe310.h"

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "sifive_e"
#endif

/** board_cycles() is the CLINT's mtime: 10 MHz on QEMU's sifive_e (the
 *  real FE310 ticks it at the 32,768 Hz of its low-frequency clock). */
#define BOARD_CYCLES_HZ 10000000u
/** mtimecmp carries the alarm, the CPU-hog tick and the test interrupt
 *  source (deadline.c): QEMU 7.2 models no other timer of the part. */
#define BOARD_HOG_ON_COMPARE 1
#define BOARD_TEST_IRQ_ON_COMPARE 1

/* PLIC sources (context 0: hart 0, machine mode). The board takes none of
 * them: the machine timer is its alarm, CPU-hog tick and test source. */
#define BOARD_IRQ_LINES 52
#define BOARD_IRQ_LIST(X)                                                            \
    X(WDOG, 1) X(RTC, 2)                                                             \
    X(UART0, 3) /* the console UART: output is polled, its line is free */           \
    X(UART1, 4) X(QSPI0, 5) X(QSPI1, 6) X(QSPI2, 7)                                  \
    X(GPIO0, 8) X(GPIO1, 9) X(GPIO2, 10) X(GPIO3, 11) X(GPIO4, 12) X(GPIO5, 13)      \
    X(GPIO6, 14) X(GPIO7, 15) X(GPIO8, 16) X(GPIO9, 17) X(GPIO10, 18) X(GPIO11, 19)  \
    X(GPIO12, 20) X(GPIO13, 21) X(GPIO14, 22) X(GPIO15, 23) X(GPIO16, 24)            \
    X(GPIO17, 25) X(GPIO18, 26) X(GPIO19, 27) X(GPIO20, 28) X(GPIO21, 29)            \
    X(GPIO22, 30) X(GPIO23, 31) X(GPIO24, 32) X(GPIO25, 33) X(GPIO26, 34)            \
    X(GPIO27, 35) X(GPIO28, 36) X(GPIO29, 37) X(GPIO30, 38) X(GPIO31, 39)            \
    X(PWM0_CMP0, 40) X(PWM0_CMP1, 41) X(PWM0_CMP2, 42) X(PWM0_CMP3, 43)              \
    X(PWM1_CMP0, 44) X(PWM1_CMP1, 45) X(PWM1_CMP2, 46) X(PWM1_CMP3, 47)              \
    X(PWM2_CMP0, 48) X(PWM2_CMP1, 49) X(PWM2_CMP2, 50) X(PWM2_CMP3, 51)

#include "../common/board_api.h"

/* semihosting command line: small buffers on a 16 KB part */
#define BOARD_CMDLINE_MAX 128
#define BOARD_ARGS_MAX 8

#endif
