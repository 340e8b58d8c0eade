/* SPDX-License-Identifier: MIT */
/**
 * @file boards/host/board.c
 * @brief Host board: clock from CLOCK_MONOTONIC, alarm from setitimer
 * (SIGALRM), exit through exit().
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "port.h"

static struct timespec boot;
static clockid_t firmware_cpu_clock; /* CPU time of the thread running vthreads */
static void (*handlers[NSIG])(void);
static int cmd_argc;
static char **cmd_argv;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    void *outer = host_irq_context;
    (void)si;
    host_irq_context = uc;
    host_isr_depth++;
    if (handlers[sig] != NULL)
        handlers[sig]();
    host_isr_depth--;
    host_irq_context = outer;
}

void host_irq_attach(int sig, void (*handler)(void))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_ONSTACK | SA_RESTART | SA_SIGINFO;
    sigfillset(&sa.sa_mask);  /* handlers do not nest */
    handlers[sig] = handler;
    sigaddset(&host_irq_signals, sig);
    sigaction(sig, &sa, NULL);
}

int host_irq_periodic(int sig, unsigned period_us)
{
    static timer_t timers[NSIG];
    static int made[NSIG];
    struct itimerspec its;
    if (!made[sig]) {
        struct sigevent ev;
        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_SIGNAL;
        ev.sigev_signo = sig;
        if (timer_create(CLOCK_MONOTONIC, &ev, &timers[sig]) != 0)
            return -1;
        made[sig] = 1;
    }
    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = (time_t)(period_us / 1000000u);
    its.it_value.tv_nsec = (long)(period_us % 1000000u) * 1000;
    its.it_interval = its.it_value;
    return timer_settime(timers[sig], 0, &its, NULL);
}

static void alarm_handler(void) { vt_alarm_isr(); }

/* glibc passes the process's arguments to constructors too: the board keeps
 * them for its NIC's options (board_cmdline) */
__attribute__((constructor)) static void board_init(int argc, char **argv, char **envp)
{
    (void)envp;
    cmd_argc = argc;
    cmd_argv = argv;
    clock_gettime(CLOCK_MONOTONIC, &boot);
    if (pthread_getcpuclockid(pthread_self(), &firmware_cpu_clock) != 0)
        firmware_cpu_clock = CLOCK_MONOTONIC;
    sigemptyset(&host_irq_signals);
    host_irq_attach(SIGALRM, alarm_handler);
    setvbuf(stdout, NULL, _IOLBF, 0);
}

int board_cmdline(char ***argv)
{
    static char *none[] = {"firmware", NULL};
    if (cmd_argv == NULL) { /* not started by glibc's loader */
        *argv = none;
        return 1;
    }
    *argv = cmd_argv;
    return cmd_argc;
}

int board_getc(void)
{
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    unsigned char c;
    if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN) || read(STDIN_FILENO, &c, 1) != 1)
        return -1;
    return c;
}

uint64_t board_clock_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)(now.tv_sec - boot.tv_sec) * 1000000u +
           (uint64_t)((now.tv_nsec - boot.tv_nsec) / 1000);
}

uint32_t board_clock_ms(void) { return (uint32_t)(board_clock_us() / 1000u); }

unsigned long long board_cycles(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec;
}

void board_alarm_set(uint32_t deadline)
{
    uint64_t now = board_clock_us();
    uint64_t at = (uint64_t)deadline * 1000u;
    int32_t diff = (int32_t)(deadline - (uint32_t)(now / 1000u));
    struct itimerval it;
    long us;

    (void)at;
    /* deadline is at the start of millisecond `deadline` */
    us = (long)diff * 1000 - (long)(now % 1000u);
    if (us < 1)
        us = 1;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = us / 1000000;
    it.it_value.tv_usec = us % 1000000;
    setitimer(ITIMER_REAL, &it, NULL);
}

void board_exit(int code)
{
    fflush(stdout);
    exit(code);
}

/* CPU-hog detector (VT_CONFIG_HOG_MS): a run is measured in the CPU time
 * the firmware's thread had, not in wall-clock time, which also counts the
 * time the host gave to other processes; its tick is SIGUSR2 from a POSIX
 * timer. */
uint32_t board_hog_clock_ms(void)
{
    struct timespec now;
    clock_gettime(firmware_cpu_clock, &now);
    return (uint32_t)((uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u);
}

static void hog_tick(void)
{
    if (VT_CONFIG_HOG_MS) /* otherwise never started: the detector stays unlinked */
        vt_hog_isr();
}

void board_hog_timer(unsigned period_ms)
{
    static int attached;
    if (!attached && period_ms > 0) {
        host_irq_attach(SIGUSR2, hog_tick);
        attached = 1;
    }
    if (attached)
        host_irq_periodic(SIGUSR2, period_ms * 1000u);
}

static void (*test_irq_fn)(void);
static void test_irq_trampoline(void) { test_irq_fn(); }

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    if (handler != NULL) {
        test_irq_fn = handler;
        host_irq_attach(SIGUSR1, test_irq_trampoline);
    }
    return host_irq_periodic(SIGUSR1, handler != NULL ? period_us : 0);
}
