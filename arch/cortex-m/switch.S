/*
 * Cortex-M context switch (ARMv7-M / ARMv7E-M, Thumb-2).
 *
 * The cooperative switch is a plain function call: the caller has already
 * saved r0-r3, r12 as the AAPCS requires, so only callee-saved registers go
 * on the stack. No PendSV, no exception entry on the yield path.
 *
 * Saved frame, at the thread's saved sp (lowest address first):
 *
 *   [s16 ... s31]      16 words, only when built for a hardware FPU
 *   r4                 (new thread: entry)
 *   r5                 (new thread: arg)
 *   r6 r7 r8 r9 r10 r11
 *   lr                 (new thread: arch_thread_start)
 *
 * 36 bytes, or 100 with the FPU.
 */
    .syntax unified
    .thumb
    .text

/* void arch_switch(void **from_sp, void *to_sp) */
    .global arch_switch
    .type arch_switch, %function
    .thumb_func
arch_switch:
    push    {r4-r11, lr}          /* callee-saved integer registers */
#if defined(__ARM_FP) && !defined(__SOFTFP__)
    vpush   {s16-s31}             /* callee-saved FP registers (hard-float) */
#endif
    str     sp, [r0]              /* *from_sp = sp */
    mov     sp, r1                /* adopt the other context */
#if defined(__ARM_FP) && !defined(__SOFTFP__)
    vpop    {s16-s31}
#endif
    pop     {r4-r11, pc}          /* resume it where it called arch_switch */
    .size arch_switch, .-arch_switch

/* First code of every thread: vt_exit(entry(arg)). */
    .global arch_thread_start
    .type arch_thread_start, %function
    .thumb_func
arch_thread_start:
    mov     r0, r5
    blx     r4
    bl      vt_exit               /* never returns */
    .size arch_thread_start, .-arch_thread_start

/*
 * void arch_run_prepare(void): the first time, move thread mode onto PSP
 * (same address: main keeps its frames) and give MSP to handlers alone.
 */
    .global arch_run_prepare
    .type arch_run_prepare, %function
    .thumb_func
arch_run_prepare:
    mrs     r0, control
    tst     r0, #2
    bne     1f                    /* already on PSP */
    mov     r1, sp
    msr     psp, r1
    orr     r0, r0, #2            /* SPSEL: thread mode uses PSP */
    msr     control, r0
    isb
    ldr     r1, =__isr_stack_top
    msr     msp, r1               /* handlers: their own stack from now on */
1:  bx      lr
    .size arch_run_prepare, .-arch_run_prepare
