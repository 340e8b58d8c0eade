/* SPDX-License-Identifier: MIT */
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

#include "drivers/virtio_mmio.h"
#include "tls/entropy.h"
#include "vt/tls.h"
#include "vt/vt.h"

#define VIRTIO_DEV_RNG 4
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

static int device_init(void)
{
    int modern = R(VERSION) == 2;
    /* the entropy device has no features of its own */
    if (virtio_mmio_begin(base, 0, VQ_PAGE) < 0)
        return -1;
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
    if (state == 0) {
        int slot = virtio_mmio_find(VIRTIO_DEV_RNG);
        if (slot >= 0)
            base = VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * (unsigned)slot;
        state = slot >= 0 && device_init() == 0 ? 1 : -1;
    }
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
