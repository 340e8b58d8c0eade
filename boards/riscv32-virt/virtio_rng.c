/**
 * @file boards/riscv32-virt/virtio_rng.c
 * @brief Entropy for TLS from a virtio entropy device on a virtio-mmio slot
 * (QEMU: `-device virtio-rng-device`; the riscv32-virt boards).
 *
 * The device has one queue (requestq): the driver posts a device-writable
 * buffer, the device fills it with random bytes from the host (QEMU's
 * rng-builtin backend: the host's getrandom) and returns it with the
 * number of bytes written. No interrupt: requests are rare (TLS seeding
 * and one per handshake), so the calling thread polls the used ring,
 * sleeping a millisecond between looks, at most a second. Both register
 * layouts are driven, legacy (QEMU's default) and modern, as in
 * net/drivers/virtio_net.c; registers per the virtio 1.1 spec, sections
 * 4.2.2 and 4.2.4, device 5.4.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tls/entropy.h"
#include "vt/tls.h"
#include "vt/vt.h"

#define VIRTIO_MMIO_BASE 0x10001000u
#define VIRTIO_MMIO_STRIDE 0x1000u
#define VIRTIO_MMIO_SLOTS 8
#define VIRTIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_DEV_RNG 4

#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEVICE_FEATURES 0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES 0x020
#define DRIVER_FEATURES_SEL 0x024
#define GUEST_PAGE_SIZE 0x028
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_ALIGN 0x03C
#define QUEUE_PFN 0x040
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define STATUS 0x070
#define QUEUE_DESC_LOW 0x080
#define QUEUE_DRIVER_LOW 0x090
#define QUEUE_DEVICE_LOW 0x0A0

#define S_ACKNOWLEDGE 1u
#define S_DRIVER 2u
#define S_DRIVER_OK 4u
#define S_FEATURES_OK 8u
#define S_FAILED 128u
#define F_VERSION_1 0 /* word 1 */
#define DESC_F_WRITE 2u
#define CHUNK 64u     /* bytes asked per request */

/* One descriptor. Legacy layout with a 64-byte "page" and 4-byte ring
 * alignment (GuestPageSize and QueueAlign are the driver's to choose), so
 * the queue takes 40 bytes instead of two 4 KB pages; the modern layout
 * takes the three addresses as they are. */
#define VQ_PAGE 64u
#define VQ_ALIGN 4u
static struct {
    struct {
        uint64_t addr;
        uint32_t len;
        uint16_t flags, next;
    } desc[1];
    struct {
        uint16_t flags, idx, ring[1], used_event;
    } avail;
    struct {
        uint16_t flags, idx;
        struct {
            uint32_t id, len;
        } ring[1];
        uint16_t avail_event;
    } used __attribute__((aligned(VQ_ALIGN)));
} vq __attribute__((aligned(VQ_PAGE)));

_Static_assert(offsetof(__typeof__(vq), used) == 24, "used ring right after the avail ring");

static uint8_t chunk[CHUNK];
static uintptr_t base;
static int state; /* 0: not probed, 1: ready, -1: no device */
static uint16_t last_used;

#define R(off) (*(volatile uint32_t *)(base + (off)))

static inline void mb(void) { __asm volatile("fence iorw, iorw" ::: "memory"); }

static int probe(void)
{
    for (int i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        volatile uint32_t *r = (volatile uint32_t *)(VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * (unsigned)i);
        uint32_t ver = r[VERSION / 4];
        if (r[MAGIC / 4] == VIRTIO_MAGIC && (ver == 1 || ver == 2) &&
            r[DEVICE_ID / 4] == VIRTIO_DEV_RNG) {
            base = VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * (unsigned)i;
            return 0;
        }
    }
    return -1;
}

static int device_init(void)
{
    int modern = R(VERSION) == 2;
    R(STATUS) = 0;
    R(STATUS) = S_ACKNOWLEDGE;
    R(STATUS) = S_ACKNOWLEDGE | S_DRIVER;
    R(DRIVER_FEATURES_SEL) = 0;
    R(DRIVER_FEATURES) = 0; /* the entropy device has no features of its own */
    if (modern) {
        R(DEVICE_FEATURES_SEL) = 1;
        if (!(R(DEVICE_FEATURES) & (1u << F_VERSION_1)))
            goto fail;
        R(DRIVER_FEATURES_SEL) = 1;
        R(DRIVER_FEATURES) = 1u << F_VERSION_1;
        R(STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
        if (!(R(STATUS) & S_FEATURES_OK))
            goto fail;
    } else {
        R(GUEST_PAGE_SIZE) = VQ_PAGE;
    }
    memset(&vq, 0, sizeof vq);
    R(QUEUE_SEL) = 0;
    if (R(QUEUE_NUM_MAX) < 1 || (modern && R(QUEUE_READY) != 0))
        goto fail;
    R(QUEUE_NUM) = 1;
    if (modern) {
        R(QUEUE_DESC_LOW) = (uint32_t)(uintptr_t)vq.desc;
        R(QUEUE_DESC_LOW + 4) = 0;
        R(QUEUE_DRIVER_LOW) = (uint32_t)(uintptr_t)&vq.avail;
        R(QUEUE_DRIVER_LOW + 4) = 0;
        R(QUEUE_DEVICE_LOW) = (uint32_t)(uintptr_t)&vq.used;
        R(QUEUE_DEVICE_LOW + 4) = 0;
        R(QUEUE_READY) = 1;
    } else {
        R(QUEUE_ALIGN) = VQ_ALIGN;
        R(QUEUE_PFN) = (uint32_t)((uintptr_t)&vq / VQ_PAGE);
    }
    R(STATUS) = R(STATUS) | S_DRIVER_OK;
    return 0;
fail:
    R(STATUS) = R(STATUS) | S_FAILED;
    return -1;
}

/* One request: up to CHUNK bytes into chunk[]. @return bytes, or < 0 */
static int request(void)
{
    vq.desc[0].addr = (uintptr_t)chunk;
    vq.desc[0].len = CHUNK;
    vq.desc[0].flags = DESC_F_WRITE;
    vq.avail.ring[0] = 0;
    mb();
    *(volatile uint16_t *)&vq.avail.idx = (uint16_t)(vq.avail.idx + 1);
    mb();
    R(QUEUE_NOTIFY) = 0;
    for (int waited = 0; *(volatile uint16_t *)&vq.used.idx == last_used; waited++) {
        if (waited >= 1000)
            return -1; /* a second without an answer */
        if (vt_sleep(1) == VT_EPERM) { /* not in a thread: spin a little instead */
            for (volatile int i = 0; i < 10000; i++)
                ;
        }
    }
    mb();
    last_used++;
    return (int)vq.used.ring[0].len;
}

enum board_entropy_kind board_entropy_kind(const char **name)
{
    if (state == 0)
        state = probe() == 0 && device_init() == 0 ? 1 : -1;
    if (state < 0) {
        *name = "no virtio entropy device (QEMU: -device virtio-rng-device)";
        return BOARD_ENTROPY_NONE;
    }
    *name = "virtio-rng";
    return BOARD_ENTROPY_HARDWARE;
}

int board_entropy_read(void *buf, size_t len)
{
    uint8_t *p = buf;
    const char *name;
    if (state == 0)
        board_entropy_kind(&name);
    if (state < 0)
        return VT_ETLS_NOENTROPY;
    while (len > 0) {
        int n = request();
        if (n <= 0)
            return VT_ETLS_NOENTROPY;
        if ((size_t)n > len)
            n = (int)len;
        memcpy(p, chunk, (size_t)n);
        memset(chunk, 0, sizeof chunk);
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
