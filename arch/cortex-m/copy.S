/* SPDX-License-Identifier: MIT */
/*
 * Cortex-M stack image copies for shared-stack threads (kernel/shared.c):
 * arch_stack_copy() and arch_stack_swap(), declared in kernel/port.h.
 *
 * Both take word-aligned addresses and a length that is a whole number of
 * words. ARMv7-M and ARMv8-M Mainline move many words per instruction with
 * ldm/stm (newlib-nano's memcpy goes byte by byte). ARMv6-M's Thumb-1 has
 * ldm/stm for the low registers only, always with write-back: its swap
 * moves 3 words of each side per round (r2-r7); its copy is C (port.c),
 * off the hot path.
 *
 * Kept in assembly rather than inline asm in C: the register lists need
 * r7, which GCC reserves as the frame pointer at -O0.
 */
    .syntax unified
    .thumb
    .text

#if !defined(__ARM_ARCH_6M__)

/* void arch_stack_copy(void *dst, const void *src, size_t len)
 * r0 = dst, r1 = src, r2 = bytes. 32 bytes per ldm/stm pair, then the
 * 16-, 8- and 4-byte rest chosen by the bits of the length. */
    .global arch_stack_copy
    .type arch_stack_copy, %function
    .thumb_func
arch_stack_copy:
    push    {r4-r10}
    subs    r2, r2, #32
    blo     2f
1:  ldmia   r1!, {r3-r10}         /* 8 words */
    stmia   r0!, {r3-r10}
    subs    r2, r2, #32
    bhs     1b
2:  lsls    r12, r2, #28          /* C = bit 4 of the rest, N = bit 3 */
    itt     cs
    ldmiacs r1!, {r3-r6}          /* 4 words */
    stmiacs r0!, {r3-r6}
    itt     mi
    ldmiami r1!, {r3-r4}          /* 2 words */
    stmiami r0!, {r3-r4}
    lsls    r12, r2, #30          /* C = bit 2: one word */
    itt     cs
    ldrcs   r3, [r1]
    strcs   r3, [r0]
    pop     {r4-r10}
    bx      lr
    .size arch_stack_copy, .-arch_stack_copy

/* void arch_stack_swap(void *a, void *b, size_t len)
 * r0 = a, r1 = b, r2 = bytes. Ten registers hold 5 words of each side:
 * two such exchanges per round (40 bytes), then one more if 20 bytes are
 * left, then single words. */
    .global arch_stack_swap
    .type arch_stack_swap, %function
    .thumb_func
arch_stack_swap:
    push    {r4-r11, lr}
    subs    r2, r2, #40
    blo     2f
1:  ldmia   r0, {r3-r7}           /* 5 words of a */
    ldmia   r1, {r8-r12}          /* 5 words of b */
    stmia   r0!, {r8-r12}
    stmia   r1!, {r3-r7}
    ldmia   r0, {r3-r7}           /* and 5 more */
    ldmia   r1, {r8-r12}
    stmia   r0!, {r8-r12}
    stmia   r1!, {r3-r7}
    subs    r2, r2, #40
    bhs     1b
2:  adds    r2, r2, #40           /* 0-36 bytes left */
    cmp     r2, #20
    blo     3f
    ldmia   r0, {r3-r7}
    ldmia   r1, {r8-r12}
    stmia   r0!, {r8-r12}
    stmia   r1!, {r3-r7}
    subs    r2, r2, #20           /* 0-16 bytes left */
3:  cbz     r2, 5f
4:  ldr     r3, [r0]
    ldr     r4, [r1]
    str     r4, [r0], #4
    str     r3, [r1], #4
    subs    r2, r2, #4
    bne     4b
5:  pop     {r4-r11, pc}
    .size arch_stack_swap, .-arch_stack_swap

#else /* ARMv6-M */

/* void arch_stack_swap(void *a, void *b, size_t len)
 * r0 = a, r1 = b, r2 = bytes. ldm/stm write back, so each side's pointer
 * steps back before its store; r12 holds the last start of a round
 * (Thumb-1 compares a low with a high register). */
    .global arch_stack_swap
    .type arch_stack_swap, %function
    .thumb_func
arch_stack_swap:
    push    {r4-r7}
    adds    r2, r0, r2            /* end of a */
    subs    r2, r2, #12
    mov     r12, r2               /* the last address a whole round starts at */
    cmp     r0, r2
    bhi     2f
1:  ldmia   r0!, {r2-r4}          /* 3 words of a */
    ldmia   r1!, {r5-r7}          /* 3 words of b */
    subs    r0, r0, #12
    subs    r1, r1, #12
    stmia   r0!, {r5-r7}
    stmia   r1!, {r2-r4}
    cmp     r0, r12
    bls     1b
2:  mov     r2, r12               /* 0-2 words left */
    adds    r2, r2, #12           /* the end of a */
    cmp     r0, r2
    beq     4f
3:  ldr     r3, [r0]
    ldr     r4, [r1]
    stmia   r0!, {r4}
    stmia   r1!, {r3}
    cmp     r0, r2
    bne     3b
4:  pop     {r4-r7}
    bx      lr
    .size arch_stack_swap, .-arch_stack_swap

#endif /* __ARM_ARCH_6M__ */
