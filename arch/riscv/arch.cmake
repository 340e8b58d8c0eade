# RISC-V RV32 port (machine mode): sets variables only.
set(VT_ARCH_SOURCES ${CMAKE_CURRENT_LIST_DIR}/switch.S ${CMAKE_CURRENT_LIST_DIR}/trap.S
  ${CMAKE_CURRENT_LIST_DIR}/port.c)
# Switch frame bytes (switch.S; port.c checks the figure at compile time):
# ra + s0-s11 = 52 -> 64; + fs0-fs11 single = 100 -> 112, double -> 160;
# RV32E ra + s0-s1 = 12 -> 16. Read from the board's -march.
string(REGEX MATCH "-march=rv32([a-z]*)" _vt_march "${VT_CPU_FLAGS}")
set(_vt_ext "${CMAKE_MATCH_1}")
if(_vt_ext MATCHES "^e")
  set(VT_ARCH_CONTEXT_BYTES 16)
elseif(_vt_ext MATCHES "[dg]")
  set(VT_ARCH_CONTEXT_BYTES 160)
elseif(_vt_ext MATCHES "f")
  set(VT_ARCH_CONTEXT_BYTES 112)
else()
  set(VT_ARCH_CONTEXT_BYTES 64)
endif()
