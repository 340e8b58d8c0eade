/**
 * @file arch/host/port.c
 * @brief Host port glue: initial frame, idle wait, signal stack.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#include "port.h"

void arch_thread_start(void);

sigset_t host_irq_signals;
volatile sig_atomic_t host_isr_depth;

void *arch_context_init(void *stack_top, vt_entry_t entry, void *arg)
{
    uintptr_t *sp = (uintptr_t *)stack_top - 7;
    sp[0] = 0;                             /* r15 */
    sp[1] = 0;                             /* r14 */
    sp[2] = (uintptr_t)arg;                /* r13 */
    sp[3] = (uintptr_t)entry;              /* r12 */
    sp[4] = 0;                             /* rbx */
    sp[5] = 0;                             /* rbp */
    sp[6] = (uintptr_t)arch_thread_start;  /* return address */
    return sp;
}

void arch_wait_irq(void)
{
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    for (int s = 1; s < NSIG; s++)
        if (sigismember(&host_irq_signals, s))
            sigdelset(&cur, s);
    sigsuspend(&cur);  /* returns after a handler ran; mask restored */
}

void arch_run_prepare(void)
{
    static int done;
    if (!done) {
        /* signal handlers ("interrupts") get their own stack */
        static char altstack[64 * 1024] __attribute__((aligned(16)));
        stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
        sigaltstack(&ss, NULL);
        done = 1;
    }
}
