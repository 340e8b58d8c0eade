/* SPDX-License-Identifier: MIT */
/*
 * Host port context switch: x86-64 System V, and AArch64 (AAPCS64).
 *
 * x86-64 saved frame, at the thread's saved sp (lowest address first):
 *
 *   sp+0   r15
 *   sp+8   r14
 *   sp+16  r13      (new thread: arg)
 *   sp+24  r12      (new thread: entry)
 *   sp+32  rbx
 *   sp+40  rbp
 *   sp+48  return address (new thread: arch_thread_start)
 *
 * AArch64 saved frame (160 bytes, 16-aligned):
 *
 *   sp+0   x19 (new thread: entry)  x20 (arg)
 *   sp+16  x21 x22,  sp+32 x23 x24,  sp+48 x25 x26,  sp+64 x27 x28
 *   sp+80  x29 (frame pointer)      x30 (link; new thread: arch_thread_start)
 *   sp+96  d8 d9,  sp+112 d10 d11,  sp+128 d12 d13,  sp+144 d14 d15
 *
 * Only callee-saved registers are kept; arch_switch is an ordinary call.
 * The x87 control word, MXCSR and FPCR are left alone: every thread uses the
 * process defaults.
 */
    .text

#if defined(__x86_64__)

/* void arch_switch(void **from_sp, void *const *to_sp): the target's sp is
 * read after ours is stored, so a switch to oneself is harmless. */
    .globl arch_switch
    .type arch_switch, @function
arch_switch:
    /* save the caller's callee-saved registers on its own stack */
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    /* publish our sp, adopt the other context's */
    movq %rsp, (%rdi)
    movq (%rsi), %rsp
    /* restore its registers and return into it */
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size arch_switch, .-arch_switch

/* First code of every thread: vt_exit(entry(arg)). rsp is 16-aligned here. */
    .globl arch_thread_start
    .type arch_thread_start, @function
arch_thread_start:
    .cfi_startproc
    .cfi_undefined rip            /* outermost frame: debuggers stop here */
    movq %r13, %rdi
    callq *%r12
    movl %eax, %edi
    callq vt_exit
    ud2
    .cfi_endproc
    .size arch_thread_start, .-arch_thread_start

#elif defined(__aarch64__)

/* void arch_switch(void **from_sp, void *const *to_sp) */
    .globl arch_switch
    .type arch_switch, %function
arch_switch:
    sub     sp, sp, #160
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mov     x2, sp
    str     x2, [x0]              /* *from_sp = sp */
    ldr     x2, [x1]
    mov     sp, x2                /* adopt the other context */
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    add     sp, sp, #160
    ret                           /* into it, where it called arch_switch */
    .size arch_switch, .-arch_switch

/* First code of every thread: vt_exit(entry(arg)). sp is 16-aligned here. */
    .globl arch_thread_start
    .type arch_thread_start, %function
arch_thread_start:
    .cfi_startproc
    .cfi_undefined x30            /* outermost frame: debuggers stop here */
    mov     x0, x20
    blr     x19
    bl      vt_exit
    brk     #0
    .cfi_endproc
    .size arch_thread_start, .-arch_thread_start

#else
#error "host port: x86-64 or AArch64 only"
#endif

    .section .note.GNU-stack,"",@progbits
