/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/diag.c
 * @brief Diagnostics: thread dump, panic, assertion and overflow reports,
 * error texts. Kept apart from the scheduler: none of it is on a hot path,
 * and an application that never calls vt_dump() does not link it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "kernel.h"

_Static_assert(offsetof(vt_mutex_t, q) == 0, "a mutex waiter's wait object is the mutex");

/* Where the dump goes: stdout, or vt_dump_to()'s sink (one line at a time,
 * from a static buffer: the dump must not grow the caller's stack). */
static void (*dump_put)(void *ctx, const char *s);
static void *dump_ctx;

static void dump_printf(const char *fmt, ...)
{
    static char line[160];
    va_list ap;
    va_start(ap, fmt);
    if (dump_put == NULL) {
        vprintf(fmt, ap);
    } else {
        vsnprintf(line, sizeof line, fmt, ap);
        dump_put(dump_ctx, line);
    }
    va_end(ap);
}

/* net/ (or any extension blocking threads in vt_waitq_wait) may name its queues */
int vt_waitq_describe(const vt_waitq_t *q, char *buf, size_t len) __attribute__((weak));

/* indexed by state (kernel.h); scripts/gdb/vthread.py reads this table */
static const char *const state_names[] = {
    "free", "ready", "sleep", "join", "mutex", "sem", "event", "cond", "chan-recv",
    "chan-send", "pool", "group", "wait", "mempool", "exited", "suspended",
};
_Static_assert(sizeof state_names / sizeof state_names[0] == S_SUSPENDED + 1,
               "a name for every thread state");

/* One thread's line: name, state, what it waits on, deadline, stack, switches. */
static void dump_thread(const vt_thread_t *t, vt_tick_t now)
{
    char what[64] = "-", when[32] = "-", sw[12] = "-";
    uint8_t st = t->state;

    if (st == S_SLEEP && !(t->flags & F_TIMER))
        snprintf(what, sizeof what, "sleep forever");
    else if (st == S_SLEEP)
        snprintf(what, sizeof what, "sleep until %lu", (unsigned long)t->u.deadline);
    else if (st == S_JOIN)
        snprintf(what, sizeof what, "join %.24s",
                 vt_thread_name((const vt_thread_t *)t->w.wait_obj));
    else if (st == S_WAITQ && vt_waitq_describe &&
             vt_waitq_describe(t->w.wait_obj, what, sizeof what) > 0)
        ; /* named by its owner */
    else if (st == S_MUTEX) {
        /* a mutex's waiters wait on its queue, its first member: the owner
         * is what a deadlock report needs */
        const vt_mutex_t *m = (const vt_mutex_t *)t->w.wait_obj;
        snprintf(what, sizeof what, "mutex %p held by %.16s", t->w.wait_obj,
                 m->owner != NULL ? vt_thread_name(m->owner) : "nobody");
    } else if (st >= S_MUTEX && st <= S_BLOCKED_LAST)
        snprintf(what, sizeof what, "%s %p", state_names[st], t->w.wait_obj);
    else if (st == S_EXITED)
        snprintf(what, sizeof what, "exit code %d", t->w.exit_code);
    if ((t->flags & F_TIMER) && st >= S_BLOCKED_FIRST && st <= S_BLOCKED_LAST)
        snprintf(when, sizeof when, "%lu (in %ld)", (unsigned long)t->u.deadline,
                 (long)(int32_t)(t->u.deadline - now));
#if VT_CONFIG_THREAD_STATS
    snprintf(sw, sizeof sw, "%lu", (unsigned long)t->switches);
#endif
    dump_printf("  %-12.12s %p %-9s %-26s %-16s %5u/%-5u %8s%s%s%s\n", vt_thread_name(t),
           (void *)t, st < sizeof state_names / sizeof state_names[0] ? state_names[st] : "?",
           what, when, (unsigned)vt_thread_stack_used(t), (unsigned)vt_thread_stack_size(t), sw,
           (t->flags & F_DETACHED) ? " detached" : "",
           (t->flags & F_SUSPEND) ? " (suspended when woken)" : "",
           t == vt_kernel.current && vt_kernel.in_thread ? " (running)" : "");
    if ((t->flags & F_SHARED) && vt_kernel.shared != NULL) {
        size_t size, used, saved = 0;
        vt_kernel.shared->stack_info(t, &size, &used, &saved);
        if (saved)
            dump_printf("    (shared stack: %u bytes saved)\n", (unsigned)saved);
    }
}

void vt_dump_to(void (*put)(void *ctx, const char *s), void *ctx)
{
    dump_put = put;
    dump_ctx = ctx;
    vt_dump();
    dump_put = NULL;
}

/* vt_dump()'s line on vt_offload's background, in a frame of its own: the
 * dump runs on threads' stacks (a console's command), which need not make
 * room for a buffer of a feature their program does not link */
static __attribute__((noinline)) void dump_offload(void)
{
    char line[120];
    if (offload_describe(line, sizeof line) > 0)
        dump_printf("  %s\n", line);
}

void vt_dump(void)
{
    vt_thread_t *c = vt_kernel.current;
    vt_tick_t now = board_clock_ms();
    unsigned listed = 0;

    dump_printf("vthread dump at %lu ms: %u alive, %lu switches\n", (unsigned long)now,
           (unsigned)vt_kernel.alive, (unsigned long)vt_switch_count());
    if (stack_struct_hit(vt_kernel.shadow.thread)) { /* the thread last switched in */
        const vt_thread_t *hit = vt_kernel.shadow.thread;
        dump_printf("  (no thread list: thread %s's control block at %p was overwritten, "
                    "by a stack overflow)\n", vt_thread_name(hit), (const void *)hit);
        if (dump_put == NULL)
            fflush(stdout);
        return;
    }
    dump_printf("  %-12s %-10s %-9s %-26s %-16s %11s %8s\n", "thread", "at", "state", "waits on",
           "deadline (ms)", "stack/size", "switches");
#if VT_CONFIG_REGISTRY
    /* every thread, newest first */
    for (const vt_thread_t *t = vt_kernel.registry; t != NULL; t = t->reg_next)
        dump_thread(t, now);
    (void)c, (void)listed;
#else
    /* no registry: the ready ring only (VT_CONFIG_REGISTRY lists them all) */
    if (c != NULL) {
        const vt_thread_t *t = c;
        do {
            listed++;
            dump_thread(t, now);
            t = t->next;
        } while (t != c);
    }
    dump_printf("  %u blocked or sleeping (not listed: VT_CONFIG_REGISTRY is off)\n",
           (unsigned)(vt_kernel.alive - listed));
#endif
    if (vt_kernel.shared != NULL) {
        vt_shared_stats_t ss;
        vt_kernel.shared->stats(&ss);
        dump_printf("  shared stacks: %u threads saved in %lu bytes (%lu live), arena %lu/%lu, "
                    "%lu saves, %lu restores\n", ss.saved_threads, (unsigned long)ss.saved_bytes,
                    (unsigned long)ss.live_bytes, (unsigned long)ss.arena_used,
                    (unsigned long)ss.arena_size, (unsigned long)ss.saves,
                    (unsigned long)ss.restores);
    }
    if (offload_describe != NULL)
        dump_offload();
    if (dump_put == NULL)
        fflush(stdout);
}

void vt_panic(const char *msg)
{
    vt_thread_t *t = vt_current_unsafe();
    printf("vthread panic: %s (thread %s)\n", msg, t ? vt_thread_name(t) : "<none>");
    vt_dump();
    board_exit(1);
}

#if VT_CONFIG_DEBUG /* only ASSERT_THREAD_CONTEXT() calls it */
void context_panic(const char *call)
{
    static char msg[160];
    const char *job = offload_job_name != NULL ? offload_job_name() : NULL;
    if (arch_in_isr())
        snprintf(msg, sizeof msg,
                 "thread-only kernel call made from an interrupt handler: %s()", call);
    else /* vt_bg_active: a background context of vt_offload() */
        snprintf(msg, sizeof msg,
                 "%s() called from offloaded job %s: an offloaded function may call "
                 "only the _isr functions (docs/offload.md)", call, job ? job : "?");
    vt_panic(msg);
}
#endif

void vt_assert_fail(const char *file, int line, const char *expr)
{
    vt_thread_t *t = vt_current_unsafe();
    printf("assertion failed: %s at %s:%d (thread %s)\n", expr, file, line,
           t ? vt_thread_name(t) : "<none>");
    vt_dump();
    board_exit(1);
}

/* The report reads the running thread's name and stack from the copy the
 * switch made (debug builds, kernel.h): the overflow may have overwritten
 * the struct itself. A struct that no longer matches its copy was hit; its
 * links are gone too, so the dump leaves the thread list out. */
void vt_stack_overflow(vt_thread_t *t)
{
    const struct stack_shadow *sh = &vt_kernel.shadow;
    size_t size = VT_CONFIG_DEBUG && sh->thread == t && !(sh->flags & F_SHARED)
                      ? (size_t)sh->units * 8u : vt_thread_stack_size(t);
    printf("vthread: stack overflow in thread %s (stack %u bytes at %p)\n", vt_thread_name(t),
           (unsigned)size, vt_stack_lo_unsafe(t));
    vt_dump();
    board_exit(1);
}

/* One table for every module's codes (vt/error.h), indexed by -code: a
 * module that adds codes in its range adds their texts here. */
const char *vt_strerror(int err)
{
    static const char *const text[] = {
        [0] = "ok",
        [-VT_ETIMEDOUT] = "timed out",
        [-VT_ECANCELED] = "canceled",
        [-VT_EINVAL] = "invalid argument",
        [-VT_ENOMEM] = "out of memory",
        [-VT_EPERM] = "not permitted",
        [-VT_ECLOSED] = "closed",
        [-VT_EAGAIN] = "would block",
        [-VT_EDEADLK] = "would deadlock",
        [-VT_EBUSY] = "busy",
        [-VT_ESRCH] = "no such thread",
        [-VT_EOVERLAP] = "stack overlaps a live thread's stack or the thread's own struct",
        [-VT_ECONNRESET] = "connection reset by peer",
        [-VT_ECONNREFUSED] = "connection refused",
        [-VT_ECONNABORTED] = "connection aborted",
        [-VT_ENOTCONN] = "not connected",
        [-VT_EADDRINUSE] = "address in use",
        [-VT_EHOSTUNREACH] = "host unreachable",
        [-VT_EIO] = "network i/o error",
        [-VT_ENOTFOUND] = "name not found",
        [-VT_EPIPE] = "end of stream before the expected length",
        [-VT_ENETDOWN] = "network is down (not started, or stopped)",
        [-VT_ETLS_NOENTROPY] = "no entropy source: TLS refuses to start",
        [-VT_ETLS_NOTIME] = "wall-clock time unknown: certificate dates cannot be checked",
        [-VT_ETLS_UNTRUSTED] = "server certificate not signed by the configured CA",
        [-VT_ETLS_EXPIRED] = "server certificate expired or not yet valid",
        [-VT_ETLS_HOSTNAME] = "server certificate is for another host name",
        [-VT_ETLS_BADCERT] = "server certificate rejected (usage, key or format)",
        [-VT_ETLS_HANDSHAKE] = "TLS handshake failed (no common cipher suite or protocol error)",
        [-VT_ETLS_PEER_CLOSED] = "the server closed the connection during the TLS handshake",
        [-VT_ETLS_ALERT] = "the server refused the TLS handshake (fatal alert)",
        [-VT_ETLS_NOCLIENTCERT] = "the server requires a client certificate and none is configured",
        [-VT_ETLS_CONFIG] = "TLS configuration: CA, certificate or key does not parse, or key and "
                            "certificate differ",
        [-VT_ETLS_RECORD] = "bad TLS record from the peer (integrity check failed or too long)",
        [-VT_ETLS_CRYPTO] = "a TLS cryptographic operation failed",
    };
    if (err <= 0 && err > -(int)(sizeof text / sizeof text[0]) && text[-err] != NULL)
        return text[-err];
    return "unknown error";
}
