/* SPDX-License-Identifier: MIT */
/* sizeof(vt_thread_t) with the registry on (VT_CONFIG_REGISTRY=1), the rest
 * as in the benchmark's release build: reported by bench_kernel. */
#define VT_CONFIG_LINK_CHECK 0 /* sizeof only: no thread of this layout is made */
#define VT_CONFIG_REGISTRY 1
#include "vt/thread.h"
extern const unsigned bench_struct_bytes_registry;
const unsigned bench_struct_bytes_registry = sizeof(vt_thread_t);
