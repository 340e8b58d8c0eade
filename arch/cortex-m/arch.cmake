# SPDX-License-Identifier: MIT
# Cortex-M port (ARMv6-M, ARMv7-M, ARMv7E-M, ARMv8-M Mainline): sets
# variables only. The profile and the float ABI come from the board's CPU
# flags; the frame sizes follow from the compiler's target macros
# (arch_frame.h), so nothing about them is set here.
set(VT_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/switch.S ${CMAKE_CURRENT_LIST_DIR}/copy.S
  ${CMAKE_CURRENT_LIST_DIR}/port.c ${CMAKE_CURRENT_LIST_DIR}/offload.S
  ${CMAKE_CURRENT_LIST_DIR}/offload.c)
set(VT_ARCH_BG cpu) # vt_offload: one background context, switched by PendSV
