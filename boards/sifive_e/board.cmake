# SPDX-License-Identifier: MIT
# Board sifive_e: SiFive FE310 (HiFive1) in QEMU: one RV32IMAC hart in
# machine mode, 16 KB of data RAM, a flash-resident image (code and
# read-only data execute in place from flash at 0x20400000, where QEMU's
# mask ROM jumps; .data copied to RAM at reset). Variables only. The
# kernel's spawn pool is shrunk to fit 16 KB, and the tests size themselves
# down (VT_TEST_TINY_RAM), as on microbit.
set(VT_ARCH riscv)
# -misa-spec=2.2: see riscv32-virt/board.cmake
set(VT_CPU_FLAGS -march=rv32imac -mabi=ilp32 -misa-spec=2.2 -mcmodel=medany --specs=picolibc.specs
  -DVT_CONFIG_SPAWN_SLOTS=2 -DVT_CONFIG_SPAWN_STACK=256)
set(VT_LINK_FLAGS -nostartfiles)
set(VT_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c)
include(${CMAKE_CURRENT_LIST_DIR}/../common/riscv.cmake)
set(VT_BOARD_LIBS "")
set(VT_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../../linker/sifive_e.ld)
set(VT_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run;sifive_e)
set(VT_TEST_DEFINITIONS VT_TEST_TINY_RAM)
set(VT_DEBUG_FEATURES hog fault gdb)
