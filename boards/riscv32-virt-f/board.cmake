# SPDX-License-Identifier: MIT
# Board riscv32-virt-f: riscv32-virt with single-precision hardware float
# (RV32IMAFC, ilp32f): the switch also saves fs0-fs11. Variables only.
include(${CMAKE_CURRENT_LIST_DIR}/../riscv32-virt/board.cmake)
set(VT_CPU_FLAGS -march=rv32imafc -mabi=ilp32f -misa-spec=2.2 -mcmodel=medany
  --specs=picolibc.specs)
set(VT_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run;riscv32-virt-f)
set(VT_TLS_DEFAULT OFF) # TLS: -DVT_TLS=ON (the riscv32-virt board runs its tests)
