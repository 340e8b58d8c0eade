/**
 * @file net/drivers/lan9118.c
 * @brief SMSC LAN9118 Ethernet (the MPS2 boards in QEMU).
 *
 * QEMU's model has a small receive FIFO (about 10 KB, 176 status entries)
 * and no back-pressure: frames that do not fit are dropped, and slirp then
 * retransmits only after a second or more. So the interrupt handler drains
 * the FIFO at once into a ring of frame buffers owned by this driver (no
 * lwIP call in the handler), and the poller thread turns them into pbufs.
 * The ring is single-producer (the handler) single-consumer (the poller).
 *
 * Registers (offsets from BOARD_LAN9118_BASE) per the datasheet and QEMU's
 * hw/net/lan9118.c; see ../shared/reference/qemu-and-lwip.md.
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

#define INT_RSFL (1u << 3)
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
#define MAC_CR 1
#define MAC_ADDRH 2
#define MAC_ADDRL 3
#define MAC_CR_RXEN (1u << 2)
#define MAC_CR_TXEN (1u << 3)
#define MAC_CR_FDPX (1u << 20)     /* full duplex */

#define LAN9118_RX_SLOTS VT_NET_RX_FRAMES /* vt/net_config.h */
#define FRAME_MAX 1536

static struct netif nif;
static struct {
    uint16_t len;
    uint32_t data[FRAME_MAX / 4];
} rx_ring[LAN9118_RX_SLOTS];
static volatile uint32_t rx_head, rx_tail; /* head: handler, tail: poller */
static volatile uint32_t rx_overruns;

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

/* Interrupt: move every complete frame out of the device FIFO. */
void lan9118_isr(void);
void lan9118_isr(void)
{
    R(INT_STS) = INT_RSFL;
    while ((R(RX_FIFO_INF) >> 16) & 0xFFu) {
        uint32_t status = R(RX_STATUS);
        uint32_t len = (status >> 16) & 0x3FFFu; /* includes the 4-byte CRC */
        uint32_t words = (len + 3u) / 4u;
        uint32_t h = rx_head;
        int ok = !(status & (1u << 15)) && len >= 18 && len <= FRAME_MAX &&
                 h - rx_tail < LAN9118_RX_SLOTS;
        if (ok) {
            uint32_t *d = rx_ring[h % LAN9118_RX_SLOTS].data;
            for (uint32_t i = 0; i < words; i++)
                d[i] = R(RX_DATA);
            rx_ring[h % LAN9118_RX_SLOTS].len = (uint16_t)(len - 4u);
            __asm volatile("" ::: "memory");
            rx_head = h + 1;
        } else {
            rx_overruns++;
            for (uint32_t i = 0; i < words; i++)
                (void)R(RX_DATA);
        }
    }
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
    vt_net_counters.tx_frames++;
    return ERR_OK;
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
    uint32_t t = rx_tail;
    while (t != rx_head) {
        uint32_t len = rx_ring[t % LAN9118_RX_SLOTS].len;
        /* exact-size from lwIP's heap: a connection that has not read its
         * few bytes yet holds a few bytes, not a full-size pool buffer */
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        if (p == NULL)
            p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
        if (p != NULL) {
            pbuf_take(p, rx_ring[t % LAN9118_RX_SLOTS].data, (u16_t)len);
            vt_net_counters.rx_frames++;
            if (nif.input(p, &nif) != ERR_OK)
                pbuf_free(p);
        } else {
            vt_net_counters.rx_dropped++;
        }
        t++;
        __asm volatile("" ::: "memory");
        rx_tail = t;
    }
    if (rx_overruns != 0) {
        vt_net_counters.rx_dropped += rx_overruns;
        rx_overruns = 0;
    }
}
