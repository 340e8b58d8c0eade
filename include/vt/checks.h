/* SPDX-License-Identifier: MIT */
/**
 * @file vt/checks.h
 * @brief Stops invalid option combinations at compile time.
 */
#ifndef VT_CHECKS_H
#define VT_CHECKS_H

#include "vt/config.h"

#if VT_CONFIG_DEBUG != 0 && VT_CONFIG_DEBUG != 1
#error "VT_CONFIG_DEBUG must be 0 or 1"
#endif
#if VT_CONFIG_LINK_CHECK != 0 && VT_CONFIG_LINK_CHECK != 1
#error "VT_CONFIG_LINK_CHECK must be 0 or 1"
#endif
#if VT_CONFIG_STACK_MIN < 32
#error "VT_CONFIG_STACK_MIN below 32 bytes leaves no room for any call frame"
#endif
#if VT_CONFIG_STACK_GUARD != 0 && VT_CONFIG_STACK_GUARD != 1
#error "VT_CONFIG_STACK_GUARD must be 0 or 1"
#endif
#if VT_CONFIG_STACK_FILL != 0 && VT_CONFIG_STACK_FILL != 1
#error "VT_CONFIG_STACK_FILL must be 0 or 1"
#endif
#if VT_CONFIG_SPAWN_SLOTS < 0 || VT_CONFIG_SPAWN_SLOTS > 65535
#error "VT_CONFIG_SPAWN_SLOTS must be between 0 and 65535"
#endif
#if VT_CONFIG_SPAWN_SLOTS > 0 && VT_CONFIG_SPAWN_STACK < VT_CONFIG_STACK_MIN
#error "VT_CONFIG_SPAWN_STACK is smaller than VT_CONFIG_STACK_MIN"
#endif
#if VT_CONFIG_SPAWN_STACK % 8 != 0
#error "VT_CONFIG_SPAWN_STACK must be a multiple of 8 (stack alignment)"
#endif
#if VT_CONFIG_SPAWN_STACK >= 524288
#error "VT_CONFIG_SPAWN_STACK must be below 512 KiB (stack sizes are kept in 8-byte units in 16 bits)"
#endif
#if VT_CONFIG_THREAD_STATS != 0 && VT_CONFIG_THREAD_STATS != 1
#error "VT_CONFIG_THREAD_STATS must be 0 or 1"
#endif

#if VT_CONFIG_REGISTRY != 0 && VT_CONFIG_REGISTRY != 1
#error "VT_CONFIG_REGISTRY must be 0 or 1"
#endif
#if VT_CONFIG_HOG_MS < 0
#error "VT_CONFIG_HOG_MS must be 0 (off) or a budget in milliseconds"
#endif
#if VT_CONFIG_HOG_ACTION != VT_HOG_WARN && VT_CONFIG_HOG_ACTION != VT_HOG_ABORT
#error "VT_CONFIG_HOG_ACTION must be VT_HOG_WARN or VT_HOG_ABORT"
#endif
#if VT_CONFIG_MPU_GUARD != 0 && VT_CONFIG_MPU_GUARD != 1
#error "VT_CONFIG_MPU_GUARD must be 0 or 1"
#endif

#if VT_CONFIG_OFFLOAD_QUEUE < 1 || VT_CONFIG_OFFLOAD_QUEUE > 65535
#error "VT_CONFIG_OFFLOAD_QUEUE must be between 1 and 65535"
#endif
#if VT_CONFIG_OFFLOAD_STACK < 512 || VT_CONFIG_OFFLOAD_STACK > 65520 || VT_CONFIG_OFFLOAD_STACK % 16 != 0
#error "VT_CONFIG_OFFLOAD_STACK must be a multiple of 16 from 512 (a full register frame plus frames) to 65520"
#endif
#if VT_CONFIG_OFFLOAD_THREADS < 1
#error "VT_CONFIG_OFFLOAD_THREADS must be at least 1"
#endif

#endif /* VT_CHECKS_H */
