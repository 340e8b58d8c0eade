/* SPDX-License-Identifier: MIT */
/* Network defaults: the same as riscv32-virt */
#include "../riscv32-virt/board_net.h"
