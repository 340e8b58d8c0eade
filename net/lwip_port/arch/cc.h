/* SPDX-License-Identifier: MIT */
/**
 * @file net/lwip_port/arch/cc.h
 * @brief lwIP compiler/platform glue for vthread (all boards).
 */
#ifndef VT_LWIP_ARCH_CC_H
#define VT_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

void vt_panic(const char *msg) __attribute__((noreturn));
uint32_t vt_net_rand(void);

#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) vt_panic(x)
#define LWIP_RAND() vt_net_rand()

#endif
