/* SPDX-License-Identifier: MIT */
/*
 * Cortex-M switch exception of vt_offload's background context
 * (kernel/offload_cpu.c, docs/offload.md): PendSV, at the lowest priority.
 *
 * PendSV is the only way into and out of the background context; the
 * cooperative switch between threads (switch.S) never takes it. Both
 * contexts run in thread mode on PSP (the idle loop on the main stack, the
 * background on its own); PendSV runs on MSP like every handler. When it
 * is taken, the hardware has stacked r0-r3, r12, lr, pc and xPSR on the
 * interrupted context's stack (and, with the FPU, reserved room for s0-s15
 * and FPSCR, lazily: LSPACT). The handler adds the rest there and hands the
 * frame to offload_switch(), which returns the frame to resume.
 *
 * Full frame, on the interrupted context's own stack (lowest address first):
 *
 *   ARMv7-M, ARMv7E-M            ARMv8-M Mainline           ARMv6-M
 *                                psplim
 *   r4 ... r11                   r4 ... r11                 r4 r5 r6 r7
 *   EXC_RETURN                   EXC_RETURN                 r8 r9 r10 r11
 *                                                           EXC_RETURN
 *   [s16 ... s31]   only when EXC_RETURN bit 4 is clear (hard-float: the
 *                   context had FP state; the vstmdb also makes the core
 *                   write the lazily reserved s0-s15, FPSCR)
 *   hardware frame: r0 r1 r2 r3 r12 lr pc xPSR [s0 ... s15 FPSCR pad]
 *
 * 36 bytes + 32 of hardware frame (ARMv8-M 40 + 32); with FP state 36 + 64
 * + 104. port.h describes the contract; offload.c builds the first frame.
 */
    .syntax unified
    .thumb
    .text

#if defined(__ARM_FP) && !defined(__SOFTFP__)
#define VT_HARD_FP 1
#endif

    .global PendSV_Handler
    .type PendSV_Handler, %function
    .thumb_func
PendSV_Handler:
#if defined(__ARM_ARCH_6M__)
    /* Thumb-1: stmia only, low registers only; build the frame upwards */
    mrs     r0, psp
    subs    r0, #36               /* r4-r11 + EXC_RETURN below the hardware frame */
    mov     r1, r0
    stmia   r1!, {r4-r7}
    mov     r4, r8
    mov     r5, r9
    mov     r6, r10
    mov     r7, r11
    stmia   r1!, {r4-r7}
    mov     r2, lr
    str     r2, [r1]              /* EXC_RETURN */
    cpsid   i                     /* decide and swap without interruption */
    bl      offload_switch        /* r0: this frame -> r0: the frame to resume */
    mov     r1, r0
    adds    r1, #16
    ldmia   r1!, {r4-r7}          /* its r8-r11 */
    mov     r8, r4
    mov     r9, r5
    mov     r10, r6
    mov     r11, r7
    ldr     r2, [r1]              /* its EXC_RETURN */
    adds    r1, #4
    msr     psp, r1               /* its hardware frame */
    ldmia   r0!, {r4-r7}          /* its r4-r7 */
    cpsie   i
    bx      r2                    /* exception return into it */
#else
    mrs     r0, psp
    isb
#ifdef VT_HARD_FP
    tst     lr, #0x10             /* bit 4 clear: the context has FP state */
    it      eq
    vstmdbeq r0!, {s16-s31}
#endif
#if defined(__ARM_ARCH_8M_MAIN__)
    mrs     r2, psplim
    stmdb   r0!, {r2, r4-r11, lr} /* stack limit, callee-saved, EXC_RETURN */
#else
    stmdb   r0!, {r4-r11, lr}     /* callee-saved, EXC_RETURN */
#endif
    cpsid   i                     /* decide and swap without interruption */
    bl      offload_switch        /* r0: this frame -> r0: the frame to resume */
#if defined(__ARM_ARCH_8M_MAIN__)
    ldmia   r0!, {r2, r4-r11, lr}
#else
    ldmia   r0!, {r4-r11, lr}
#endif
#ifdef VT_HARD_FP
    tst     lr, #0x10
    it      eq
    vldmiaeq r0!, {s16-s31}
#endif
#if defined(__ARM_ARCH_8M_MAIN__)
    movs    r1, #0
    msr     psplim, r1            /* no limit while PSP moves between stacks */
    msr     psp, r0
    msr     psplim, r2            /* the resumed context's own limit */
#else
    msr     psp, r0               /* its hardware frame */
#endif
    isb
    cpsie   i
    bx      lr                    /* exception return into it */
#endif
    .size PendSV_Handler, .-PendSV_Handler

/*
 * void arch_bg_kick(void): pend PendSV. Here, beside the handler, so that
 * a program calling it links the handler too (the boards' vector tables
 * name PendSV_Handler weakly).
 */
    .global arch_bg_kick
    .type arch_bg_kick, %function
    .thumb_func
arch_bg_kick:
    ldr     r0, =0xE000ED04       /* SCB ICSR */
    ldr     r1, =0x10000000       /* PENDSVSET */
    str     r1, [r0]
    dsb                           /* from thread mode: taken before the next */
    isb                           /* instruction */
    bx      lr
    .size arch_bg_kick, .-arch_bg_kick
    .ltorg
