/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/offload.c
 * @brief vt_offload(): jobs for a background context, their bounded queue,
 * and the loop every background context runs. Where a background context
 * lives and when it runs is the executor's business: kernel/offload_cpu.c
 * on one-core ports (a preemptible context at the lowest priority),
 * arch/host/offload.c on the host (OS threads). docs/offload.md.
 *
 * A job's life:
 *
 *   FREE --submit--> QUEUED --a background takes it--> RUNNING --fn returns--> DONE
 *                      |                                                      |
 *                      +--vt_offload_cancel: DONE, result VT_ECANCELED        |
 *                                                                             v
 *   FREE <-----------------------vt_offload_wait collects it--------------- DONE
 *
 * The queue and the job states are shared with the background contexts;
 * arch_irq_save() guards them (one core: interrupts off; host: also the
 * lock that excludes the worker threads). A background context tells the
 * waiting thread that its job is over the only way it may: with
 * vt_sem_post_isr() on the job's semaphore. The room in the queue is a
 * semaphore too, whose units go back when a job is collected.
 */
#include <stdio.h>
#include <string.h>

#include "kernel.h"

enum { J_FREE = 0, J_QUEUED, J_RUNNING, J_DONE };

static struct {
    vt_offload_t *head, *tail; /* queued jobs, oldest first */
    vt_sem_t room;             /* units: jobs that may still be submitted */
    uint8_t started;
    uint32_t submitted, completed, cancelled;
    uint16_t live;             /* submitted, not collected */
    uint16_t queued, running;  /* of those: waiting in the queue, running */
    vt_offload_t slot[VT_CONFIG_OFFLOAD_QUEUE]; /* vt_offload()'s job storage */
} off;

/* The job the calling background context runs (NULL between jobs). */
static VT_ARCH_BG_LOCAL vt_offload_t *bg_job;

/* Debug builds: the background reads a job and its argument while the
 * submitting thread is blocked, when a shared-stack thread's frames may have
 * been copied out and its run stack lent to another thread. So they may not
 * lie in a shared run stack at all, not even the caller's own: checked as a
 * pointer handed over by another thread is (kernel/shared.c). */
static void check_not_shared(const void *p, size_t len)
{
    if (VT_CONFIG_DEBUG && vt_kernel.shared != NULL) {
        uint8_t in = vt_kernel.in_thread;
        vt_kernel.in_thread = 0;
        vt_kernel.shared->check_ptr(p, len);
        vt_kernel.in_thread = in;
    }
}

static int start(void)
{
    if (!off.started) {
        int rc = bg_start();
        if (rc != 0)
            return rc; /* nothing kept: the next submit tries again */
        vt_sem_init(&off.room, VT_CONFIG_OFFLOAD_QUEUE);
        off.started = 1;
    }
    return 0;
}

/* Queue @p job (room already taken). */
static void enqueue(vt_offload_t *job, const char *name, vt_offload_fn_t fn, void *arg,
                    uint8_t pooled)
{
    arch_irq_state_t s;
    job->next = NULL;
    job->fn = fn;
    job->arg = arg;
    job->name = name;
    job->result = 0;
    job->cancel = 0;
    job->pooled = pooled;
    job->waiting = 0;
    vt_sem_init(&job->done, 0);
    s = arch_irq_save();
    job->state = J_QUEUED;
    if (off.tail != NULL)
        off.tail->next = job;
    else
        off.head = job;
    off.tail = job;
    off.submitted++;
    off.live++;
    off.queued++;
    arch_irq_restore(s);
    bg_notify();
}

/* A DONE job's storage goes back to its owner, its unit to the queue. */
static void collect(vt_offload_t *job)
{
    arch_irq_state_t s = arch_irq_save();
    job->state = J_FREE;
    off.live--;
    arch_irq_restore(s);
    vt_sem_post(&off.room);
}

static int submit_check(vt_offload_fn_t fn)
{
    if (fn == NULL)
        return VT_EINVAL;
    if (!vt_kernel.in_thread)
        return VT_EPERM;
    return start(); /* VT_ENOMEM: no background stack (host: no worker) */
}

int vt_offload_submit(vt_offload_t *job, const char *name, vt_offload_fn_t fn, void *arg,
                      vt_tick_t timeout)
{
    int rc;

    ASSERT_THREAD_CONTEXT();
    if (job == NULL)
        return VT_EINVAL;
    if ((rc = submit_check(fn)) != 0)
        return rc;
    check_not_shared(job, sizeof *job);
    if (job->state != J_FREE)
        return VT_EINVAL;
    rc = vt_sem_wait_timeout(&off.room, timeout);
    if (rc != 0)
        return rc;
    enqueue(job, name, fn, arg, 0);
    return 0;
}

int vt_offload_wait(vt_offload_t *job, int *result, vt_tick_t timeout)
{
    int rc;

    ASSERT_THREAD_CONTEXT();
    if (job == NULL || job->state == J_FREE)
        return VT_EINVAL;
    if (job->waiting)
        return VT_EBUSY;
    job->waiting = 1;
    rc = vt_sem_wait_timeout(&job->done, timeout);
    job->waiting = 0;
    if (rc != 0)
        return rc;
    if (result != NULL)
        *result = job->result;
    collect(job);
    return 0;
}

int vt_offload_cancel(vt_offload_t *job)
{
    arch_irq_state_t s;
    vt_offload_t **p;

    ASSERT_THREAD_CONTEXT();
    if (job == NULL)
        return VT_EINVAL;
    s = arch_irq_save();
    if (job->state == J_RUNNING) {
        __atomic_store_n(&job->cancel, 1, __ATOMIC_RELAXED);
        arch_irq_restore(s);
        return VT_EBUSY;
    }
    if (job->state != J_QUEUED) {
        arch_irq_restore(s);
        return VT_EINVAL;
    }
    /* still queued: no background has seen it; unlink it */
    for (p = &off.head; *p != job; p = &(*p)->next) {
    }
    *p = job->next;
    if (off.tail == job) {
        off.tail = NULL;
        for (vt_offload_t *j = off.head; j != NULL; j = j->next)
            off.tail = j;
    }
    job->state = J_DONE;
    job->result = VT_ECANCELED;
    off.cancelled++;
    off.queued--;
    arch_irq_restore(s);
    vt_sem_post(&job->done);
    return 0;
}

int vt_offload(const char *name, vt_offload_fn_t fn, void *arg, int *result, vt_tick_t timeout)
{
    vt_deadline_t d = vt_deadline_in(timeout); /* for the whole call */
    vt_offload_t *job = NULL;
    int rc, rc2;

    ASSERT_THREAD_CONTEXT();
    if ((rc = submit_check(fn)) != 0)
        return rc;
    check_not_shared(arg, 1);
    rc = vt_sem_wait_timeout(&off.room, vt_deadline_left(&d));
    if (rc != 0)
        return rc;
    /* a unit of room guarantees a free slot: every slot in use holds one */
    for (unsigned i = 0; job == NULL; i++)
        if (off.slot[i].state == J_FREE)
            job = &off.slot[i];
    enqueue(job, name, fn, arg, 1);
    rc = vt_sem_wait_timeout(&job->done, vt_deadline_left(&d));
    if (rc == VT_EAGAIN && timeout != VT_NOWAIT)
        rc = VT_ETIMEDOUT;
    if (rc != 0) {
        /* timed out or cancelled: the function must not outlive this call
         * (arg may be our caller's local); a cancel request arriving while
         * we wait for it to stop is what this call returns */
        vt_offload_cancel(job);
        while ((rc2 = vt_sem_wait(&job->done)) != 0)
            if (rc2 == VT_ECANCELED)
                rc = VT_ECANCELED;
    } else if (result != NULL) {
        *result = job->result;
    }
    collect(job);
    return rc;
}

int vt_offload_cancelled(void)
{
    vt_offload_t *j = vt_bg_active ? bg_job : NULL;
    return j != NULL && __atomic_load_n(&j->cancel, __ATOMIC_RELAXED) != 0;
}

const char *offload_job_name(void)
{
    vt_offload_t *j = vt_bg_active ? bg_job : NULL;
    if (j == NULL)
        return NULL;
    return j->name != NULL ? j->name : "(unnamed)";
}

int bg_queued(void) { return off.head != NULL; }

/* vt_dump()'s line: read without the lock (the dump may run in a fault) */
int offload_describe(char *buf, size_t len)
{
    vt_offload_stats_t st;
    vt_offload_t *j = VT_ARCH_BG_THREADS ? NULL : bg_job; /* the host's are per worker */
    const char *job = j == NULL ? NULL : j->name != NULL ? j->name : "(unnamed)";
    if (!off.started)
        return 0;
    memset(&st, 0, sizeof st);
    bg_stats(&st);
    return snprintf(buf, len,
                    "offload: %u running%s%s%s, %u queued; %lu done, %lu cancelled, "
                    "%lu preemptions", (unsigned)off.running, job ? " (" : "",
                    job ? job : "", job ? ")" : "", (unsigned)off.queued,
                    (unsigned long)off.completed, (unsigned long)off.cancelled,
                    (unsigned long)st.preemptions);
}

void bg_main(void)
{
    vt_bg_active = 1; /* host: this OS thread's flag; one core: set already */
    for (;;) {
        arch_irq_state_t s = arch_irq_save();
        vt_offload_t *j = off.head;
        int r;
        if (j != NULL) {
            off.head = j->next;
            if (off.head == NULL)
                off.tail = NULL;
            j->state = J_RUNNING;
            off.queued--;
            off.running++;
        }
        arch_irq_restore(s);
        if (j == NULL) {
            bg_wait();
            continue;
        }
        bg_job = j;
        r = j->fn(j->arg);
        bg_job = NULL;
        s = arch_irq_save();
        j->result = r;
        j->state = J_DONE;
        off.completed++;
        off.running--;
        arch_irq_restore(s);
        vt_sem_post_isr(&j->done); /* one core: the kernel takes the CPU back here */
    }
}

void vt_offload_stats(vt_offload_stats_t *st)
{
    arch_irq_state_t s;
    memset(st, 0, sizeof *st);
    s = arch_irq_save();
    st->submitted = off.submitted;
    st->completed = off.completed;
    st->cancelled = off.cancelled;
    st->queued = off.live;
    arch_irq_restore(s);
    if (off.started)
        bg_stats(st);
}
