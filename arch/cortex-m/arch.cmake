# Cortex-M port (ARMv7-M, ARMv7E-M): sets variables only.
set(VT_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/switch.S ${CMAKE_CURRENT_LIST_DIR}/port.c)
if(VT_FPU)
  set(VT_ARCH_CONTEXT_BYTES 100)
else()
  set(VT_ARCH_CONTEXT_BYTES 36)
endif()
