/* SPDX-License-Identifier: MIT */
/**
 * @file boards/host-aarch64/board.h
 * @brief The host board built for Linux AArch64 (boards/host/).
 */
#ifndef VT_BOARD_HOST_AARCH64_H
#define VT_BOARD_HOST_AARCH64_H

#define VT_BOARD_NAME "host-aarch64"
#include "../host/board.h"

#endif
