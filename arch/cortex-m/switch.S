/* SPDX-License-Identifier: MIT */
/*
 * Cortex-M context switch: ARMv7-M / ARMv7E-M (Thumb-2), ARMv8-M Mainline
 * (Thumb-2 plus the PSPLIM stack limit), ARMv6-M (Thumb-1).
 *
 * The cooperative switch is a plain function call: the caller has already
 * saved r0-r3, r12 as the AAPCS requires, so only callee-saved registers go
 * on the stack. No PendSV, no exception entry on the yield path.
 *
 * Saved frame, at the thread's saved sp (lowest address first):
 *
 *   ARMv7-M, ARMv7E-M             ARMv8-M Mainline        ARMv6-M
 *   [s16 ... s31] (hard-float)    [s16 ... s31] (hard-float)
 *                                 psplim (new thread: 0)  r8 r9 r10 r11
 *   r4       (new thread: entry)  r4  (entry)             r4  (entry)
 *   r5       (new thread: arg)    r5  (arg)               r5  (arg)
 *   r6 r7 r8 r9 r10 r11           r6 ... r11              r6 r7
 *   lr  (new: arch_thread_start)  lr                      lr
 *
 * 36 bytes (100 with the FPU); ARMv8-M 40 (104); ARMv6-M 36. The sizes are
 * VT_ARCH_CONTEXT_BYTES (arch_frame.h); port.c checks them at compile time.
 */
    .syntax unified
    .thumb
    .text

#if defined(__ARM_FP) && !defined(__SOFTFP__)
#define VT_HARD_FP 1
#endif

/* void arch_switch(void **from_sp, void *const *to_sp): the target's sp is
 * read after ours is stored, so a switch to oneself is harmless. */
    .global arch_switch
    .type arch_switch, %function
    .thumb_func
arch_switch:
#if defined(__ARM_ARCH_6M__)
    /* Thumb-1: push/pop reach r0-r7 and lr/pc only; r8-r11 go through r4-r7 */
    push    {r4-r7, lr}           /* low callee-saved registers */
    mov     r4, r8
    mov     r5, r9
    mov     r6, r10
    mov     r7, r11
    push    {r4-r7}               /* high callee-saved registers */
    mov     r2, sp
    str     r2, [r0]              /* *from_sp = sp */
    ldr     r2, [r1]
    mov     sp, r2                /* adopt the other context */
    pop     {r4-r7}
    mov     r8, r4
    mov     r9, r5
    mov     r10, r6
    mov     r11, r7
    pop     {r4-r7, pc}           /* resume it where it called arch_switch */
#elif defined(__ARM_ARCH_8M_MAIN__)
    /* The stack limit of the running thread travels in its frame: the
     * kernel's thread struct is never read here. */
    mrs     r2, psplim
    push    {r2, r4-r11, lr}      /* limit + callee-saved integer registers */
#ifdef VT_HARD_FP
    vpush   {s16-s31}             /* callee-saved FP registers (hard-float) */
#endif
    str     sp, [r0]              /* *from_sp = sp */
    movs    r2, #0
    msr     psplim, r2            /* no limit while sp moves between stacks */
    ldr     sp, [r1]              /* adopt the other context */
#ifdef VT_HARD_FP
    vpop    {s16-s31}
#endif
    pop     {r2, r4-r11, lr}
    msr     psplim, r2            /* its limit, now that sp is above it */
    bx      lr                    /* resume it where it called arch_switch */
#else
    push    {r4-r11, lr}          /* callee-saved integer registers */
#ifdef VT_HARD_FP
    vpush   {s16-s31}             /* callee-saved FP registers (hard-float) */
#endif
    str     sp, [r0]              /* *from_sp = sp */
    ldr     sp, [r1]              /* adopt the other context */
#ifdef VT_HARD_FP
    vpop    {s16-s31}
#endif
    pop     {r4-r11, pc}          /* resume it where it called arch_switch */
#endif
    .size arch_switch, .-arch_switch

/* First code of every thread: vt_exit(entry(arg)). */
    .global arch_thread_start
    .type arch_thread_start, %function
    .thumb_func
arch_thread_start:
    .cfi_sections .debug_frame
    .cfi_startproc
    .cfi_undefined lr             /* outermost frame: debuggers stop here */
#if defined(__ARM_ARCH_8M_MAIN__)
    bl      arch_thread_limit     /* PSPLIM = this thread's stack bottom */
#endif
    mov     r0, r5
    blx     r4
    bl      vt_exit               /* never returns */
    .cfi_endproc
    .size arch_thread_start, .-arch_thread_start

/*
 * void arch_run_prepare(void): the first time, move thread mode onto PSP
 * (same address: main keeps its frames) and give MSP to handlers alone.
 */
    .global arch_run_prepare
    .type arch_run_prepare, %function
    .thumb_func
arch_run_prepare:
#if defined(__ARM_ARCH_6M__)
    mrs     r0, control
    movs    r1, #2
    tst     r0, r1                /* Thumb-1: tst takes registers only */
    bne     1f                    /* already on PSP */
    mov     r2, sp
    msr     psp, r2
    orrs    r0, r1                /* SPSEL: thread mode uses PSP */
    msr     control, r0
    isb
    ldr     r1, =__isr_stack_top
    msr     msp, r1               /* handlers: their own stack from now on */
1:  bx      lr
#else
    mrs     r0, control
    tst     r0, #2
    bne     1f                    /* already on PSP */
    mov     r1, sp
#if defined(__ARM_ARCH_8M_MAIN__)
    ldr     r2, =__main_stack_bottom
    msr     psplim, r2            /* main and the idle loop: the main stack */
#endif
    msr     psp, r1
    orr     r0, r0, #2            /* SPSEL: thread mode uses PSP */
    msr     control, r0
    isb
    ldr     r1, =__isr_stack_top
    msr     msp, r1               /* handlers: their own stack from now on */
#if defined(__ARM_ARCH_8M_MAIN__)
    ldr     r1, =__isr_stack_bottom
    msr     msplim, r1            /* and a hardware limit on it */
#endif
1:  bx      lr
#endif
    .size arch_run_prepare, .-arch_run_prepare
