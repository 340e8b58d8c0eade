/* SPDX-License-Identifier: MIT */
/**
 * @file arch/host/arch_cpu.h
 * @brief Inline hooks of the host port (Linux, x86-64 or AArch64). See kernel/port.h.
 *
 * "Interrupts" on the host are POSIX signals (SIGALRM for the alarm,
 * SIGUSR1 for the test interrupt source, SIGUSR2 for the CPU-hog tick,
 * SIGURG for vt_offload's completions). Masking interrupts blocks those
 * signals (and takes the lock against vt_offload's worker threads);
 * handlers run on an alternate signal stack, never on a vthread's stack.
 */
#ifndef VT_ARCH_HOST_CPU_H
#define VT_ARCH_HOST_CPU_H

#include <signal.h>

#include "arch_frame.h" /* VT_ARCH_STACK_ALIGN, VT_ARCH_CONTEXT_BYTES */

typedef sigset_t arch_irq_state_t;

/** Signals that act as interrupts (filled by the host board). */
extern sigset_t host_irq_signals;
/** Nesting depth of host "interrupt" handlers. */
extern volatile sig_atomic_t host_isr_depth;
/** The ucontext_t of the signal being handled (set by the board's
 *  dispatcher; arch_interrupted_pc() reads the interrupted PC from it). */
extern void *volatile host_irq_context;

/* vt_offload runs jobs on OS threads (arch/host/offload.c), which may
 * post `_isr` work: masking the signals of this thread does not stop them,
 * so arch_irq_save() also takes a lock, once per nesting (host_irq_nest),
 * held only while the signals are blocked. */
#define VT_ARCH_BG_THREADS 1
#define VT_ARCH_BG_LOCAL __thread
extern __thread unsigned host_irq_nest;
void host_irq_lock(void);
void host_irq_unlock(void);

static inline arch_irq_state_t arch_irq_save(void)
{
    sigset_t old;
    sigprocmask(SIG_BLOCK, &host_irq_signals, &old);
    if (host_irq_nest++ == 0)
        host_irq_lock();
    return old;
}

static inline void arch_irq_restore(arch_irq_state_t s)
{
    if (--host_irq_nest == 0)
        host_irq_unlock();
    sigprocmask(SIG_SETMASK, &s, NULL);
}

static inline int arch_in_isr(void) { return host_isr_depth != 0; }

/** Wait with the irq signals unblocked atomically (sigsuspend), like wfi. */
void arch_wait_irq(void);

#endif /* VT_ARCH_HOST_CPU_H */
