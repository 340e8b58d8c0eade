/* SPDX-License-Identifier: MIT */
/**
 * @file net/drivers/virtio_net.c
 * @brief virtio-net over virtio-mmio (the RISC-V `virt` board in QEMU).
 *
 * QEMU's virt machine has eight virtio-mmio slots (0x10001000 + 0x1000*i,
 * PLIC interrupt i+1); the first `-device virtio-net-device` lands in the
 * highest one, so every slot is probed for the magic value and device ID 1.
 * Both register layouts are driven: legacy (Version 1, QEMU's default: one
 * page-aligned area per queue given by QueuePFN) and modern (Version 2,
 * `-global virtio-mmio.force-legacy=false`: the VERSION_1 feature,
 * FEATURES_OK and three ring addresses per queue).
 *
 * Two split virtqueues, each with a fixed buffer per descriptor:
 *
 *   queue 0 (rx): every descriptor device-writable, all posted at start;
 *                 the poller copies a used one into a pbuf and reposts it
 *   queue 1 (tx): free descriptors on a stack; link_output copies the frame
 *                 behind a zeroed net header and posts it; completed ones
 *                 are reclaimed by the poller or by link_output itself.
 *                 When the ring is full, frames wait (referenced, not
 *                 copied) in a backlog that the poller sends on the next
 *                 completion interrupt
 *
 * Every buffer starts with the virtio net header: 10 bytes legacy (no
 * MRG_RXBUF), 12 bytes modern (num_buffers is always there with VERSION_1).
 *
 * The interrupt handler acknowledges InterruptStatus and wakes the poller;
 * it never touches the rings or lwIP. TX completions raise no interrupt
 * (VRING_AVAIL_F_NO_INTERRUPT) unless frames wait in the backlog: they are
 * reclaimed lazily.
 *
 * Registers per the virtio 1.1 spec, section 4.2.2 (modern) and 4.2.4
 * (legacy). Unlike the LAN9118 model, QEMU 7.2's virtio-net holds received
 * frames back while no receive buffer is posted instead of dropping them:
 * a poller that falls behind costs latency here, not retransmissions.
 */
#include <stddef.h>
#include <string.h>

#include "board.h"
#include "drivers/virtio_mmio.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netdrv.h"
#include "netif/ethernet.h"

#define VIRTIO_DEV_NET 1
#define F_NET_MAC 5 /* feature word 0 */
#define AVAIL_F_NO_INTERRUPT 1u
#define USED_F_NO_NOTIFY 1u

#define RXQ 0
#define TXQ 1

/** Descriptors per queue: VT_NET_RX_FRAMES (vt/net_config.h; a power of
 *  two; desc table + avail ring must fit the page before the used ring). */
#define QSIZE VT_NET_RX_FRAMES
#define PAGE 4096u
/* largest frame without FCS (VLAN-tagged 1518) after a 12-byte header */
#define BUF_SIZE 1536u
#define FRAME_MAX 1518u

_Static_assert((QSIZE & (QSIZE - 1)) == 0 && QSIZE <= 128, "VT_NET_RX_FRAMES (virtio-net): a power of two, at most 128");

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

/* The legacy layout (also fine for modern): descriptor table, available
 * ring, then the used ring on the next page boundary. */
struct vq {
    struct vq_desc desc[QSIZE];
    struct {
        uint16_t flags, idx, ring[QSIZE], used_event;
    } avail;
    struct {
        uint16_t flags, idx;
        struct {
            uint32_t id, len;
        } ring[QSIZE];
        uint16_t avail_event;
    } used __attribute__((aligned(PAGE)));
} __attribute__((aligned(PAGE)));

_Static_assert(offsetof(struct vq, used) == PAGE, "used ring must start one page in");

static struct vq rxq, txq;
static uint8_t rx_buf[QSIZE][BUF_SIZE] __attribute__((aligned(16)));
static uint8_t tx_buf[QSIZE][BUF_SIZE] __attribute__((aligned(16)));
static uint16_t tx_free[QSIZE], tx_nfree; /* stack of free tx descriptors */
static uint16_t rx_last, tx_last;         /* next used entry to look at */

static uintptr_t base;  /* the NIC's slot, 0 before netdrv_start found one */
static unsigned hdr_len;
static uint8_t mac[6];
static struct netif nif;
/* Frames waiting for a free tx descriptor, oldest at tail (each holds a
 * pbuf reference). Only when this is full too does lwIP get ERR_MEM. */
#ifndef VIRTIO_NET_TX_BACKLOG
#define VIRTIO_NET_TX_BACKLOG 256
#endif
#define TX_BACKLOG VIRTIO_NET_TX_BACKLOG
static struct pbuf *tx_backlog[TX_BACKLOG];
static uint32_t tx_bl_head, tx_bl_tail;
static uint8_t tx_refused; /* lwIP got ERR_MEM since the backlog last emptied */

#define R(off) (*(volatile uint32_t *)(base + (off)))

/* Order ring memory against itself and against the device registers. */
static inline void mb(void) { __asm volatile("fence iorw, iorw" ::: "memory"); }

static inline uint16_t used_idx(struct vq *q)
{
    return *(volatile uint16_t *)&q->used.idx;
}

/* Make descriptor @p id the next available entry of @p q (no notify). */
static void post(struct vq *q, uint16_t id)
{
    q->avail.ring[q->avail.idx % QSIZE] = id;
    mb(); /* the entry before the index that publishes it */
    *(volatile uint16_t *)&q->avail.idx = (uint16_t)(q->avail.idx + 1);
}

/* Ring the doorbell of @p q unless the device said it polls (USED_F_NO_NOTIFY). */
static void notify(struct vq *q, unsigned queue)
{
    mb(); /* the index before the doorbell, and before reading the flag */
    if (!(*(volatile uint16_t *)&q->used.flags & USED_F_NO_NOTIFY))
        R(QUEUE_NOTIFY) = queue;
}

/* Interrupt: acknowledge and wake the poller, nothing else. */
static void virtio_net_isr(void)
{
    uint32_t st = R(INTERRUPT_STATUS);
    R(INTERRUPT_ACK) = st;
    vt_net_kick_isr();
}

/* Return completed tx descriptors to the free stack (thread context). */
static void tx_reclaim(void)
{
    uint16_t end = used_idx(&txq);
    mb(); /* the index before the entries it covers */
    while (tx_last != end) {
        uint32_t id = txq.used.ring[tx_last % QSIZE].id;
        if (id < QSIZE)
            tx_free[tx_nfree++] = (uint16_t)id;
        tx_last++;
    }
}

/* Copy @p p into free descriptor slot and make it available (no doorbell). */
static void tx_post(struct pbuf *p)
{
    uint16_t id = tx_free[--tx_nfree];
    memset(tx_buf[id], 0, hdr_len); /* no checksum offload, no GSO */
    pbuf_copy_partial(p, tx_buf[id] + hdr_len, p->tot_len, 0);
    txq.desc[id].len = hdr_len + p->tot_len;
    post(&txq, id);
    vt_net_counters.tx_frames++;
}

/* Send what waits in the backlog while descriptors are free; with the
 * backlog empty, completions go back to raising no interrupt. */
static void tx_flush(void)
{
    int sent = 0;
    tx_reclaim();
    while (tx_bl_tail != tx_bl_head && tx_nfree != 0) {
        struct pbuf *p = tx_backlog[tx_bl_tail % TX_BACKLOG];
        tx_post(p);
        pbuf_free(p);
        tx_bl_tail++;
        sent = 1;
    }
    if (sent)
        notify(&txq, TXQ);
    if (tx_bl_tail == tx_bl_head) {
        txq.avail.flags = AVAIL_F_NO_INTERRUPT;
        if (tx_refused) {
            tx_refused = 0;
            net_tx_room();
        }
    }
}

static err_t link_output(struct netif *n, struct pbuf *p)
{
    (void)n;
    if (p->tot_len > FRAME_MAX)
        return ERR_BUF;
    if (tx_nfree == 0)
        tx_reclaim();
    if (tx_nfree != 0 && tx_bl_tail == tx_bl_head) {
        tx_post(p);
        notify(&txq, TXQ);
        return ERR_OK;
    }
    /* The ring is full (QEMU empties it from its own thread, later): keep
     * a reference and send it when a completion interrupt says there is
     * room. lwIP does not resend a segment whose pbuf is still held. */
    if (tx_bl_head - tx_bl_tail == TX_BACKLOG) {
        vt_net_counters.tx_busy++;
        tx_refused = 1;
        return ERR_MEM;
    }
    pbuf_ref(p);
    tx_backlog[tx_bl_head++ % TX_BACKLOG] = p;
    txq.avail.flags = 0; /* completions interrupt while frames wait */
    mb();
    if (used_idx(&txq) != tx_last)
        vt_net_wake(); /* a completion that came before the flag */
    return ERR_OK;
}

void netdrv_poll(void)
{
    uint16_t end;
    int reposted = 0, lost = 0;
    if (base == 0)
        return;
    end = used_idx(&rxq);
    mb();
    while (rx_last != end) {
        uint32_t id = rxq.used.ring[rx_last % QSIZE].id;
        uint32_t len = rxq.used.ring[rx_last % QSIZE].len;
        rx_last++;
        if (id >= QSIZE)
            continue; /* a broken device: nothing to give back */
        if (len > hdr_len && len - hdr_len <= FRAME_MAX) {
            uint16_t flen = (uint16_t)(len - hdr_len);
            struct pbuf *p = pbuf_alloc(PBUF_RAW, flen, PBUF_POOL);
            if (p != NULL) {
                pbuf_take(p, rx_buf[id] + hdr_len, flen);
                vt_net_counters.rx_frames++;
                if (nif.input(p, &nif) != ERR_OK)
                    pbuf_free(p);
            } else {
                vt_net_counters.rx_nomem++;
                lost = 1;
            }
        } else {
            vt_net_counters.rx_dropped++;
        }
        post(&rxq, (uint16_t)id);
        reposted = 1;
    }
    if (reposted)
        notify(&rxq, RXQ);
    if (lost) /* no pbuf for a frame: its sender is asked to resend (tcp.c) */
        net_rx_overflow();
    tx_flush();
}

static err_t if_init(struct netif *n)
{
    net_netif_ethernet(n, mac, link_output);
    return ERR_OK;
}

/* Size queue @p sel and give its rings to the device. */
static int queue_setup(unsigned sel, struct vq *q, int modern)
{
    uint32_t max;
    R(QUEUE_SEL) = sel;
    max = R(QUEUE_NUM_MAX);
    if (max < QSIZE || (modern && R(QUEUE_READY) != 0))
        return VT_EIO;
    R(QUEUE_NUM) = QSIZE;
    if (modern) {
        uint64_t d = (uintptr_t)q->desc, a = (uintptr_t)&q->avail, u = (uintptr_t)&q->used;
        R(QUEUE_DESC_LOW) = (uint32_t)d;
        R(QUEUE_DESC_LOW + 4) = (uint32_t)(d >> 32);
        R(QUEUE_DRIVER_LOW) = (uint32_t)a;
        R(QUEUE_DRIVER_LOW + 4) = (uint32_t)(a >> 32);
        R(QUEUE_DEVICE_LOW) = (uint32_t)u;
        R(QUEUE_DEVICE_LOW + 4) = (uint32_t)(u >> 32);
        R(QUEUE_READY) = 1;
    } else {
        R(QUEUE_ALIGN) = PAGE;
        R(QUEUE_PFN) = (uint32_t)((uintptr_t)q / PAGE);
    }
    return 0;
}

/* Reset, negotiate features, set up both queues, post rx buffers. */
static int device_init(void)
{
    int modern = R(VERSION) == 2;
    int64_t accepted = virtio_mmio_begin(base, 1u << F_NET_MAC, PAGE);
    uint32_t feat;

    if (accepted < 0)
        return VT_EIO;
    feat = (uint32_t)accepted;
    hdr_len = modern ? 12 : 10;

    if (feat & (1u << F_NET_MAC)) {
        for (int i = 0; i < 6; i++)
            mac[i] = *(volatile uint8_t *)(base + CONFIG + (unsigned)i);
    } else {
        static const uint8_t def[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
        memcpy(mac, def, 6);
    }

    memset(&rxq, 0, sizeof rxq);
    memset(&txq, 0, sizeof txq);
    rx_last = tx_last = 0;
    for (uint16_t i = 0; i < QSIZE; i++) {
        rxq.desc[i].addr = (uintptr_t)rx_buf[i];
        rxq.desc[i].len = BUF_SIZE;
        rxq.desc[i].flags = DESC_F_WRITE;
        txq.desc[i].addr = (uintptr_t)tx_buf[i];
        tx_free[i] = (uint16_t)(QSIZE - 1 - i);
    }
    tx_nfree = QSIZE;
    txq.avail.flags = AVAIL_F_NO_INTERRUPT; /* reclaimed lazily */
    if (queue_setup(RXQ, &rxq, modern) != 0 || queue_setup(TXQ, &txq, modern) != 0)
        goto fail;
    for (uint16_t i = 0; i < QSIZE; i++)
        post(&rxq, i);
    mb();
    R(STATUS) = R(STATUS) | S_DRIVER_OK;
    notify(&rxq, RXQ);
    return 0;
fail:
    R(STATUS) = R(STATUS) | S_FAILED;
    return VT_EIO;
}

void netdrv_default_config(vt_net_config_t *cfg) { net_qemu_user_config(cfg); }

int netdrv_start(const vt_net_config_t *cfg, struct netif **primary)
{
    ip4_addr_t any;
    int slot = virtio_mmio_find(VIRTIO_DEV_NET);
    if (slot < 0)
        return VT_EIO;
    base = VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * (unsigned)slot;
    if (device_init() != 0) {
        base = 0;
        return VT_EIO;
    }
    ip4_addr_set_zero(&any);
    if (netif_add(&nif, &any, &any, &any, NULL, if_init, ethernet_input) == NULL) {
        R(STATUS) = 0; /* reset: the device stops using our rings */
        base = 0;
        return VT_EIO;
    }
    board_irq_attach((unsigned)slot + 1, virtio_net_isr);
    net_netif_configure(&nif, cfg);
    *primary = &nif;
    return 0;
}
