/* SPDX-License-Identifier: MIT */
/**
 * @file tests/config_mismatch.c
 * @brief An application compiled with another value of a layout option
 * than the library it links (FLIP=VT_CONFIG_DEBUG or VT_CONFIG_REGISTRY):
 * the link must fail, naming the option (tests/CMakeLists.txt builds it and
 * matches the linker's message). Never runs.
 */
#if FLIP_DEBUG
#if VT_CONFIG_DEBUG
#undef VT_CONFIG_DEBUG
#define VT_CONFIG_DEBUG 0 /* as if built with other flags than the library */
#else
#undef VT_CONFIG_DEBUG
#define VT_CONFIG_DEBUG 1
#endif
#endif

#include "vt/config.h"

#if FLIP_REGISTRY
#if VT_CONFIG_REGISTRY
#undef VT_CONFIG_REGISTRY
#define VT_CONFIG_REGISTRY 0
#else
#undef VT_CONFIG_REGISTRY
#define VT_CONFIG_REGISTRY 1
#endif
#endif

#include <stdio.h>

#include "vt/vt.h"

static vt_thread_t t;
static uint8_t stack[VT_STACK_SIZE(256)] __attribute__((aligned(16)));

static int entry(void *arg) { return 0; }

int main(void)
{
    /* with the mismatch linked, sizeof t would disagree with the kernel's */
    vt_thread_create(&t, stack, sizeof stack, "app", entry, NULL, 0);
    vt_run();
    printf("0 passed, 1 failed\n");
    return 1;
}
