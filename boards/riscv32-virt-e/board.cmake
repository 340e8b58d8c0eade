# SPDX-License-Identifier: MIT
# Board riscv32-virt-e: riscv32-virt built for RV32E (RV32EMAC, ilp32e): the
# switch saves ra, s0, s1 only. No preset: configure with
#   cmake -B build/riscv32-virt-e -DVT_BOARD=riscv32-virt-e -DCMAKE_BUILD_TYPE=MinSizeRel
# scripts/qemu-run gives QEMU 7.2 `-cpu rv32,e=true,i=false,...` (it accepts the E flag
# but does not trap x16-x31, so the run checks behaviour, not the register
# subset; the compiler's ilp32e code generation does that). Variables only.
include(${CMAKE_CURRENT_LIST_DIR}/../riscv32-virt/board.cmake)
set(VT_CPU_FLAGS -march=rv32emac -mabi=ilp32e -misa-spec=2.2 -mcmodel=medany
  --specs=picolibc.specs)
set(VT_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run;riscv32-virt-e)
set(VT_TLS_DEFAULT OFF) # TLS: -DVT_TLS=ON (the riscv32-virt board runs its tests)
