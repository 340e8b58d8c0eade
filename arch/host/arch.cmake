# SPDX-License-Identifier: MIT
# Host port (Linux x86-64 or AArch64): sets variables only (frame sizes:
# arch_frame.h).
set(VT_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/switch.S ${CMAKE_CURRENT_LIST_DIR}/port.c
  ${CMAKE_CURRENT_LIST_DIR}/offload.c)
set(VT_ARCH_BG threads) # vt_offload: a pool of pthreads (arch/host/offload.c)
