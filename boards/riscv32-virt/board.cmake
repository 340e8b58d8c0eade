# SPDX-License-Identifier: MIT
# Board riscv32-virt: QEMU virt, one RV32IMAC hart in machine mode. Variables only.
set(VT_ARCH riscv)
# -misa-spec=2.2: Zicsr/Zifencei implied, and GCC 12 still picks picolibc's
# rv32imac/ilp32 multilib (it would not for -march=rv32imac_zicsr).
# picolibc's specs also on the compile line: they add its include directory.
set(VT_CPU_FLAGS -march=rv32imac -mabi=ilp32 -misa-spec=2.2 -mcmodel=medany --specs=picolibc.specs)
set(VT_LINK_FLAGS -nostartfiles -Wl,--no-warn-rwx-segments) # one RAM image: RWX by design
set(VT_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c)
include(${CMAKE_CURRENT_LIST_DIR}/../common/riscv.cmake)
set(VT_BOARD_LIBS "")
set(VT_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../../linker/riscv32-virt.ld)
set(VT_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run;riscv32-virt)
set(VT_TEST_DEFINITIONS VT_TEST_SMALL_RAM)
set(VT_NET_DRIVER virtio_net) # net/drivers/virtio_net.c (QEMU: -device virtio-net-device)
set(VT_DEBUG_FEATURES hog fault gdb)
# TLS entropy (net/tls/entropy.h): QEMU's virtio entropy device (qemu-run adds it)
set(VT_ENTROPY_SOURCE ${CMAKE_CURRENT_LIST_DIR}/virtio_rng.c)
set(VT_TLS_DEFAULT ON)  # TLS layer and its tests built by default
