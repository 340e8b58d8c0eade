/* SPDX-License-Identifier: MIT */
/**
 * @file net/tls/entropy.h
 * @brief The board's entropy source for TLS: the two hooks a board that
 * builds the TLS layer provides (one source linked per board, chosen by
 * VT_ENTROPY in its board.cmake, as VT_NET_DRIVER chooses the NIC driver).
 *
 *   virtio_rng  boards/riscv32-virt/virtio_rng.c: QEMU's virtio entropy device on
 *               a virtio-mmio slot (`-device virtio-rng-device`); fresh
 *               bytes on every call (riscv32-virt)
 *   host_seed   boards/common/entropy_host_seed.c: a seed the host gives
 *               at boot on the semihosting command line (`seed=<hex>`),
 *               for tests on emulated boards that have no random generator
 *               (the MPS2 and LM3S models); handed out once, announced as a
 *               test seed
 *   (none)      the board has no source: TLS refuses to start
 *
 * net/tls.c seeds its HMAC_DRBG from the source once, and with a hardware
 * source mixes fresh bytes in before every handshake.
 */
#ifndef VT_NET_TLS_ENTROPY_H
#define VT_NET_TLS_ENTROPY_H

#include <stddef.h>

/** What board_entropy_kind() reports. */
enum board_entropy_kind {
    BOARD_ENTROPY_NONE = 0,      /**< no source: TLS cannot run */
    BOARD_ENTROPY_HARDWARE = 1,  /**< a random generator: fresh bytes on every read */
    BOARD_ENTROPY_TEST_SEED = 2, /**< a seed from the host for tests, read once */
};

/**
 * @brief The board's entropy source, and its name for the log in @p name
 * (e.g. "virtio-rng"). A test seed source that was given no seed reports
 * BOARD_ENTROPY_NONE, its name saying what is missing.
 */
enum board_entropy_kind board_entropy_kind(const char **name);

/**
 * @brief Fill @p buf with @p len unpredictable bytes (thread context).
 * A test seed hands each of its bytes out once.
 * @return 0, or a negative code when the source failed or ran out
 */
int board_entropy_read(void *buf, size_t len);

#endif
