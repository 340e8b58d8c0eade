/* SPDX-License-Identifier: MIT */
/**
 * @file boards/riscv32-virt-f/board.h
 * @brief riscv32-virt built for RV32IMAFC/ilp32f: the same board.
 */
#include "../riscv32-virt/board.h"
