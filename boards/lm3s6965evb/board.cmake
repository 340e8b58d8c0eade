# SPDX-License-Identifier: MIT
# Board lm3s6965evb: TI Stellaris LM3S6965 evaluation board (Cortex-M3,
# ARMv7-M, 50 MHz, 256 KB flash, 64 KB SRAM, Ethernet MAC) in QEMU,
# flash-resident (code and read-only data in flash, .data copied to SRAM at
# reset: linker/lm3s6965evb.ld). Variables only.
#
# 64 KB of RAM: unused functions and data (the spawn pool of a program
# that never calls vt_spawn) are dropped at link time (-ffunction-sections
# -fdata-sections with --gc-sections), and the tests size themselves for a
# small part (VT_TEST_TINY_RAM; VT_TEST_64K_RAM: what 64 KB holds beyond
# 16 KB).
set(VT_ARCH cortex-m)
set(VT_FPU OFF)
set(VT_CPU_FLAGS -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
  -ffunction-sections -fdata-sections)
set(VT_LINK_FLAGS --specs=nano.specs -nostartfiles)
set(VT_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c)
include(${CMAKE_CURRENT_LIST_DIR}/../common/cortex_m.cmake)
set(VT_BOARD_LIBS c_nano m)
set(VT_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../../linker/lm3s6965evb.ld)
set(VT_QEMU_MACHINE lm3s6965evb)
set(VT_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run;${VT_QEMU_MACHINE})
set(VT_TEST_DEFINITIONS VT_TEST_TINY_RAM VT_TEST_64K_RAM)
# Debugging aids (tests/CMakeLists.txt, docs/debugging.md)
set(VT_DEBUG_FEATURES hog fault mpu gdb)
set(VT_NET_DRIVER stellaris)
# TLS entropy (net/tls/entropy.h): no random generator in the model; a test
# seed from the host's command line (seed=<hex>)
set(VT_ENTROPY_SOURCE ${CMAKE_CURRENT_LIST_DIR}/../common/entropy_host_seed.c)
set(VT_TLS_DEFAULT ON)  # TLS layer and its tests built by default
# 1 KB TLS records each way (2 KB less RAM than the default 2048): enough for
# a broker's first flight with one ECDSA certificate (docs/tls.md)
set(VT_TLS_RECORD_MAX_DEFAULT 1024)
