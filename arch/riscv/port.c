/* SPDX-License-Identifier: MIT */
/**
 * @file arch/riscv/port.c
 * @brief RISC-V RV32 port glue: the initial frame, trap set-up, interrupt
 * dispatch and the fault reporter. The switch is in switch.S, the trap
 * entry in trap.S.
 */
#include <stdint.h>
#include <stdio.h>

#include "port.h"

void arch_thread_start(void);
extern char vt_vector_table[], __isr_stack_top[];

void *arch_context_init(void *stack_top, vt_entry_t entry, void *arg)
{
    uint32_t *sp = (uint32_t *)((uint8_t *)stack_top - VT_RV_SWITCH_FRAME);
    for (unsigned i = 0; i < VT_RV_SWITCH_FRAME / 4; i++)
        sp[i] = 0;
    sp[0] = (uint32_t)(uintptr_t)arch_thread_start; /* ra */
    sp[1] = (uint32_t)(uintptr_t)entry;             /* s0 */
    sp[2] = (uint32_t)(uintptr_t)arg;               /* s1 */
    return sp;
}

/* From an interrupt handler: machine-mode traps do not nest here, so mepc
 * still holds the PC the interrupt came in at. */
uintptr_t arch_interrupted_pc(void) { return rv_csr_read(mepc); }

/* Stack images (kernel/shared.c): word-aligned, whole words. RV32 has no
 * multi-register loads; four words per round keep the loop overhead low.
 * (arch_stack_swap, on the hot path of shared stacks, is in copy.S.) */
void arch_stack_copy(void *dst, const void *src, size_t len)
{
    uint32_t *d = dst;
    const uint32_t *s = src;
    size_t n = len / 4u;
    for (; n >= 4; n -= 4, d += 4, s += 4) {
        uint32_t w0 = s[0], w1 = s[1], w2 = s[2], w3 = s[3];
        d[0] = w0;
        d[1] = w1;
        d[2] = w2;
        d[3] = w3;
    }
    while (n-- > 0)
        *d++ = *s++;
}

void riscv_trap_init(void)
{
    rv_csr_write(mtvec, vt_vector_table);   /* direct mode */
    rv_csr_write(mscratch, __isr_stack_top); /* "not in a trap" */
}

void arch_run_prepare(void)
{
    /* main may have run with another mtvec (a test harness); the interrupt
     * stack is free here: vt_run() is never called from a handler */
    riscv_trap_init();
}

/* Interrupt dispatch, called by the trap entry on the interrupt stack. */
void riscv_irq(uint32_t mcause);
void riscv_irq(uint32_t mcause)
{
    switch (mcause & MCAUSE_CODE) {
    case IRQ_M_TIMER:
        board_irq_timer();
        break;
    case IRQ_M_EXT: /* the PLIC */
        board_irq_external();
        break;
    default:
        vt_panic("unexpected interrupt");
    }
}

static const char *cause_name(uint32_t c)
{
    static const char *const names[] = {
        "instruction misaligned", "instruction access fault", "illegal instruction",
        "breakpoint", "load misaligned", "load access fault", "store misaligned",
        "store access fault", "ecall from U", "ecall from S", "?", "ecall from M",
        "instruction page fault", "load page fault", "?", "store page fault"};
    return c < sizeof names / sizeof names[0] ? names[c] : "?";
}

/* Exceptions, called by the trap entry on the interrupt stack; frame as
 * drawn in trap.S (frame[0] ra, frame[1..3] t0-t2, frame[4..] a0-...). */
void riscv_fault(uint32_t mcause, const uint32_t *frame) __attribute__((noreturn));
void riscv_fault(uint32_t mcause, const uint32_t *frame)
{
    uint32_t mepc = rv_csr_read(mepc), mtval = rv_csr_read(mtval);
    vt_thread_t *t = vt_stack_owner_unsafe();
#ifdef __riscv_32e
    uint32_t sp = frame[10];
#else
    uint32_t sp = frame[16];
#endif
    printf("\nFAULT: mcause %lu (%s) in %s %s\n", (unsigned long)mcause, cause_name(mcause),
           t ? "thread" : "context", t ? vt_thread_name(t) : "main/idle");
    printf("  mepc=%08lx mtval=%08lx ra=%08lx sp=%08lx%s\n", (unsigned long)mepc,
           (unsigned long)mtval, (unsigned long)frame[0], (unsigned long)sp,
           sp == 0 ? " (fault inside a trap handler)" : "");
    printf("  a0=%08lx a1=%08lx a2=%08lx a3=%08lx\n", (unsigned long)frame[4],
           (unsigned long)frame[5], (unsigned long)frame[6], (unsigned long)frame[7]);
    if (t != NULL)
        printf("  thread stack %p..%p, saved sp %p\n", vt_stack_lo_unsafe(t),
               (void *)((uint8_t *)vt_stack_lo_unsafe(t) + vt_thread_stack_size(t)), t->sp);
    vt_dump(); /* every thread, what it waits on, its stack */
    fflush(stdout);
    board_exit(2);
}
