/* SPDX-License-Identifier: MIT */
/**
 * @file arch/host/port.c
 * @brief Host port glue: initial frame, idle wait, signal stack.
 */
#define _GNU_SOURCE /* REG_RIP */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <ucontext.h>

#include "port.h"

void arch_thread_start(void);

/* The interrupted PC in a signal's saved context. */
static uintptr_t ucontext_pc(const ucontext_t *uc)
{
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
    return (uintptr_t)uc->uc_mcontext.pc;
#endif
}

sigset_t host_irq_signals;
volatile sig_atomic_t host_isr_depth;
void *volatile host_irq_context;

/* The signal's saved user context holds the interrupted instruction. */
uintptr_t arch_interrupted_pc(void)
{
    const ucontext_t *uc = host_irq_context;
    return uc != NULL ? ucontext_pc(uc) : 0;
}

#if !defined(__SANITIZE_ADDRESS__) /* ASan reports faults itself */
/* A fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) in a thread or main: report it
 * with the thread's name and a dump, on the signal stack, then stop. A fault
 * just below a thread's stack is reported as that thread's overflow. */
static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
    const ucontext_t *uc = ucv;
    vt_thread_t *t = vt_stack_owner_unsafe();
    uintptr_t addr = (uintptr_t)si->si_addr;
    printf("\nFAULT: signal %d (%s) in %s %s at pc %p, address %p\n", sig, strsignal(sig),
           t ? "thread" : "context", t ? vt_thread_name(t) : "main/idle",
           (void *)ucontext_pc(uc), si->si_addr);
    if (t != NULL && sig == SIGSEGV && addr < (uintptr_t)vt_stack_lo_unsafe(t) + 64u &&
        addr + 65536u >= (uintptr_t)vt_stack_lo_unsafe(t))
        vt_stack_overflow(t);
    vt_dump();
    board_exit(2);
}
#endif

#if defined(__x86_64__)
_Static_assert(VT_ARCH_CONTEXT_BYTES == 7 * 8, "arch_frame.h disagrees with the frame below");
#else
_Static_assert(VT_ARCH_CONTEXT_BYTES == 20 * 8, "arch_frame.h disagrees with the frame below");
#endif

#if defined(__SANITIZE_ADDRESS__)
/* other threads' frames carry ASan redzones: copy them as raw memory */
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define NO_ASAN
#endif

/* Stack images (kernel/shared.c): word-aligned, whole words; glibc's
 * memcpy would be fast, but ASan checks it, and the images hold redzones. */
NO_ASAN void arch_stack_copy(void *dst, const void *src, size_t len)
{
    uint32_t *d = dst;
    const uint32_t *s = src;
    for (size_t n = len / 4u; n > 0; n--)
        *d++ = *s++;
}

NO_ASAN void arch_stack_swap(void *a, void *b, size_t len)
{
    uint32_t *x = a, *y = b;
    for (size_t n = len / 4u; n > 0; n--) {
        uint32_t w = *x;
        *x++ = *y;
        *y++ = w;
    }
}

void *arch_context_init(void *stack_top, vt_entry_t entry, void *arg)
{
#if defined(__x86_64__)
    uintptr_t *sp = (uintptr_t *)stack_top - 7;
    sp[0] = 0;                             /* r15 */
    sp[1] = 0;                             /* r14 */
    sp[2] = (uintptr_t)arg;                /* r13 */
    sp[3] = (uintptr_t)entry;              /* r12 */
    sp[4] = 0;                             /* rbx */
    sp[5] = 0;                             /* rbp */
    sp[6] = (uintptr_t)arch_thread_start;  /* return address */
#else
    uintptr_t *sp = (uintptr_t *)stack_top - 20;
    for (int i = 0; i < 20; i++)
        sp[i] = 0;                         /* x21-x29, d8-d15 */
    sp[0] = (uintptr_t)entry;              /* x19 */
    sp[1] = (uintptr_t)arg;                /* x20 */
    sp[11] = (uintptr_t)arch_thread_start; /* x30 */
#endif
    return sp;
}

/* The lock of arch_irq_save() against vt_offload's worker threads: a spin
 * lock (a handler may take it: it must be async-signal-safe), held for a
 * few instructions at a time; a waiter yields the CPU to the holder. */
static volatile char irq_lock;
__thread unsigned host_irq_nest;

void host_irq_lock(void)
{
    while (__atomic_test_and_set(&irq_lock, __ATOMIC_ACQUIRE))
        sched_yield();
}

void host_irq_unlock(void) { __atomic_clear(&irq_lock, __ATOMIC_RELEASE); }

void arch_wait_irq(void)
{
    sigset_t cur;
    unsigned nest = host_irq_nest;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    for (int s = 1; s < NSIG; s++)
        if (sigismember(&host_irq_signals, s))
            sigdelset(&cur, s);
    /* handlers take the lock themselves, and a worker may need it to post
     * the completion this wait is for */
    host_irq_nest = 0;
    host_irq_unlock();
    sigsuspend(&cur);  /* returns after a handler ran; mask restored */
    host_irq_lock();
    host_irq_nest = nest;
}

void arch_run_prepare(void)
{
    static int done;
    if (!done) {
        /* signal handlers ("interrupts") get their own stack */
        static char altstack[64 * 1024] __attribute__((aligned(16)));
        stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
        sigaltstack(&ss, NULL);
#if !defined(__SANITIZE_ADDRESS__) /* ASan reports faults itself */
        {
            static const int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP}; /* trap: AArch64 brk */
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_sigaction = fault_handler;
            sa.sa_flags = SA_ONSTACK | SA_SIGINFO | SA_RESETHAND;
            sigfillset(&sa.sa_mask);
            for (unsigned i = 0; i < sizeof faults / sizeof faults[0]; i++)
                sigaction(faults[i], &sa, NULL);
        }
#endif
        done = 1;
    }
}
