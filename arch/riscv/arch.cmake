# SPDX-License-Identifier: MIT
# RISC-V RV32 port (machine mode): sets variables only. The switch frame
# size follows from the board's -march through the compiler's target
# macros (arch_frame.h), so nothing about it is set here.
set(VT_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/switch.S ${CMAKE_CURRENT_LIST_DIR}/trap.S
  ${CMAKE_CURRENT_LIST_DIR}/copy.S ${CMAKE_CURRENT_LIST_DIR}/port.c
  ${CMAKE_CURRENT_LIST_DIR}/offload.S ${CMAKE_CURRENT_LIST_DIR}/offload.c)
set(VT_ARCH_BG cpu) # vt_offload: one background context, switched by the machine software interrupt
