# SPDX-License-Identifier: MIT
# Board "host": the kernel in a Linux process (fast tests, sanitizers).
set(VT_ARCH host)
set(VT_CPU_FLAGS "")
# bind symbols at load time: no lazy-binding frames on small thread stacks
set(VT_LINK_FLAGS -Wl,-z,now)
set(VT_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c)
set(VT_BOARD_LIBS rt pthread) # pthread: vt_offload's worker threads
set(VT_LINKER_SCRIPT "")
set(VT_EMULATOR "")
# Debugging aids the board and port provide (tests/CMakeLists.txt, docs/debugging.md)
set(VT_DEBUG_FEATURES hog fault gdb)
# NIC: libslirp, QEMU's user-mode network, in the process (net/drivers/slirp.c);
# without libslirp-dev the in-process two-interface link (hostlink.c), which
# the network suite uses anyway
set(VT_NET_DRIVER slirp)
