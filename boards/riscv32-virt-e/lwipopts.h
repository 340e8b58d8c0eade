/* riscv32-virt-e: the same lwIP sizes as riscv32-virt. */
#include "../riscv32-virt/lwipopts.h"
