/* SPDX-License-Identifier: MIT */
/**
 * @file net/drivers/virtio_mmio.h
 * @brief What the virtio-mmio drivers share (virtio_net.c, the riscv32-virt
 * board's virtio_rng.c): the slots of QEMU's virt machine, the register
 * offsets and status bits (virtio 1.1 spec, sections 4.2.2 modern and 4.2.4
 * legacy), finding a device and the first steps of its initialisation.
 */
#ifndef VT_NET_DRIVERS_VIRTIO_MMIO_H
#define VT_NET_DRIVERS_VIRTIO_MMIO_H

#include <stdint.h>

/* QEMU's virt machine: eight slots, PLIC interrupt slot + 1; the first
 * `-device` lands in the highest one, so drivers look at every slot. */
#define VIRTIO_MMIO_BASE 0x10001000u
#define VIRTIO_MMIO_STRIDE 0x1000u
#define VIRTIO_MMIO_SLOTS 8
#define VIRTIO_MAGIC 0x74726976u /* "virt" */

/* register offsets */
#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEVICE_FEATURES 0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES 0x020
#define DRIVER_FEATURES_SEL 0x024
#define GUEST_PAGE_SIZE 0x028 /* legacy */
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_ALIGN 0x03C /* legacy */
#define QUEUE_PFN 0x040   /* legacy */
#define QUEUE_READY 0x044 /* modern */
#define QUEUE_NOTIFY 0x050
#define INTERRUPT_STATUS 0x060
#define INTERRUPT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC_LOW 0x080 /* modern, each followed by its HIGH half */
#define QUEUE_DRIVER_LOW 0x090
#define QUEUE_DEVICE_LOW 0x0A0
#define CONFIG 0x100

/* Status bits */
#define S_ACKNOWLEDGE 1u
#define S_DRIVER 2u
#define S_DRIVER_OK 4u
#define S_FEATURES_OK 8u
#define S_FAILED 128u

#define F_VERSION_1 0 /* feature word 1 (bit 32) */
#define DESC_F_WRITE 2u

#define VIRTIO_REG(base, off) (*(volatile uint32_t *)((base) + (off)))

/** @brief The slot of the first device with ID @p id (1 net, 4 entropy), or -1. */
static inline int virtio_mmio_find(uint32_t id)
{
    for (int i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        uintptr_t slot = VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * (unsigned)i;
        uint32_t ver = VIRTIO_REG(slot, VERSION);
        if (VIRTIO_REG(slot, MAGIC) == VIRTIO_MAGIC && (ver == 1 || ver == 2) &&
            VIRTIO_REG(slot, DEVICE_ID) == id)
            return i;
    }
    return -1;
}

/**
 * @brief Reset the device at @p base and negotiate: the driver takes
 * @p features of the device's feature word 0, and on a modern device
 * VERSION_1 (then FEATURES_OK); a legacy device is told its guest page
 * size @p page. @return what was accepted of @p features, or -1 (the device
 * is marked FAILED)
 */
static inline int64_t virtio_mmio_begin(uintptr_t base, uint32_t features, uint32_t page)
{
    uint32_t feat;
    VIRTIO_REG(base, STATUS) = 0; /* reset */
    VIRTIO_REG(base, STATUS) = S_ACKNOWLEDGE;
    VIRTIO_REG(base, STATUS) = S_ACKNOWLEDGE | S_DRIVER;
    VIRTIO_REG(base, DEVICE_FEATURES_SEL) = 0;
    feat = VIRTIO_REG(base, DEVICE_FEATURES) & features;
    VIRTIO_REG(base, DRIVER_FEATURES_SEL) = 0;
    VIRTIO_REG(base, DRIVER_FEATURES) = feat;
    if (VIRTIO_REG(base, VERSION) == 2) {
        VIRTIO_REG(base, DEVICE_FEATURES_SEL) = 1;
        if (!(VIRTIO_REG(base, DEVICE_FEATURES) & (1u << F_VERSION_1)))
            goto fail;
        VIRTIO_REG(base, DRIVER_FEATURES_SEL) = 1;
        VIRTIO_REG(base, DRIVER_FEATURES) = 1u << F_VERSION_1;
        VIRTIO_REG(base, STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
        if (!(VIRTIO_REG(base, STATUS) & S_FEATURES_OK))
            goto fail;
    } else {
        VIRTIO_REG(base, GUEST_PAGE_SIZE) = page;
    }
    return feat;
fail:
    VIRTIO_REG(base, STATUS) = VIRTIO_REG(base, STATUS) | S_FAILED;
    return -1;
}

#endif
