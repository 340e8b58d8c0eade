/* SPDX-License-Identifier: MIT */
/**
 * @file arch/host/offload.c
 * @brief vt_offload()'s executor on the host: VT_CONFIG_OFFLOAD_THREADS OS
 * threads (pthreads) run jobs in parallel with the vthreads, the scheme of
 * Python's asyncio.to_thread. docs/offload.md.
 *
 * The vthreads all run on one OS thread, the kernel's (the one that called
 * vt_run()). A worker takes jobs from kernel/offload.c's queue under
 * arch_irq_save()'s lock, runs them, and reports the end with
 * vt_sem_post_isr() like an interrupt handler would: that sets the
 * kernel's pending flag, and offload_kick_isr() then signals the kernel's
 * thread (SIGURG, one of the port's interrupt signals) so that an idle
 * kernel waiting in sigsuspend() wakes. Workers block every asynchronous
 * signal: the kernel's interrupts are taken on its own thread only.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>

#include "board.h"
#include "kernel.h"

#define SIG_KICK SIGURG /* ignored by default: harmless wherever it lands */

static pthread_t kernel_thread;
static sem_t jobs; /* one post per queued job */
static unsigned workers;

static void *worker(void *unused)
{
    (void)unused;
    bg_main();
}

/* Nothing to do in the handler: the kernel looks at its pending flag after
 * any interrupt, and this one's job was to end its wait. */
static void kick_handler(void) {}

int bg_start(void)
{
    sigset_t all, old;
    pthread_attr_t attr;
    kernel_thread = pthread_self();
    if (sem_init(&jobs, 0, 0) != 0)
        return VT_ENOMEM;
    host_irq_attach(SIG_KICK, kick_handler);
    /* the workers inherit this mask: every signal blocked but the faults */
    sigfillset(&all);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGILL);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGTRAP);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (unsigned i = 0; i < VT_CONFIG_OFFLOAD_THREADS; i++) {
        pthread_t t;
        if (pthread_create(&t, &attr, worker, NULL) == 0)
            workers++;
    }
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return workers > 0 ? 0 : VT_ENOMEM; /* no worker thread could be started */
}

void bg_notify(void) { sem_post(&jobs); }

void bg_wait(void)
{
    while (sem_wait(&jobs) != 0 && errno == EINTR) {
    }
}

void offload_kick_isr(void)
{
    if (vt_bg_active) /* a worker: wake the kernel's thread */
        pthread_kill(kernel_thread, SIG_KICK);
}

void bg_stats(vt_offload_stats_t *s) { (void)s; /* no preemption on the host */ }
