/**
 * @file boards/common/board_common.h
 * @brief What the QEMU boards share: semihosting (boards/common/cmdline.c;
 * each architecture's call in arm_semihost.c or its board.c).
 */
#ifndef VT_BOARD_COMMON_H
#define VT_BOARD_COMMON_H

/** @brief One semihosting call: operation @p op with parameter block @p arg
 *  (ARM: bkpt 0xab; RISC-V: the slli/ebreak/srai sequence). @return r0/a0 */
long board_semihost(long op, void *arg);

/** @brief argv from the semihosting command line (QEMU's -kernel path, then
 *  the words of -append). @return argc */
int board_cmdline(char ***argv);

#endif
