# SPDX-License-Identifier: MIT
# Board mps2-an386: ARM MPS2 with Cortex-M4F (ARMv7E-M) in QEMU, built
# hard-float. Same memory map and peripherals as mps2-an385, so it reuses
# that board's sources and linker script. Variables only.
set(VT_ARCH cortex-m)
set(VT_FPU ON)
set(VT_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard)
set(VT_LINK_FLAGS --specs=nano.specs -nostartfiles)
set(VT_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/../common/mps2.c ${CMAKE_CURRENT_LIST_DIR}/../common/systick.c)
include(${CMAKE_CURRENT_LIST_DIR}/../common/cortex_m.cmake)
set(VT_BOARD_LIBS c_nano m)
set(VT_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../../linker/mps2-an385.ld)
set(VT_QEMU_MACHINE mps2-an386)
set(VT_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run;${VT_QEMU_MACHINE})
set(VT_TEST_DEFINITIONS VT_TEST_SMALL_RAM)
set(VT_NET_DRIVER lan9118)
set(VT_DEBUG_FEATURES hog fault mpu gdb)
# TLS entropy (net/tls/entropy.h): no random generator in the model; a test
# seed from the host's command line (seed=<hex>)
set(VT_ENTROPY_SOURCE ${CMAKE_CURRENT_LIST_DIR}/../common/entropy_host_seed.c)
