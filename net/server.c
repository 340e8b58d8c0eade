/* SPDX-License-Identifier: MIT */
/**
 * @file net/server.c
 * @brief Thread-per-connection TCP server (vt_tcp_serve): the accept loop
 * every network application would otherwise write, with a bounded number
 * of connection threads in caller storage, a timeout on every connection,
 * a clean refusal when every thread is busy, and a stop that ends it all.
 *
 * The thread that calls vt_tcp_serve() is the acceptor. A connection thread
 * is detached: when its handler returns it closes the socket, puts its
 * storage back on the free list and wakes the acceptor, then exits (nothing
 * else runs between, so the storage is free by the time anyone takes it).
 */
#include <string.h>

#include "net_priv.h"
#include "vt/shared.h"

enum { SRV_READY, SRV_SERVING, SRV_STOPPING, SRV_STOPPED };

int vt_tcp_server_init(vt_tcp_server_t *srv, const vt_tcp_server_config_t *cfg,
                       vt_tcp_conn_t *conns, unsigned nconns, void *stacks, size_t stack_size)
{
    NET_CHECK_CONTEXT();
    if (srv == NULL || cfg == NULL || cfg->handler == NULL || cfg->port == 0 || conns == NULL ||
        nconns == 0 || (stacks != NULL && stack_size < VT_STACK_SIZE(VT_CONFIG_STACK_MIN)))
        return VT_EINVAL;
    memset(srv, 0, sizeof *srv);
    srv->cfg = *cfg;
    if (srv->cfg.name == NULL)
        srv->cfg.name = "conn";
    if (srv->cfg.backlog == 0)
        srv->cfg.backlog = 16;
    srv->conns = conns;
    srv->nconns = nconns;
    srv->stacks = stacks;
    srv->stats.stack_size = stacks != NULL ? stack_size : 0;
    for (unsigned i = nconns; i-- > 0;) {
        memset(&conns[i], 0, sizeof conns[i]);
        conns[i].u.next = srv->free_conns;
        srv->free_conns = &conns[i];
    }
    return 0;
}

int vt_tcp_server_use_shared(vt_tcp_server_t *srv, struct vt_runstack *rs, unsigned n)
{
    if (srv == NULL || rs == NULL || n == 0 || srv->state == SRV_SERVING ||
        srv->state == SRV_STOPPING)
        return VT_EINVAL;
    srv->runstacks = rs;
    srv->nrunstacks = n;
    srv->stats.stack_size = 0;
    return 0;
}

/* After the handler: close, count, give the storage back. Apart from
 * conn_main so that a waiting handler keeps as little as possible of
 * conn_main's frame below its own (what a shared-stack thread saves). */
static __attribute__((noinline)) int conn_end(vt_tcp_server_t *srv, vt_tcp_conn_t *c, int rc)
{
    if (rc < 0)
        vt_tcp_abort(c->u.sock); /* the handler failed: whatever is unsent goes too */
    else
        vt_tcp_close(c->u.sock);
    if (srv->stacks != NULL) {
        size_t used = vt_thread_stack_used(&c->thread);
        if (used > srv->stats.stack_used_max)
            srv->stats.stack_used_max = used;
    }
    if (rc != 0)
        srv->stats.errors++;
    srv->stats.served++;
    srv->stats.active--;
    c->u.next = srv->free_conns;
    srv->free_conns = c;
    vt_waitq_wake_one(&srv->room, 0);
    if (srv->stats.active == 0)
        vt_waitq_wake_all(&srv->idle, 0);
    return rc;
}

static int conn_main(void *arg)
{
    vt_tcp_server_t *srv = arg;
    vt_tcp_conn_t *c = (vt_tcp_conn_t *)vt_self(); /* the thread is its first member */
    vt_tcp_set_timeout(c->u.sock, srv->cfg.timeout != 0 ? srv->cfg.timeout : VT_FOREVER);
    return conn_end(srv, c, srv->cfg.handler(c->u.sock, srv->cfg.arg));
}

/* Every thread busy: tell the peer (busy_reply) or reset it. */
static void refuse(vt_tcp_server_t *srv, vt_tcp_t *s)
{
    srv->stats.refused++;
    if (srv->cfg.busy_reply == NULL) {
        vt_tcp_abort(s);
        return;
    }
    /* a new connection's send buffer is empty, so this rarely waits; the
     * timeout bounds the acceptor's wait when lwIP's memory is short (the
     * very case in which a part runs out of threads) */
    vt_tcp_write_timeout(s, srv->cfg.busy_reply, strlen(srv->cfg.busy_reply), 1000);
    vt_tcp_close(s);
}

static int start_conn(vt_tcp_server_t *srv, vt_tcp_conn_t *c, vt_tcp_t *s)
{
    int rc;
    c->u.sock = s;
    if (srv->nrunstacks > 0)
        rc = vt_thread_create_shared(&c->thread,
                                     (vt_runstack_t *)&srv->runstacks[srv->next_runstack++ %
                                                                      srv->nrunstacks],
                                     srv->cfg.name, conn_main, srv, VT_THREAD_DETACHED);
    else
        rc = vt_thread_create(&c->thread,
                              srv->stacks + (size_t)(c - srv->conns) * srv->stats.stack_size,
                              srv->stats.stack_size, srv->cfg.name, conn_main, srv,
                              VT_THREAD_DETACHED);
    if (rc != 0)
        return rc;
    if (++srv->stats.active > srv->stats.active_max)
        srv->stats.active_max = srv->stats.active;
    return 0;
}

/* The acceptor's last duty: let the handlers finish for @p grace ms, cancel
 * the rest, wait for every one. */
static void end_connections(vt_tcp_server_t *srv, vt_tick_t grace)
{
    vt_tick_t t0 = vt_now_ms();
    while (srv->stats.active > 0) {
        vt_tick_t spent = vt_now_ms() - t0;
        if (grace != VT_FOREVER && spent >= grace)
            break;
        if (vt_waitq_wait(&srv->idle, grace == VT_FOREVER ? VT_FOREVER : grace - spent) ==
            VT_ECANCELED)
            break;
    }
    for (unsigned i = 0; i < srv->nconns; i++)
        if (vt_thread_cancel(&srv->conns[i].thread) == 0) /* alive: still serving */
            srv->stats.cancelled++;
    /* cancelled handlers return from their blocking call at once */
    while (srv->stats.active > 0)
        vt_waitq_wait(&srv->idle, 100);
}

int vt_tcp_serve(vt_tcp_server_t *srv)
{
    int rc;

    NET_ENTER();
    if (srv == NULL || srv->nconns == 0)
        return VT_EINVAL;
    if (srv->state == SRV_SERVING || srv->state == SRV_STOPPING)
        return VT_EBUSY;
    if (vt_self() == NULL)
        return VT_EPERM;
    rc = vt_tcp_listen(&srv->listener, srv->cfg.port, srv->cfg.backlog);
    if (rc != 0)
        return rc;
    srv->acceptor = vt_self();
    srv->state = SRV_SERVING;
    for (;;) {
        vt_tcp_t *s;
        vt_tcp_conn_t *c;
        if (srv->state != SRV_SERVING)
            break;
        rc = vt_tcp_accept(srv->listener, &s, VT_FOREVER);
        if (rc != 0)
            break;
        if (srv->free_conns == NULL && srv->cfg.full_wait != VT_NOWAIT) {
            /* the burst may pass: a thread may end within full_wait */
            vt_tick_t t0 = vt_now_ms();
            while (srv->free_conns == NULL && srv->state == SRV_SERVING) {
                vt_tick_t spent = vt_now_ms() - t0, left = VT_FOREVER;
                if (srv->cfg.full_wait != VT_FOREVER) {
                    if (spent >= srv->cfg.full_wait)
                        break;
                    left = srv->cfg.full_wait - spent;
                }
                if (vt_waitq_wait(&srv->room, left) == VT_ECANCELED)
                    break;
            }
        }
        c = srv->free_conns;
        if (c == NULL || srv->state != SRV_SERVING) {
            refuse(srv, s);
            continue;
        }
        srv->free_conns = c->u.next;
        if (start_conn(srv, c, s) != 0) {
            c->u.next = srv->free_conns;
            srv->free_conns = c;
            refuse(srv, s);
        }
    }
    /* stopped (the listener was closed), the network went down, or this
     * thread was cancelled: the handlers end too */
    if (srv->state == SRV_STOPPING)
        rc = 0;
    if (srv->listener != NULL) {
        vt_tcp_listener_close(srv->listener);
        srv->listener = NULL;
    }
    end_connections(srv, srv->state == SRV_STOPPING ? srv->grace : 0);
    srv->state = SRV_STOPPED;
    srv->acceptor = NULL;
    vt_waitq_wake_all(&srv->done, 0);
    return rc;
}

int vt_tcp_server_stop(vt_tcp_server_t *srv, vt_tick_t grace)
{
    vt_thread_t *self = vt_self();
    unsigned cancelled;

    NET_CHECK_CONTEXT();
    if (srv == NULL || srv->state != SRV_SERVING)
        return VT_EINVAL;
    cancelled = srv->stats.cancelled;
    srv->state = SRV_STOPPING;
    srv->grace = grace;
    /* the acceptor leaves accept (VT_ECLOSED) or its wait for room */
    vt_tcp_listener_close(srv->listener);
    srv->listener = NULL;
    vt_waitq_wake_all(&srv->room, 0);
    if (self == NULL || self == srv->acceptor)
        return 0;
    if ((vt_tcp_conn_t *)self >= srv->conns && (vt_tcp_conn_t *)self < srv->conns + srv->nconns)
        return 0; /* a handler stops its own server: it must not wait for itself */
    while (srv->state != SRV_STOPPED)
        if (vt_waitq_wait(&srv->done, VT_FOREVER) == VT_ECANCELED)
            return VT_ECANCELED;
    return (int)(srv->stats.cancelled - cancelled);
}

void vt_tcp_server_stats(const vt_tcp_server_t *srv, vt_tcp_server_stats_t *out)
{
    if (srv != NULL && out != NULL)
        *out = srv->stats;
}
