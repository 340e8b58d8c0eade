/**
 * @file boards/common/board_common.h
 * @brief What the Cortex-M boards share (boards/common/arm_semihost.c).
 */
#ifndef VT_BOARD_COMMON_H
#define VT_BOARD_COMMON_H

/** @brief argv from the semihosting command line (QEMU's -kernel path, then
 *  the words of -append). @return argc */
int board_cmdline(char ***argv);

#endif
