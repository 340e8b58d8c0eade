# Host port (Linux x86-64): sets variables only.
set(VT_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/switch.S ${CMAKE_CURRENT_LIST_DIR}/port.c)
set(VT_ARCH_CONTEXT_BYTES 56)
