/* SPDX-License-Identifier: MIT */
/* sizeof(vt_thread_t) with the debug build's defaults (VT_CONFIG_REGISTRY and
 * VT_CONFIG_THREAD_STATS on): reported by bench_kernel. */
#define VT_CONFIG_LINK_CHECK 0 /* sizeof only: no thread of this layout is made */
#define VT_CONFIG_REGISTRY 1
#define VT_CONFIG_THREAD_STATS 1
#include "vt/thread.h"
extern const unsigned bench_struct_bytes_debug;
const unsigned bench_struct_bytes_debug = sizeof(vt_thread_t);
