/* SPDX-License-Identifier: MIT */
/**
 * @file boards/riscv32-virt-e/board.h
 * @brief riscv32-virt built for RV32EMAC/ilp32e: the same board.
 */
#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "riscv32-virt-e"
#endif
#include "../riscv32-virt/board.h"
