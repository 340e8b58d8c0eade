/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fuzz/fuzz_check.h
 * @brief An oracle's failed check stops the fuzzer with a report (it saves
 * the input that did it).
 */
#ifndef VT_FUZZ_CHECK_H
#define VT_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                              \
        }                                                                         \
    } while (0)

#endif
