/* riscv32-virt-f: the same lwIP sizes as riscv32-virt. */
#include "../riscv32-virt/lwipopts.h"
