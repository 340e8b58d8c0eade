/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/config.c
 * @brief The library's half of the link-time option check (vt/thread.h):
 * it defines the names that objects compiled with the library's own values
 * refer to, so an application compiled with other values finds its name
 * undefined and the link stops naming the option. Absolute symbols: they
 * take no byte of the image.
 */
/* This object defines the names; it does not refer to them itself (on
 * AArch64 a reference to an absolute symbol of the same object is
 * assembled to a relocation against no symbol, which ld refuses). */
#define VT_CONFIG_LINK_CHECK 0
#include "kernel.h"

/* Each name reads "<opt> is <v> in the application but <!v> in the
 * library": the text of the failure when missing; defined here for v equal
 * to the library's value, where it is never shown. */
#define DEFINE_CHECK(name) __asm__(".globl " name "\n\t.set " name ", 0")

DEFINE_CHECK(VT_CONFIG_CHECK_DEBUG);
DEFINE_CHECK(VT_CONFIG_CHECK_REGISTRY);
DEFINE_CHECK(VT_CONFIG_CHECK_STATS);
