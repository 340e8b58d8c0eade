# Cortex-M port (ARMv6-M, ARMv7-M, ARMv7E-M, ARMv8-M Mainline): sets
# variables only. The board says which profile (VT_ARM_ARCH: v6-m, v7-m
# (default), v8-m.main) and whether it is built hard-float (VT_FPU); the
# switch frame size follows (see the diagram in switch.S).
set(VT_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/switch.S ${CMAKE_CURRENT_LIST_DIR}/port.c)
if(NOT VT_ARM_ARCH)
  set(VT_ARM_ARCH v7-m)
endif()
if(VT_ARM_ARCH STREQUAL "v8-m.main")
  set(VT_ARCH_CONTEXT_BYTES 40)  # + the PSPLIM of the thread
else()
  set(VT_ARCH_CONTEXT_BYTES 36)
endif()
if(VT_FPU)
  math(EXPR VT_ARCH_CONTEXT_BYTES "${VT_ARCH_CONTEXT_BYTES} + 64")  # s16-s31
endif()
