/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/pool.c
 * @brief Worker pool (a job channel and N workers) and task groups.
 */
#include <string.h>

#include "kernel.h"

/* ------------------------------------------------------------------- pool */

static int worker(void *arg)
{
    vt_pool_t *p = arg;
    vt_job_t job;

    while (vt_chan_recv(&p->jobs, &job) == 0) {
        if (job.fn(job.arg) != 0)
            p->failed++;
        p->done++;
        if (--p->pending == 0)
            wake_all(&p->idle, 0);
    }
    return 0;
}

int vt_pool_init(vt_pool_t *p, const char *name, vt_thread_t *workers, unsigned nworkers,
                 void *stacks, size_t stack_size, vt_job_t *queue, unsigned qlen)
{
    int rc;
    ASSERT_THREAD_CONTEXT();

    if (p == NULL || workers == NULL || nworkers == 0 || nworkers > 0xFFFF || stacks == NULL)
        return VT_EINVAL;
    memset(p, 0, sizeof *p);
    rc = vt_chan_init(&p->jobs, queue, sizeof(vt_job_t), qlen);
    if (rc != 0)
        return rc;
    p->workers = workers;
    for (unsigned i = 0; i < nworkers; i++) {
        rc = vt_thread_create(&workers[i], (uint8_t *)stacks + i * stack_size, stack_size, name,
                              worker, p, 0);
        if (rc != 0) {
            /* the workers started so far see a closed queue and exit */
            vt_chan_close(&p->jobs);
            p->shut = 1;
            p->nworkers = (uint16_t)i;
            return rc;
        }
    }
    p->nworkers = (uint16_t)nworkers;
    return 0;
}

int vt_pool_submit_timeout(vt_pool_t *p, int (*fn)(void *), void *arg, vt_tick_t timeout)
{
    vt_job_t job;
    int rc;

    if (p == NULL || fn == NULL || p->workers == NULL)
        return VT_EINVAL;
    if (p->shut)
        return VT_ECLOSED;
    job.fn = fn;
    job.arg = arg;
    p->pending++;
    rc = vt_chan_send_timeout(&p->jobs, &job, timeout);
    if (rc != 0 && --p->pending == 0)
        wake_all(&p->idle, 0);
    return rc;
}

int vt_pool_wait(vt_pool_t *p, vt_tick_t timeout)
{
    vt_deadline_t d;
    ASSERT_THREAD_CONTEXT();

    if (p == NULL || p->workers == NULL)
        return VT_EINVAL;
    if (p->pending == 0)
        return 0;
    d = vt_deadline_in(timeout);
    while (p->pending > 0) {
        int rc = block_until(&p->idle, S_POOL, &p->idle, &d);
        if (rc != 0 && rc != WAIT_RECHECK)
            return rc;
    }
    return 0;
}

int vt_pool_shutdown(vt_pool_t *p)
{
    ASSERT_THREAD_CONTEXT();
    if (p == NULL || p->workers == NULL)
        return VT_EINVAL;
    p->shut = 1;
    vt_chan_close(&p->jobs);
    for (unsigned i = 0; i < p->nworkers; i++) {
        int rc;
        while ((rc = vt_thread_join(&p->workers[i], NULL, VT_FOREVER)) == VT_ECANCELED) {
        }
        VT_ASSERT(rc == 0 || rc == VT_ESRCH);
    }
    p->workers = NULL;
    return (int)p->failed;
}

/* ------------------------------------------------------------------ group */

int vt_group_init(vt_group_t *g)
{
    ASSERT_THREAD_CONTEXT();
    if (g == NULL)
        return VT_EINVAL;
    memset(g, 0, sizeof *g);
    return 0;
}

static int group_child_main(void *arg)
{
    vt_group_child_t *c = arg, **pp;
    vt_group_t *g = c->group;
    int rc = c->entry(c->arg);

    for (pp = &g->children; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    if (rc != 0 && g->first_error == 0) {
        g->first_error = rc;
        vt_group_cancel(g);
    }
    if (--g->running == 0)
        wake_all(&g->waiter, 0);
    return rc;
}

int vt_group_spawn(vt_group_t *g, vt_group_child_t *c, void *stack, size_t stack_size,
                   const char *name, vt_entry_t entry, void *arg)
{
    int rc;
    ASSERT_THREAD_CONTEXT();

    if (g == NULL || c == NULL || entry == NULL)
        return VT_EINVAL;
    if (g->first_error != 0)
        return VT_ECANCELED;
    c->group = g;
    c->entry = entry;
    c->arg = arg;
    rc = vt_thread_create(&c->thread, stack, stack_size, name, group_child_main, c,
                          VT_THREAD_DETACHED);
    if (rc != 0)
        return rc;
    c->next = g->children;
    g->children = c;
    g->running++;
    return 0;
}

void vt_group_cancel(vt_group_t *g)
{
    vt_thread_t *self = vt_self();
    ASSERT_THREAD_CONTEXT();
    for (vt_group_child_t *c = g->children; c != NULL; c = c->next)
        if (&c->thread != self)
            vt_thread_cancel(&c->thread);
}

int vt_group_wait(vt_group_t *g, vt_tick_t timeout)
{
    vt_deadline_t d;
    ASSERT_THREAD_CONTEXT();
    if (g == NULL)
        return VT_EINVAL;
    if (g->running == 0)
        return g->first_error;
    d = vt_deadline_in(timeout);
    while (g->running > 0) {
        int rc = block_until(&g->waiter, S_GROUP, &g->waiter, &d);
        if (rc == VT_ECANCELED) {
            vt_group_cancel(g);
            return rc;
        }
        if (rc != 0 && rc != WAIT_RECHECK)
            return rc;
    }
    return g->first_error;
}
