# SPDX-License-Identifier: MIT
# Board "host-aarch64" (extra): the host board on Linux AArch64. On an
# AArch64 machine the "host" board is this already; here the kernel suite and
# the network suite are cross-built (gcc-aarch64-linux-gnu) and run under
# qemu-user (qemu-aarch64), so the AArch64 switch is tested on x86-64 CI.
# Variables only.
include(${CMAKE_CURRENT_LIST_DIR}/../host/board.cmake)
set(VT_HOST_TRIPLE aarch64-linux-gnu) # toolchain.cmake: cross compiler and runner
# (the GDB test attaches gdb-multiarch to qemu-aarch64's gdbstub; the
# sanitizer builds stay on the native host board)
# no libslirp for AArch64 here: the in-process link (the network suite's NIC)
set(VT_NET_DRIVER hostlink)
