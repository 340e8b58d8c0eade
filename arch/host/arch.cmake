# Host port (Linux x86-64 or AArch64): sets variables only.
set(VT_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/switch.S ${CMAKE_CURRENT_LIST_DIR}/port.c)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(VT_ARCH_CONTEXT_BYTES 160) # x19-x30, d8-d15
else()
  set(VT_ARCH_CONTEXT_BYTES 56)  # rbx, rbp, r12-r15, return address
endif()
