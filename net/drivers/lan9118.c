/* SPDX-License-Identifier: MIT */
/**
 * @file net/drivers/lan9118.c
 * @brief SMSC LAN9118 Ethernet (the MPS2 boards in QEMU).
 *
 * The chip's receive FIFO holds 10,560 bytes and 176 frame statuses, and a
 * frame that does not fit is dropped (the real chip counts it in RX_DROP;
 * QEMU's model does not count, and has no back-pressure: slirp delivers a
 * burst while the CPU waits, so a burst bigger than the FIFO always loses
 * frames). So the interrupt handler drains the FIFO at once into a ring
 * owned by this driver (no lwIP call in the handler), and the poller thread
 * turns ring entries into pbufs. The ring packs frames back to back (a
 * length word, then the frame's words), so small frames (ACKs, SYNs) take
 * little of it: it absorbs bursts while the poller waits for its turn.
 *
 * When the handler finds the FIFO nearly full, or RX_DROP counts drops,
 * frames were probably lost: the poller tells the network core
 * (net_rx_overflow()), which asks the peers of recently active connections
 * to resend at once instead of after their retransmission timeout.
 *
 * Registers (offsets from BOARD_LAN9118_BASE) per the SMSC LAN9118 datasheet
 * and QEMU's model (hw/net/lan9118.c in QEMU 7.2): IRQ_CFG must enable the
 * interrupt line before the NVIC does, or the line reads as asserted; a
 * received frame's length in its status word includes the 4-byte CRC.
 */

#include "board.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netdrv.h"
#include "netif/ethernet.h"

#define R(off) (*(volatile uint32_t *)(BOARD_LAN9118_BASE + (off)))
#define RX_DATA 0x00
#define TX_DATA 0x20
#define RX_STATUS 0x40
#define TX_STATUS 0x48
#define ID_REV 0x50
#define IRQ_CFG 0x54
#define INT_STS 0x58
#define INT_EN 0x5C
#define BYTE_TEST 0x64
#define RX_CFG 0x6C
#define TX_CFG 0x70
#define HW_CFG 0x74
#define RX_DP_CTRL 0x78
#define RX_FIFO_INF 0x7C
#define TX_FIFO_INF 0x80
#define PMT_CTRL 0x84
#define MAC_CSR_CMD 0xA4
#define MAC_CSR_DATA 0xA8

#define RX_DROP 0xA0
#define GPT_CFG 0x8C

#define IRQ_CFG_IRQ_TYPE (1u << 0) /* push-pull (else open drain) */
#define IRQ_CFG_IRQ_POL (1u << 4)  /* active high */
#define IRQ_CFG_IRQ_EN (1u << 8)
#define HW_CFG_SRST (1u << 0)      /* soft reset */
#define PMT_CTRL_READY (1u << 0)
#define TX_CFG_TX_ON (1u << 1)
#define TX_CFG_TXSAO (1u << 2)     /* TX status FIFO overrun allowed */
#define TX_CMD_A_LS (1u << 12)     /* last segment */
#define TX_CMD_A_FS (1u << 13)     /* first segment */
#define MAC_CSR_BUSY (1u << 31)
#define MAC_CSR_READ (1u << 30)
#define INT_RSFL (1u << 3)
#define GPT_CFG_TIMER_EN (1u << 29) /* general-purpose timer on; bits 0-15: its load */
#define MAC_CR 1
#define MAC_ADDRH 2
#define MAC_ADDRL 3
#define MAC_CR_RXEN (1u << 2)
#define MAC_CR_TXEN (1u << 3)
#define MAC_CR_FDPX (1u << 20)     /* full duplex */

/* the chip's receive FIFOs (default HW_CFG: 10,560 data bytes, 176 statuses) */
#define FIFO_DATA_BYTES 10560u
#define FIFO_STATUSES 176u

#define FRAME_MAX 1536
/* The ring holds VT_NET_RX_FRAMES full-size frames (vt/net_config.h): a
 * length word and the frame's words each, plus room for a wrap. */
#define RING_WORDS ((uint32_t)VT_NET_RX_FRAMES * (1u + FRAME_MAX / 4u) + 1u + FRAME_MAX / 4u)
#define RING_WRAP 0xFFFFFFFFu /* the rest of the ring is unused: go to its start */

static struct netif nif;
/* Frames back to back: a word with the frame's length (CRC excluded), then
 * its words as read from the FIFO (CRC included); an entry never wraps.
 * head == tail: empty; the handler never lets head reach tail from below,
 * so the ring is never completely full. */
static uint32_t rx_ring[RING_WORDS];
static volatile uint32_t rx_head, rx_tail; /* head: handler, tail: poller; 0..RING_WORDS-1 */
static volatile uint32_t rx_overruns;      /* frames the ring had no room for */
static volatile uint32_t rx_full_seen;     /* times the FIFO was found (nearly) full */
static uint8_t tx_unannounced;             /* frames sent since QEMU's loop was woken */

static uint32_t mac_read(unsigned idx)
{
    R(MAC_CSR_CMD) = MAC_CSR_BUSY | MAC_CSR_READ | idx;
    while (R(MAC_CSR_CMD) & MAC_CSR_BUSY) {
    }
    return R(MAC_CSR_DATA);
}

static void mac_write(unsigned idx, uint32_t v)
{
    R(MAC_CSR_DATA) = v;
    R(MAC_CSR_CMD) = MAC_CSR_BUSY | idx;
    while (R(MAC_CSR_CMD) & MAC_CSR_BUSY) {
    }
}

/* Did the FIFO have too little room left for another frame? Then frames
 * that came next were dropped (in QEMU: always, when slirp's burst went on). */
static int nearly_full(uint32_t inf)
{
    return ((inf >> 16) & 0xFFu) >= FIFO_STATUSES ||
           (inf & 0xFFFFu) > FIFO_DATA_BYTES - FRAME_MAX - 8u;
}

/* Interrupt: move every complete frame out of the device FIFO. */
void lan9118_isr(void);
void lan9118_isr(void)
{
    uint32_t inf, h = rx_head;
    R(INT_STS) = INT_RSFL;
    while (((inf = R(RX_FIFO_INF)) >> 16) & 0xFFu) {
        uint32_t status = R(RX_STATUS);
        uint32_t len = (status >> 16) & 0x3FFFu; /* includes the 4-byte CRC */
        uint32_t words = (len + 3u) / 4u;
        uint32_t need = 1u + words, t = rx_tail, pos = RING_WORDS;
        int ok = !(status & (1u << 15)) && len >= 18 && len <= FRAME_MAX;
        if (nearly_full(inf))
            rx_full_seen++;
        /* where the entry fits: after head (up to tail, or up to the end of
         * the ring), or at the start (up to tail) behind a wrap mark */
        if (t > h)
            pos = need < t - h ? h : RING_WORDS;
        else if (need <= RING_WORDS - h - (t == 0))
            pos = h;
        else if (need < t)
            pos = 0;
        if (ok && pos != RING_WORDS) {
            uint32_t *d = &rx_ring[pos];
            if (pos != h)
                rx_ring[h] = RING_WRAP;
            d[0] = len - 4u;
            for (uint32_t i = 1; i <= words; i++)
                d[i] = R(RX_DATA);
            h = pos + need == RING_WORDS ? 0 : pos + need;
            __asm volatile("" ::: "memory"); /* the entry before the index */
            rx_head = h;
        } else {
            if (ok) { /* the poller is behind: lost too, recovered the same way */
                rx_overruns++;
                rx_full_seen++;
            }
            for (uint32_t i = 0; i < words; i++)
                (void)R(RX_DATA);
        }
    }
    if (R(RX_DROP) != 0) /* the real chip's count of frames the FIFO dropped */
        rx_full_seen++;
    vt_net_kick_isr();
}

static err_t link_output(struct netif *n, struct pbuf *p)
{
    uint32_t len = p->tot_len, word = 0, fill = 0;
    static uint32_t tag;

    if (len > FRAME_MAX - 4)
        return ERR_BUF;
    while ((R(TX_FIFO_INF) & 0xFFFFu) < len + 8u) {
        /* QEMU transmits synchronously; on hardware this waits briefly */
    }
    tag++;
    R(TX_DATA) = TX_CMD_A_FS | TX_CMD_A_LS | len; /* first and last segment */
    R(TX_DATA) = ((tag & 0xFFFFu) << 16) | len;
    for (struct pbuf *q = p; q != NULL; q = q->next) {
        const uint8_t *b = q->payload;
        for (uint32_t i = 0; i < q->len; i++) {
            word |= (uint32_t)b[i] << (8 * fill);
            if (++fill == 4) {
                R(TX_DATA) = word;
                word = 0;
                fill = 0;
            }
        }
    }
    if (fill != 0)
        R(TX_DATA) = word;
    tx_unannounced = 1; /* lan9118_idle() */
    vt_net_counters.tx_frames++;
    return ERR_OK;
}

/* Called by the board when the CPU is about to idle (board_idle()).
 *
 * QEMU hands a transmitted frame to its network back-end synchronously, but
 * user-mode networking (slirp) acts on it only when QEMU's main loop runs
 * next, and a transmit does not wake that loop: restarting a timer of the
 * chip does (the timer's new deadline is QEMU's earliest, which wakes the
 * loop). Without it, lwIP's httpd answered 100-200 requests/s on
 * mps2-an385 (answers waited for the loop's next timer), 2,000-2,600 with
 * it.
 *
 * Once per busy spell, not once per frame: each turn of the loop costs
 * slirp time in proportion to its open sockets (it polls every one).
 * Restarted after every frame, with 10,000
 * connections open, it slowed the firmware so much (opening them took 119 s
 * instead of 85 s; a burst of the peers' FINs was answered 19 s after it
 * came instead of 13 s) that slirp's FIN retransmissions synchronised into
 * bursts of hundreds, of which the receive FIFO keeps 165: the last of them
 * were still unanswered a minute later. While the CPU is busy the loop runs
 * anyway (the host's sockets, QEMU's timers); what waits for slirp is a CPU
 * that has gone idle. On hardware: a timer nobody listens to (its
 * interrupt stays disabled). */
void lan9118_idle(void);
void lan9118_idle(void)
{
    if (tx_unannounced) {
        tx_unannounced = 0;
        R(GPT_CFG) = 0;
        R(GPT_CFG) = GPT_CFG_TIMER_EN | 1u;
    }
}

static err_t if_init(struct netif *n)
{
    uint32_t lo = mac_read(MAC_ADDRL), hi = mac_read(MAC_ADDRH);
    const uint8_t mac[6] = {(uint8_t)lo, (uint8_t)(lo >> 8), (uint8_t)(lo >> 16),
                            (uint8_t)(lo >> 24), (uint8_t)hi, (uint8_t)(hi >> 8)};
    net_netif_ethernet(n, mac, link_output);
    return ERR_OK;
}

void netdrv_default_config(vt_net_config_t *cfg) { net_qemu_user_config(cfg); }

int netdrv_start(const vt_net_config_t *cfg, struct netif **primary)
{
    ip4_addr_t any;
    if (R(BYTE_TEST) != 0x87654321u)
        return VT_EIO;
    R(HW_CFG) = HW_CFG_SRST;
    for (int i = 0; i < 100000 && !(R(PMT_CTRL) & PMT_CTRL_READY); i++) {
    }
    /* interrupt line: enabled, active high, push-pull, before the NVIC */
    R(IRQ_CFG) = IRQ_CFG_IRQ_EN | IRQ_CFG_IRQ_POL | IRQ_CFG_IRQ_TYPE;
    R(INT_STS) = 0xFFFFFFFFu;
    R(RX_CFG) = 0;
    R(TX_CFG) = TX_CFG_TX_ON | TX_CFG_TXSAO; /* the status is never read */
    mac_write(MAC_CR, mac_read(MAC_CR) | MAC_CR_TXEN | MAC_CR_RXEN | MAC_CR_FDPX);
    ip4_addr_set_zero(&any);
    if (netif_add(&nif, &any, &any, &any, NULL, if_init, ethernet_input) == NULL)
        return VT_EIO;
    net_netif_configure(&nif, cfg);
    R(INT_EN) = INT_RSFL;
    board_irq_enable(BOARD_LAN9118_IRQ);
    *primary = &nif;
    return 0;
}

void netdrv_poll(void)
{
    static uint32_t full_seen, overruns_seen;
    uint32_t t = rx_tail, o;
    int lost = 0;
    while (t != rx_head) {
        uint32_t pos = t, len = rx_ring[pos];
        struct pbuf *p;
        if (len == RING_WRAP) {
            t = 0;
            rx_tail = 0;
            continue;
        }
        /* exact-size from lwIP's heap: a connection that has not read its
         * few bytes yet holds a few bytes, not a full-size pool buffer */
        p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        if (p == NULL)
            p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
        if (p != NULL) {
            pbuf_take(p, &rx_ring[pos + 1], (u16_t)len);
            vt_net_counters.rx_frames++;
            if (nif.input(p, &nif) != ERR_OK)
                pbuf_free(p);
        } else {
            vt_net_counters.rx_nomem++;
            lost = 1; /* recovered as an overflow is */
        }
        t += 1u + (len + 4u + 3u) / 4u;
        if (t == RING_WORDS)
            t = 0;
        __asm volatile("" ::: "memory"); /* done with the entry before freeing it */
        rx_tail = t;
    }
    /* the handler only counts up, the poller only reads */
    o = rx_overruns;
    vt_net_counters.rx_dropped += o - overruns_seen;
    overruns_seen = o;
    o = rx_full_seen;
    if (o != full_seen || lost) {
        full_seen = o;
        net_rx_overflow();
    }
}
