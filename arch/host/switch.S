/*
 * Host port context switch, x86-64 System V.
 *
 * Saved frame, at the thread's saved sp (lowest address first):
 *
 *   sp+0   r15
 *   sp+8   r14
 *   sp+16  r13      (new thread: arg)
 *   sp+24  r12      (new thread: entry)
 *   sp+32  rbx
 *   sp+40  rbp
 *   sp+48  return address (new thread: arch_thread_start)
 *
 * Only callee-saved registers are kept; arch_switch is an ordinary call.
 * The x87 control word and MXCSR are left alone: every thread uses the
 * process defaults.
 */
    .text

/* void arch_switch(void **from_sp, void *to_sp) */
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
    movq %rsi, %rsp
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

    .section .note.GNU-stack,"",@progbits
