# SPDX-License-Identifier: MIT
# Board netduinoplus2: Netduino Plus 2 (STM32F405, Cortex-M4F, ARMv7E-M) in
# QEMU, built hard-float, flash-resident (code and read-only data in flash at
# 0x08000000, .data copied to SRAM at reset). Variables only. The tests size
# themselves down as on the 16 KB parts (VT_TEST_TINY_RAM: the kernel
# suite's big cases want megabytes), with more and larger threads in
# many_threads: 128 KB holds them, and the MPU guard (kernel_suite_mpu)
# needs 244-byte stacks at least.
set(VT_ARCH cortex-m)
set(VT_FPU ON)
set(VT_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard)
set(VT_LINK_FLAGS --specs=nano.specs -nostartfiles)
set(VT_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c ${CMAKE_CURRENT_LIST_DIR}/../common/systick.c)
include(${CMAKE_CURRENT_LIST_DIR}/../common/cortex_m.cmake)
set(VT_BOARD_LIBS c_nano m)
set(VT_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../../linker/netduinoplus2.ld)
set(VT_QEMU_MACHINE netduinoplus2)
set(VT_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run;${VT_QEMU_MACHINE})
set(VT_TEST_DEFINITIONS VT_TEST_TINY_RAM MANY_THREADS=200 "MANY_STACK=VT_STACK_SIZE(160)")
set(VT_DEBUG_FEATURES hog fault mpu gdb)
