/* SPDX-License-Identifier: MIT */
/**
 * @file net/net.c
 * @brief Network core: lwIP start-up and shutdown, the poller thread,
 * interface state, addresses, DNS, counters, calling-context checks.
 *
 * The poller is the only place lwIP's timers run and received frames enter
 * lwIP. It sleeps on an event until the next lwIP timeout is due
 * (sys_timeouts_sleeptime), so with no traffic and no timers the board
 * idles without ticks. NIC interrupts and API calls that may add an
 * earlier timeout wake it (vt_net_kick*).
 *
 * vt_net_stop() ends the poller (so vt_run() can return once the
 * application's threads are done) and wakes every thread blocked in a
 * network call with VT_ENETDOWN. lwIP and the interfaces stay initialised:
 * a later vt_net_start() resumes them, sockets left open included.
 */
#include <stdio.h>
#include <string.h>

#include "arch_cpu.h" /* arch_in_isr(): the port's inline context test */
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/memp.h"
#include "lwip/stats.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "net_priv.h"

vt_net_stats_t vt_net_counters;
uint8_t net_up;

static vt_event_t kick, up;
static struct netif *primary;
static vt_thread_t poller;
static uint8_t poller_stack[VT_STACK_SIZE(VT_NET_POLLER_STACK)] __attribute__((aligned(16)));
static vt_tick_t planned_wake;

/* One DNS lookup at a time waits here (vt_dns_resolve). */
struct dns_wait {
    vt_waitq_t q;
    const char *name; /* the name asked for (the caller's, during the call) */
    vt_ip4_t addr;
    int done, rc;
};
static uint8_t lwip_ready; /* lwIP and the driver initialised (first start) */
static enum { P_NONE, P_RUN, P_STOP, P_EXITED } poller_state;

void net_assert_core_locked(void)
{
    if (VT_CONFIG_DEBUG && arch_in_isr())
        vt_panic("network call (lwIP or vt_tcp/vt_udp/vt_dns/vt_net) made from an interrupt "
                 "handler: hand the work to a thread (vt_sem_post_isr, vt_event_set_isr)");
}

void vt_net_kick_isr(void) { vt_event_set_isr(&kick); }
void vt_net_wake(void) { vt_event_set(&kick); }

void vt_net_kick(void)
{
    /* only when lwIP now has a timeout earlier than the poller's plan */
    u32_t left = sys_timeouts_sleeptime();
    if (left != SYS_TIMEOUTS_SLEEPTIME_INFINITE &&
        (int32_t)(vt_now_ms() + left - planned_wake) < 0)
        vt_event_set(&kick);
}

/* At most VT_NET_TIME_WAIT_MAX pcbs stay in TIME_WAIT. lwIP searches its
 * TIME_WAIT list linearly for every SYN, and walks it to find the oldest
 * when the pool runs out, so with thousands of them every new connection
 * pays for them (measured: 10,000 in TIME_WAIT cut a connection-per-request
 * server on mps2-an385 from ~1,000 to ~250 requests/s). lwIP links new
 * ones at the head: past the limit the list is cut to half of it, the
 * oldest ending early, as Linux does past tcp_max_tw_buckets (no RST, no
 * callback: lwIP's own reclaim does the same).
 *
 * Walking the list costs too (it took 18% of the host network suite when
 * done after every batch of frames), so it is walked only when it may be
 * over the limit: tw_bound is an upper bound of its length, raised by one
 * for every segment that came for a closing pcb (the only way into
 * TIME_WAIT; vt_tcp_inpacket() counts them) and set to the true length by
 * each walk. A walk of VT_NET_TIME_WAIT_MAX / 2 pcbs then comes once every
 * VT_NET_TIME_WAIT_MAX / 2 such segments at most. */
unsigned net_time_wait_may_grow;
static unsigned tw_bound;

static void time_wait_trim(void)
{
    struct tcp_pcb *keep, *rest;
    unsigned n = 1;
    tw_bound += net_time_wait_may_grow;
    net_time_wait_may_grow = 0;
    if (tw_bound <= VT_NET_TIME_WAIT_MAX)
        return;
    keep = tcp_tw_pcbs;
    if (keep == NULL) {
        tw_bound = 0;
        return;
    }
    for (; keep->next != NULL && n < VT_NET_TIME_WAIT_MAX / 2; n++)
        keep = keep->next;
    tw_bound = n;
    rest = keep->next;
    keep->next = NULL;
    while (rest != NULL) {
        struct tcp_pcb *next = rest->next;
        rest->state = CLOSED;
        tcp_free(rest);
        vt_net_counters.time_wait_ended++;
        rest = next;
    }
}

static int poll_main(void *arg)
{
    while (poller_state == P_RUN) {
        u32_t left;
        vt_event_clear(&kick);
        vt_net_counters.polls++;
        netdrv_poll();
        time_wait_trim();
        sys_check_timeouts();
        left = sys_timeouts_sleeptime();
        if (net_tcp_recover_step()) {
            left = 0; /* the pass goes on after the frames it brought */
        } else if (left == SYS_TIMEOUTS_SLEEPTIME_INFINITE) {
            planned_wake = vt_now_ms() + 0x40000000u;
            left = VT_FOREVER;
        } else {
            planned_wake = vt_now_ms() + left;
        }
        if (left == 0) {
            /* the next batch of a recovery pass: first the threads take
             * what its answers brought */
            planned_wake = vt_now_ms();
            vt_yield();
        } else if (vt_event_wait_timeout(&kick, left) == VT_ECANCELED) {
            break;
        }
    }
    poller_state = P_EXITED;
    return 0;
}

static void status_cb(struct netif *nif)
{
    if (nif == primary && !ip4_addr_isany_val(*netif_ip4_addr(nif))) {
        /* resolve the gateway now: otherwise a burst of first packets
         * (a thousand SYNs) waits on one ARP exchange and the ones that
         * do not fit its queue go out only after a retransmit timeout */
        if ((nif->flags & NETIF_FLAG_ETHARP) && !ip4_addr_isany_val(*netif_ip4_gw(nif)))
            etharp_request(nif, netif_ip4_gw(nif));
        vt_event_set(&up);
    }
}

/* A recovery pass (net_tcp_recover) at most every VT_NET_RECOVER_MS: what a
 * pass asks for comes back within a round trip; an overflow seen sooner
 * starts one when that time is up. */
static vt_tick_t recover_last;
static uint8_t recover_started, recover_later;

static void recover_timer(void *arg)
{
    (void)arg;
    recover_later = 0;
    recover_last = vt_now_ms();
    net_tcp_recover();
}

void net_rx_overflow(void)
{
    vt_tick_t since = vt_now_ms() - recover_last;
    vt_net_counters.rx_overflows++;
    if (recover_later)
        return;
    if (recover_started && since < VT_NET_RECOVER_MS) {
        recover_later = 1;
        sys_timeout(VT_NET_RECOVER_MS - since, recover_timer, NULL);
        return;
    }
    recover_started = 1;
    recover_timer(NULL);
}

void net_qemu_user_config(vt_net_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->addr = PP_HTONL(0x0A00020Fu);    /* 10.0.2.15: slirp's guest */
    cfg->netmask = PP_HTONL(0xFFFFFF00u);
    cfg->gateway = PP_HTONL(0x0A000202u); /* 10.0.2.2 */
    cfg->dns = PP_HTONL(0x0A000203u);     /* 10.0.2.3 */
}

void net_tx_room(void)
{
    /* tcp_output() leaves a segment the netif refused on the unsent queue
     * and marks the pcb TF_NAGLEMEMERR */
    for (struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next)
        if (p->unsent != NULL && (p->flags & TF_NAGLEMEMERR))
            tcp_output(p);
}

void net_netif_ethernet(struct netif *nif, const uint8_t mac[6], netif_linkoutput_fn linkoutput)
{
    nif->name[0] = 'e';
    nif->name[1] = '0';
    nif->hwaddr_len = 6;
    memcpy(nif->hwaddr, mac, 6);
    nif->mtu = 1500;
    nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    nif->output = etharp_output;
    nif->linkoutput = linkoutput;
}

void net_netif_configure(struct netif *nif, const vt_net_config_t *cfg)
{
    netif_set_status_callback(nif, status_cb);
    netif_set_link_up(nif);
    if (cfg->dhcp) {
        netif_set_up(nif);
        dhcp_start(nif);
    } else {
        ip4_addr_t a, m, g;
        ip4_addr_set_u32(&a, cfg->addr);
        ip4_addr_set_u32(&m, cfg->netmask);
        ip4_addr_set_u32(&g, cfg->gateway);
        netif_set_addr(nif, &a, &m, &g);
        netif_set_up(nif);
    }
}

int vt_net_start(const vt_net_config_t *cfg)
{
    vt_net_config_t def;
    int rc;

    net_assert_core_locked();
    if (net_up)
        return VT_EINVAL;
    if (!lwip_ready) {
        if (cfg == NULL) {
            netdrv_default_config(&def);
            cfg = &def;
        }
        vt_event_init(&kick);
        vt_event_init(&up);
        lwip_init();
        rc = netdrv_start(cfg, &primary);
        if (rc != 0)
            return rc;
        if (primary != NULL) {
            ip_addr_t d;
            vt_ip4_t dns = cfg->dns;
            if (dns == 0) /* slirp's DNS is the .3 of the network */
                dns = (cfg->gateway & PP_HTONL(0xFFFFFF00u)) | PP_HTONL(3);
            ip_addr_set_ip4_u32(&d, dns);
            dns_setserver(0, &d);
            netif_set_default(primary);
            status_cb(primary);
        }
        lwip_ready = 1;
    }
    if (poller_state == P_EXITED) /* stopped from outside a thread: collect it */
        vt_thread_join(&poller, NULL, VT_NOWAIT);
    if (poller_state == P_STOP) {
        poller_state = P_RUN; /* asked to stop but has not yet run: it goes on */
    } else {
        poller_state = P_RUN;
        rc = vt_thread_create(&poller, poller_stack, sizeof poller_stack, "net", poll_main, NULL,
                              0);
        if (rc != 0) {
            poller_state = P_NONE;
            return rc;
        }
    }
    net_up = 1;
    return 0;
}

/* Pcbs a thread has closed whose FIN (or data before it) the peer has not
 * acknowledged yet: what a lingering stop waits for. */
static unsigned closing_pcbs(void)
{
    unsigned n = 0;
    for (struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next)
        if (p->callback_arg == NULL &&
            (p->state == FIN_WAIT_1 || p->state == CLOSING || p->state == LAST_ACK))
            n++;
    return n;
}

static struct dns_wait dns_w;

int vt_net_stop(vt_tick_t linger)
{
    vt_tick_t t0 = vt_now_ms();
    int open;

    net_assert_core_locked();
    if (!net_up)
        return VT_ENETDOWN;
    /* let closed connections finish their close while the poller still runs */
    while (linger != VT_NOWAIT && vt_self() != NULL && closing_pcbs() > 0 &&
           (linger == VT_FOREVER || vt_now_ms() - t0 < linger))
        if (vt_sleep(10) != 0)
            break;
    net_up = 0;
    /* whoever is blocked in a network call learns it is over */
    open = net_tcp_stop() + net_udp_stop();
    vt_waitq_wake_all(&dns_w.q, VT_ENETDOWN);
    vt_event_set(&up);
    if (vt_net_addr() == 0)
        vt_event_clear(&up);
    poller_state = P_STOP;
    vt_net_wake();
    if (vt_self() != NULL && vt_self() != &poller) {
        vt_thread_join(&poller, NULL, VT_FOREVER);
        poller_state = P_NONE;
    }
    return open;
}

int vt_net_wait_up(vt_tick_t timeout)
{
    int rc;
    NET_ENTER();
    rc = vt_event_wait_timeout(&up, timeout);
    return net_up ? rc : VT_ENETDOWN;
}

vt_ip4_t vt_net_addr(void)
{
    return primary ? ip4_addr_get_u32(netif_ip4_addr(primary)) : 0;
}

void vt_net_stats(vt_net_stats_t *out)
{
    unsigned tw = 0;
    for (struct tcp_pcb *p = tcp_tw_pcbs; p != NULL; p = p->next)
        tw++;
    *out = vt_net_counters;
    out->tcp_time_wait = tw;
    out->tcp_pcbs = lwip_stats.memp[MEMP_TCP_PCB]->used - tw;
}

/* ------------------------------------------------------------- addresses */

int vt_ip4_parse(const char *s, vt_ip4_t *out)
{
    ip4_addr_t a;
    if (s == NULL || out == NULL || !ip4addr_aton(s, &a))
        return VT_EINVAL;
    *out = ip4_addr_get_u32(&a);
    return 0;
}

const char *vt_ip4_str(vt_ip4_t ip, char buf[16])
{
    ip4_addr_t a;
    ip4_addr_set_u32(&a, ip);
    return ip4addr_ntoa_r(&a, buf, 16);
}

/* ------------------------------------------------------------------- DNS */

static void dns_found(const char *name, const ip_addr_t *addr, void *arg)
{
    struct dns_wait *w = arg;
    if (w->done || strcmp(name, w->name) != 0)
        return; /* the caller gave up (a later lookup may be waiting now) */
    w->done = 1;
    if (addr != NULL) {
        w->addr = ip4_addr_get_u32(ip_2_ip4(addr));
        w->rc = 0;
    } else {
        w->rc = VT_ENOTFOUND;
    }
    vt_waitq_wake_all(&w->q, 0);
}

int vt_dns_resolve(const char *name, vt_ip4_t *out, vt_tick_t timeout)
{
    /* dns_w is static, not on the caller's stack: lwIP keeps the pointer
     * until the answer arrives; one lookup at a time */
    static vt_mutex_t lock;
    ip_addr_t a;
    err_t e;
    int rc;
    vt_deadline_t d = vt_deadline_in(timeout); /* the lock and the answer */

    NET_ENTER();
    if (name == NULL || out == NULL)
        return VT_EINVAL;
    if (vt_ip4_parse(name, out) == 0)
        return 0;
    if ((rc = vt_mutex_lock_until(&lock, &d)) != 0)
        return rc;
    memset(&dns_w, 0, sizeof dns_w);
    dns_w.name = name;
    e = dns_gethostbyname(name, &a, dns_found, &dns_w);
    if (e == ERR_OK) {
        *out = ip4_addr_get_u32(ip_2_ip4(&a));
        rc = 0;
    } else if (e == ERR_INPROGRESS) {
        vt_net_kick();
        rc = 0;
        while (!dns_w.done && rc == 0)
            rc = vt_waitq_wait_until(&dns_w.q, &d);
        if (!dns_w.done) {
            dns_w.done = 1; /* a late answer is dropped */
        } else {
            rc = dns_w.rc;
            *out = dns_w.addr;
        }
    } else {
        rc = VT_ENOTFOUND;
    }
    vt_mutex_unlock(&lock);
    return rc;
}

/* ------------------------------------------------------------ thread dump */

int vt_waitq_describe(const vt_waitq_t *q, char *buf, size_t len)
{
    int n = net_tcp_describe(q, buf, len);
    return n > 0 ? n : net_udp_describe(q, buf, len);
}
