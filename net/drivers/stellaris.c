/* SPDX-License-Identifier: MIT */
/**
 * @file net/drivers/stellaris.c
 * @brief The Ethernet MAC of TI Stellaris parts (LM3S6965: on-chip MAC and
 * PHY), the lm3s6965evb board.
 *
 * The MAC keeps received frames in its own FIFO (2 KB on the chip; QEMU's
 * model holds 31 frames and, when full, makes the emulated network hold
 * further frames instead of dropping them). So the driver needs no receive
 * ring in RAM: the interrupt handler only masks the receive interrupt and
 * wakes the poller thread, which reads each frame from the FIFO straight
 * into a pbuf of its exact size, hands it to lwIP and unmasks when the FIFO
 * is empty. A full FIFO loses nothing; it only waits for the poller.
 *
 * The FIFO is read and written one 32-bit word at a time through the DATA
 * register. Received: a frame starts with a 16-bit length (the frame's
 * length + 6: the length field itself and the 4-byte CRC at the end), the
 * frame's bytes from byte 2; the word after its last begins the next
 * frame. Transmitted: the first word carries the frame's length minus the
 * 14-byte Ethernet header in its low 16 bits, the frame's bytes from byte
 * 2; writing 1 to TR sends it (the MAC appends the CRC and pads short
 * frames). lwIP is built with ETH_PAD_SIZE 2 for this board, so a pbuf
 * begins with 2 spare bytes and the frame sits in it exactly as in the
 * FIFO's word stream: words copy to and from pbufs without shifting.
 *
 * The PHY is not used: QEMU does not model it, the link is taken as up.
 */
#include <string.h>

#include "board.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netdrv.h"
#include "netif/ethernet.h"

#if ETH_PAD_SIZE != 2
#error "net/drivers/stellaris.c needs lwIP's ETH_PAD_SIZE 2 (the board's board_net.h sets it)"
#endif

/** Ethernet MAC registers. */
typedef struct {
    union {
        volatile const uint32_t RIS; /* read: raw interrupt status */
        volatile uint32_t IACK;      /* write: acknowledge (clear) interrupts */
    };
    volatile uint32_t IM;            /* interrupt mask (1: enabled) */
    volatile uint32_t RCTL;          /* receive control */
    volatile uint32_t TCTL;          /* transmit control */
    volatile uint32_t DATA;          /* FIFO: read receives, write transmits */
    volatile uint32_t IA0, IA1;      /* station address: bytes 0-3, 4-5 */
    volatile uint32_t THR;           /* transmit threshold (0x3F: off) */
    volatile uint32_t MCTL, MDV;     /* PHY management: control, clock divider */
    uint32_t reserved0;
    volatile uint32_t MTXD, MRXD;    /* PHY management data */
    volatile const uint32_t NP;      /* frames waiting in the receive FIFO */
    volatile uint32_t TR;            /* write 1: transmit; reads 1 while sending */
} mac_regs_t;
_Static_assert(sizeof(mac_regs_t) == 0x3C, "MAC layout");
#define MAC ((mac_regs_t *)BOARD_ETH_BASE)

#define MAC_INT_RX (1u << 0)     /* a frame was received */
#define MAC_INT_TXER (1u << 1)   /* transmit error */
#define MAC_INT_TXEMP (1u << 2)  /* transmit FIFO empty */
#define MAC_INT_FOV (1u << 3)    /* receive FIFO overrun: a frame was lost */
#define MAC_INT_RXER (1u << 4)   /* receive error (bad CRC, too long) */
#define MAC_INT_MD (1u << 5)     /* PHY management transaction done */
#define MAC_INT_PHY (1u << 6)
#define MAC_INT_ALL 0x7Fu
#define MAC_RCTL_RXEN (1u << 0)
#define MAC_RCTL_AMUL (1u << 1)  /* accept all multicast frames */
#define MAC_RCTL_PRMS (1u << 2)  /* promiscuous */
#define MAC_RCTL_BADCRC (1u << 3) /* reject frames with a bad CRC */
#define MAC_RCTL_RSTFIFO (1u << 4)
#define MAC_TCTL_TXEN (1u << 0)
#define MAC_TCTL_PADEN (1u << 1) /* pad short frames to 60 bytes */
#define MAC_TCTL_CRC (1u << 2)   /* append the CRC */
#define MAC_TCTL_DUPLEX (1u << 3)
#define MAC_TR_NEWTX (1u << 0)

#define FRAME_MAX 1518       /* largest frame taken (1514 + a VLAN tag) */
#define RX_BATCH 8           /* frames taken from the FIFO before the threads run */
#define RX_HEAD_BYTES 6u     /* a received frame's length field and CRC */

static struct netif nif;
static volatile uint32_t rx_errors; /* overruns and receive errors seen by the handler */
static uint32_t rx_errors_seen;     /* how many of them the counters have */

/* Interrupt: no lwIP here. Mask reception until the poller has emptied the
 * FIFO (it unmasks), count errors, wake the poller. */
void ETH_IRQHandler(void)
{
    uint32_t ris = MAC->RIS;
    if (ris & (MAC_INT_FOV | MAC_INT_RXER)) {
        MAC->IACK = ris & (MAC_INT_FOV | MAC_INT_RXER);
        rx_errors++;
    }
    if (ris & MAC_INT_RX)
        MAC->IM &= ~MAC_INT_RX;
    vt_net_kick_isr();
}

/* Read the rest of a received frame of @p words words into @p p (its
 * tot_len bytes; words beyond are read and dropped). @p first is the
 * frame's first word, already read. The pbufs of a chain hold a multiple
 * of 4 bytes each except the last, so words land whole. */
static void rx_copy(struct pbuf *p, uint32_t first, uint32_t words)
{
    uint32_t w = first;
    uint32_t left = words;
    for (struct pbuf *q = p; q != NULL && left > 0; q = q->next) {
        uint8_t *d = q->payload;
        uint32_t n = q->len;
        while (n >= 4 && left > 0) {
            memcpy(d, &w, 4);
            d += 4, n -= 4;
            if (--left > 0)
                w = MAC->DATA;
        }
        if (n > 0 && left > 0) { /* the last bytes: part of a word */
            memcpy(d, &w, n);
            if (--left > 0)
                w = MAC->DATA;
        }
    }
    while (left-- > 1) /* the CRC and anything past the pbuf */
        (void)MAC->DATA;
}

/* Drop the frame whose first word was read: its other words. */
static void rx_skip(uint32_t words)
{
    while (words-- > 1)
        (void)MAC->DATA;
}

/* Take every frame waiting in the FIFO, RX_BATCH at a time: between
 * batches the threads the frames woke run, read their data and free it, so
 * lwIP's heap holds a batch of frames, not a full FIFO's (the FIFO keeps
 * the rest meanwhile). */
void netdrv_poll(void)
{
    unsigned batch = 0;
    int lost = 0;
    MAC->IACK = MAC_INT_RX; /* a frame arriving from now on raises it again */
    while (MAC->NP > 0) {
        uint32_t first, len, words, frame;
        struct pbuf *p;
        if (++batch > RX_BATCH) {
            batch = 1;
            vt_yield();
        }
        first = MAC->DATA;
        len = first & 0xFFFFu; /* frame + 6 */
        words = (len + 3u) / 4u;
        frame = len - RX_HEAD_BYTES;
        if (len < RX_HEAD_BYTES + 14u || frame > FRAME_MAX) {
            rx_skip(words == 0 ? 1 : words); /* not a frame we can take */
            vt_net_counters.rx_dropped++;
            continue;
        }
        /* exact size from lwIP's heap: a connection that has not read its
         * few bytes yet holds a few bytes, not a full-size pool buffer */
        p = pbuf_alloc(PBUF_RAW, (u16_t)(frame + ETH_PAD_SIZE), PBUF_RAM);
        if (p == NULL)
            p = pbuf_alloc(PBUF_RAW, (u16_t)(frame + ETH_PAD_SIZE), PBUF_POOL);
        if (p == NULL) { /* the threads hold all memory: let them read, once */
            vt_yield();
            p = pbuf_alloc(PBUF_RAW, (u16_t)(frame + ETH_PAD_SIZE), PBUF_RAM);
        }
        if (p == NULL) { /* still none: the frame is dropped, the peer is asked again */
            rx_skip(words);
            vt_net_counters.rx_nomem++;
            lost = 1;
            continue;
        }
        rx_copy(p, first, words);
        vt_net_counters.rx_frames++;
        if (nif.input(p, &nif) != ERR_OK)
            pbuf_free(p);
    }
    {
        uint32_t e = rx_errors; /* the handler only counts up: no lock */
        vt_net_counters.rx_dropped += e - rx_errors_seen;
        lost |= e != rx_errors_seen;
        rx_errors_seen = e;
    }
    if (lost) /* their senders resend at once (net/tcp.c) */
        net_rx_overflow();
    MAC->IM |= MAC_INT_RX;
}

/* Transmit: the pbuf chain's bytes as words, the 2 pad bytes at its start
 * replaced by the length field. */
static err_t link_output(struct netif *n, struct pbuf *p)
{
    uint32_t frame = p->tot_len - ETH_PAD_SIZE, word = 0;
    unsigned fill = 0;
    int first = 1;
    (void)n;

    if (frame < 14 || frame > FRAME_MAX)
        return ERR_BUF;
    for (int i = 0; i < 100000 && (MAC->TR & MAC_TR_NEWTX); i++) {
        /* the previous frame is still going out (QEMU sends at once) */
    }
    if (MAC->TR & MAC_TR_NEWTX) {
        vt_net_counters.tx_busy++;
        return ERR_MEM;
    }
    for (struct pbuf *q = p; q != NULL; q = q->next) {
        const uint8_t *b = q->payload;
        uint32_t len = q->len;
        if (first) { /* the pad bytes carry the length: frame minus its header */
            if (len < ETH_PAD_SIZE)
                return ERR_BUF;
            word = frame - 14u;
            fill = 2;
            b += ETH_PAD_SIZE;
            len -= ETH_PAD_SIZE;
            first = 0;
        }
        while (len > 0 && fill != 0) { /* finish the word in progress */
            word |= (uint32_t)*b++ << (8 * fill);
            len--;
            if (++fill == 4) {
                MAC->DATA = word;
                word = 0;
                fill = 0;
            }
        }
        while (len >= 4) { /* whole words (the M3 loads unaligned words) */
            uint32_t w;
            memcpy(&w, b, 4);
            MAC->DATA = w;
            b += 4, len -= 4;
        }
        while (len > 0) {
            word |= (uint32_t)*b++ << (8 * fill);
            len--;
            fill++;
        }
    }
    if (fill != 0)
        MAC->DATA = word;
    MAC->TR = MAC_TR_NEWTX;
    vt_net_counters.tx_frames++;
    return ERR_OK;
}

static err_t if_init(struct netif *n)
{
    /* the station address: QEMU sets it from -nic ...,mac= (on the chip,
     * startup code copies it from the USER0/USER1 flash words) */
    uint32_t ia0 = MAC->IA0, ia1 = MAC->IA1;
    const uint8_t mac[6] = {(uint8_t)ia0, (uint8_t)(ia0 >> 8), (uint8_t)(ia0 >> 16),
                            (uint8_t)(ia0 >> 24), (uint8_t)ia1, (uint8_t)(ia1 >> 8)};
    net_netif_ethernet(n, mac, link_output);
    return ERR_OK;
}

void netdrv_default_config(vt_net_config_t *cfg) { net_qemu_user_config(cfg); }

int netdrv_start(const vt_net_config_t *cfg, struct netif **primary)
{
    ip4_addr_t any;
    MAC->IM = 0;
    MAC->IACK = MAC_INT_ALL;
    MAC->RCTL = MAC_RCTL_RSTFIFO; /* empty the receive FIFO, receiver off */
    MAC->RCTL = MAC_RCTL_BADCRC;
    MAC->TCTL = MAC_TCTL_PADEN | MAC_TCTL_CRC | MAC_TCTL_DUPLEX | MAC_TCTL_TXEN;
    ip4_addr_set_zero(&any);
    if (netif_add(&nif, &any, &any, &any, NULL, if_init, ethernet_input) == NULL)
        return VT_EIO;
    net_netif_configure(&nif, cfg);
    MAC->IM = MAC_INT_RX | MAC_INT_FOV | MAC_INT_RXER;
    MAC->RCTL = MAC_RCTL_BADCRC | MAC_RCTL_RXEN;
    board_irq_enable(ETH_IRQn);
    *primary = &nif;
    return 0;
}
