# SPDX-License-Identifier: MIT
# What every RISC-V board in QEMU adds to its VT_BOARD_SOURCES (included by
# its board.cmake after setting them): the reset path, semihosting and
# picolibc's streams, the CLINT clock and compare, the PLIC dispatch, the
# millisecond clock, deadlines on mtimecmp, the command line.
list(APPEND VT_BOARD_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/riscv.c ${CMAKE_CURRENT_LIST_DIR}/startup.c
  ${CMAKE_CURRENT_LIST_DIR}/clock.c ${CMAKE_CURRENT_LIST_DIR}/deadline.c
  ${CMAKE_CURRENT_LIST_DIR}/cmdline.c)
