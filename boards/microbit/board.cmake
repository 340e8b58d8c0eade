# SPDX-License-Identifier: MIT
# Board microbit: BBC micro:bit (nRF51822, Cortex-M0, ARMv6-M, 16 KB RAM) in
# QEMU. Variables only. The kernel's spawn pool is shrunk to fit 16 KB, and
# the tests size themselves down (VT_TEST_TINY_RAM).
set(VT_ARCH cortex-m)
set(VT_ARM_ARCH v6-m)
set(VT_FPU OFF)
set(VT_CPU_FLAGS -mcpu=cortex-m0 -mthumb -mfloat-abi=soft
  -DVT_CONFIG_SPAWN_SLOTS=2 -DVT_CONFIG_SPAWN_STACK=256)
set(VT_LINK_FLAGS --specs=nano.specs -nostartfiles)
set(VT_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c)
include(${CMAKE_CURRENT_LIST_DIR}/../common/cortex_m.cmake)
set(VT_BOARD_LIBS c_nano m)
set(VT_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../../linker/microbit.ld)
set(VT_QEMU_MACHINE microbit)
set(VT_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run;${VT_QEMU_MACHINE})
set(VT_TEST_DEFINITIONS VT_TEST_TINY_RAM)
set(VT_DEBUG_FEATURES hog fault gdb)
