/* SPDX-License-Identifier: MIT */
/**
 * @file boards/riscv32-virt/board.h
 * @brief QEMU `virt` machine with one RV32 hart in machine mode (`-bios
 * none`): devices and PLIC sources.
 */
#ifndef VT_BOARD_RISCV32_VIRT_H
#define VT_BOARD_RISCV32_VIRT_H

#include <stdint.h>

#include "virt.h"

#ifndef VT_BOARD_NAME
#ifdef __riscv_flen
#define VT_BOARD_NAME "riscv32-virt-f"
#else
#define VT_BOARD_NAME "riscv32-virt"
#endif
#endif

/** board_cycles() is the CLINT's mtime, 10 MHz on QEMU's virt. */
#define BOARD_CYCLES_HZ 10000000u
/** mtimecmp carries the CPU-hog tick besides the alarm (deadline.c). */
#define BOARD_HOG_ON_COMPARE 1

/* PLIC sources (context 0: hart 0, machine mode); "(board)": the board's own
 * handler (board_api.h). The virtio-net driver attaches its slot's source at
 * run time (board_irq_attach): the first virtio -device lands in the
 * highest slot. */
#define BOARD_IRQ_LINES 96
#define BOARD_PLIC_ATTACH_LINES 9
#define BOARD_IRQ_LIST(X)                                                            \
    X(VIRTIO0, 1) X(VIRTIO1, 2) X(VIRTIO2, 3) X(VIRTIO3, 4) X(VIRTIO4, 5)            \
    X(VIRTIO5, 6) X(VIRTIO6, 7) X(VIRTIO7, 8)                                        \
    X(UART0, 10) /* the console UART: output is polled, its line is free */          \
    X(RTC, 11)   /* (board) board_test_irq() */                                      \
    X(PCIE_INTA, 32) X(PCIE_INTB, 33) X(PCIE_INTC, 34) X(PCIE_INTD, 35)
/* The machine timer (mtimecmp: the alarm and the CPU-hog tick) is the board's. */

#include "../common/board_api.h"

#endif
