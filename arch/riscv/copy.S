/* SPDX-License-Identifier: MIT */
/*
 * RISC-V RV32 exchange of two stack images for shared-stack threads
 * (kernel/shared.c): arch_stack_swap(), declared in kernel/port.h. (The
 * plain copy, arch_stack_copy(), is C in port.c: it is off the hot path.)
 *
 * Word-aligned addresses, a whole number of words. RV32 has no
 * multi-register loads, so a round first loads ROUND words of a into as
 * many caller-saved registers, then moves each word of b to a through one
 * more register and stores a's word in its place: 4 memory instructions a
 * word and 3 of loop control a round. ROUND is 8 (9 registers: t0-t6,
 * a4, a5); RV32E has no t3-t6: 4 there (t0-t2, a4, and a5).
 */
#include "arch_frame.h"

    .text

#ifdef __riscv_32e
#define ROUND 4
#else
#define ROUND 8
#endif

/* one word: b[i] -> a[i], register r (a's word, loaded before) -> b[i] */
.macro xchg r, i
    lw      a5, \i * 4(a1)
    sw      a5, \i * 4(a0)
    sw      \r, \i * 4(a1)
.endm

/* void arch_stack_swap(void *a, void *b, size_t len): a0 = a, a1 = b, a2 = bytes */
    .global arch_stack_swap
    .type arch_stack_swap, @function
    .balign 4
arch_stack_swap:
    add     a2, a0, a2              /* a2 = end of a */
    addi    a3, a2, -4 * ROUND      /* the last address a whole round starts at */
    bltu    a3, a0, 2f
1:  lw      t0, 0(a0)
    lw      t1, 4(a0)
    lw      t2, 8(a0)
    lw      a4, 12(a0)
#if ROUND == 8
    lw      t3, 16(a0)
    lw      t4, 20(a0)
    lw      t5, 24(a0)
    lw      t6, 28(a0)
#endif
    xchg    t0, 0
    xchg    t1, 1
    xchg    t2, 2
    xchg    a4, 3
#if ROUND == 8
    xchg    t3, 4
    xchg    t4, 5
    xchg    t5, 6
    xchg    t6, 7
#endif
    addi    a0, a0, 4 * ROUND
    addi    a1, a1, 4 * ROUND
    bgeu    a3, a0, 1b
2:  beq     a0, a2, 4f              /* fewer than ROUND words left: one by one */
3:  lw      t0, 0(a0)
    xchg    t0, 0
    addi    a0, a0, 4
    addi    a1, a1, 4
    bne     a0, a2, 3b
4:  ret
    .size arch_stack_swap, .-arch_stack_swap
