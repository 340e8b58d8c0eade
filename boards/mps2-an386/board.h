/* SPDX-License-Identifier: MIT */
/**
 * @file boards/mps2-an386/board.h
 * @brief ARM MPS2 AN386 (Cortex-M4F, 25 MHz) as QEMU models it: the AN385
 * board with an FPU, so the AN385 board support serves it unchanged.
 */
#ifndef VT_BOARD_MPS2_AN386_H
#define VT_BOARD_MPS2_AN386_H

#define VT_BOARD_NAME "mps2-an386"
#include "../mps2-an385/board.h"

#endif
