/**
 * @file kernel/diag.c
 * @brief Diagnostics: thread dump, panic, assertion and overflow reports,
 * error texts. Kept apart from the scheduler: none of it is on a hot path,
 * and an application that never calls vt_dump() does not link it.
 */
#include <stdio.h>

#include "kernel.h"

static const char *const state_names[] = {
    "free", "ready", "sleep", "join", "mutex", "sem", "event",
    "cond", "chan-recv", "chan-send", "pool", "group", "exited",
};

void vt_dump(void)
{
    /* Threads are kept only on the queues they sit on, so this lists the
     * ready ring; blocked threads are counted, not listed (a registry of all
     * threads for a full dump is planned with the debugging work). */
    vt_thread_t *c = k.current;
    unsigned ready = 0;
    printf("vthread dump: %u alive, %lu switches\n", (unsigned)k.alive,
           (unsigned long)k.switches);
    if (c != NULL) {
        vt_thread_t *t = c;
        do {
            ready++;
            printf("  %-16s %-9s stack %u/%u%s\n", vt_thread_name(t), state_names[t->state],
                   (unsigned)vt_thread_stack_used(t), (unsigned)vt_thread_stack_size(t),
                   t == c && k.in_thread ? " (running)" : "");
            t = t->next;
        } while (t != c);
    }
    printf("  %u blocked or sleeping (not listed)\n", (unsigned)(k.alive - ready));
}

void vt_panic(const char *msg)
{
    vt_thread_t *t = vt_current_unsafe();
    printf("vthread panic: %s (thread %s)\n", msg, t ? vt_thread_name(t) : "<none>");
    fflush(stdout);
    board_exit(1);
}

void vt_assert_fail(const char *file, int line, const char *expr)
{
    vt_thread_t *t = vt_current_unsafe();
    printf("assertion failed: %s at %s:%d (thread %s)\n", expr, file, line,
           t ? vt_thread_name(t) : "<none>");
    fflush(stdout);
    board_exit(1);
}

void vt_stack_overflow(vt_thread_t *t)
{
    printf("vthread: stack overflow in thread %s (stack %u bytes at %p)\n", vt_thread_name(t),
           (unsigned)vt_thread_stack_size(t), t->stack_lo);
    fflush(stdout);
    board_exit(1);
}

const char *vt_strerror(int err)
{
    static const char *const text[] = {
        "ok", "timed out", "canceled", "invalid argument", "out of memory",
        "not permitted", "closed", "would block", "would deadlock", "busy",
        "no such thread",
    };
    if (err <= 0 && err >= VT_ERR_KERNEL_LAST)
        return text[-err];
    return "unknown error";
}
