# SPDX-License-Identifier: MIT
# What every Cortex-M board in QEMU adds to its VT_BOARD_SOURCES (included
# by its board.cmake after setting them): the vector table and reset path,
# the millisecond clock, deadlines on one compare, semihosting and newlib's
# system calls, the command line.
list(APPEND VT_BOARD_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cortex_m.c ${CMAKE_CURRENT_LIST_DIR}/startup.c
  ${CMAKE_CURRENT_LIST_DIR}/clock.c ${CMAKE_CURRENT_LIST_DIR}/deadline.c
  ${CMAKE_CURRENT_LIST_DIR}/arm_semihost.c ${CMAKE_CURRENT_LIST_DIR}/cmdline.c)
