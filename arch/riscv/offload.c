/* SPDX-License-Identifier: MIT */
/**
 * @file arch/riscv/offload.c
 * @brief RISC-V hooks of vt_offload's background context: its first frame
 * and the C side of the switch (offload.S has the switch, whose diagram
 * shows the frame built here, and arch_bg_kick()).
 */
#include <stdint.h>

#include "port.h"
#include "trap_frame.h"

static void bg_returned(void) { vt_panic("vt_offload's background context returned"); }

void *arch_bg_context_init(void *stack_lo, void *stack_top, void (*entry)(void))
{
    uint32_t *f = (uint32_t *)(((uintptr_t)stack_top & ~(uintptr_t)15) - BG_FRAME);
    unsigned long mstatus;
    (void)stack_lo;
    for (unsigned i = 0; i < BG_FRAME / 4; i++)
        f[i] = 0;
    mstatus = rv_csr_read(mstatus);
    f[BG_MEPC / 4] = (uint32_t)(uintptr_t)entry;
    f[BG_X(1) / 4] = (uint32_t)(uintptr_t)bg_returned; /* ra */
    /* machine mode, interrupts on after the mret; FS as now (the FPU on) */
    f[BG_MSTATUS / 4] = (uint32_t)((mstatus & ~MSTATUS_MIE) | MSTATUS_MPIE | MSTATUS_MPP_M);
    board_irq_soft(0);
    rv_csr_set(mie, MIE_MSIE); /* the switch interrupt on */
    return f;
}

/* Called by offload.S on the interrupt stack with the full frame it saved. */
void *riscv_bg_switch(void *sp);
void *riscv_bg_switch(void *sp)
{
    board_irq_soft(0); /* acknowledge: traps do not nest, no kick is lost */
    return offload_switch(sp);
}
