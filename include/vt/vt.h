/* SPDX-License-Identifier: MIT */
/**
 * @file vt/vt.h
 * @brief Everything an application needs: threads, primitives, interrupt
 * work, memory pool, worker pool, group, shared stacks, offload.
 */
#ifndef VT_VT_H
#define VT_VT_H

#include "vt/thread.h"
#include "vt/sync.h"
#include "vt/isr.h"
#include "vt/mempool.h"
#include "vt/pool.h"
#include "vt/shared.h"
#include "vt/offload.h"

#endif /* VT_VT_H */
