/* SPDX-License-Identifier: MIT */
/**
 * @file tests/harness.h
 * @brief Minimal test harness shared by every test binary: one line per
 * case, a final "N passed, N failed" line, non-zero exit on failure.
 *
 * Each case runs as the body of a vthread (so it may block), started by
 * run_case() from main, which then runs the scheduler until every thread
 * of the case has exited.
 */
#ifndef VT_TESTS_HARNESS_H
#define VT_TESTS_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "vt/vt.h"

extern int harness_case_failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            printf("  check failed: %s (%s:%d, thread %s)\n", #cond, __FILE__,       \
                   __LINE__, vt_thread_name(vt_self()));                             \
            harness_case_failures++;                                                 \
        }                                                                            \
    } while (0)

/* Reports a failed CHECK_EQ. Out of line: at -O0 GCC gives every check's
 * locals a stack slot of their own, so buffers in the macro would grow each
 * case's frame by dozens of bytes per check. */
void harness_check_eq_failed(const char *a, const char *b, long long av, long long bv,
                             const char *file, int line);

#define CHECK_EQ(a, b)                                                               \
    do {                                                                             \
        long long a_ = (long long)(a), b_ = (long long)(b);                          \
        if (a_ != b_)                                                                \
            harness_check_eq_failed(#a, #b, a_, b_, __FILE__, __LINE__);             \
    } while (0)

/* token sequences: threads append one character each, the case compares */
void tok(char c);
void tok_reset(void);
const char *tok_get(void);
#define CHECK_TOKENS(expect)                                                         \
    do {                                                                             \
        if (strcmp(tok_get(), (expect)) != 0) {                                      \
            printf("  tokens \"%s\", expected \"%s\" (%s:%d)\n", tok_get(), (expect), \
                   __FILE__, __LINE__);                                              \
            harness_case_failures++;                                                 \
        }                                                                            \
    } while (0)

/** When set (from the command line), run_case() runs only the case of this name. */
extern const char *harness_only;

/** Run one case: @p body runs in a fresh vthread with a large stack. */
void run_case(const char *name, int (*body)(void *));
/** Run one case in the calling vthread (suites whose cases share
 *  long-lived threads, such as the network poller). */
void run_inline_case(const char *name, int (*body)(void *));
/** Print the summary line and return the process exit code. */
int harness_finish(void);

#endif
