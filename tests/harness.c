/* SPDX-License-Identifier: MIT */
#include "harness.h"

#include <stdint.h>

#ifndef HARNESS_STACK
#if defined(__SANITIZE_ADDRESS__)
#define HARNESS_STACK 65536
#elif defined(VT_TEST_TINY_RAM) && !defined(__OPTIMIZE__)
#define HARNESS_STACK 1536 /* 16 KB boards at -O0: printf's frames and the cases' grow */
#elif defined(VT_TEST_TINY_RAM)
#define HARNESS_STACK 1024 /* 16 KB boards: enough for newlib-nano's printf */
#else
#define HARNESS_STACK 8192
#endif
#endif

int harness_case_failures;
static int passed, failed;
#ifdef VT_TEST_TINY_RAM
static char toks[64];
#else
static char toks[512];
#endif
static unsigned ntok;
static vt_thread_t case_thread;
static uint8_t case_stack[HARNESS_STACK] __attribute__((aligned(16)));

void tok(char c)
{
    if (ntok + 1 < sizeof toks)
        toks[ntok++] = c;
    toks[ntok] = 0;
}
void tok_reset(void) { ntok = 0, toks[0] = 0; }
const char *tok_get(void) { return toks; }

/* A long long in decimal without printf's %lld, which newlib's small
 * printf lacks (it printed "ld" and took the next arguments out of step). */
static const char *lld(char buf[24], long long v)
{
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    char *p = buf + 23;
    *p = '\0';
    do {
        *--p = (char)('0' + u % 10u);
        u /= 10u;
    } while (u != 0);
    if (v < 0)
        *--p = '-';
    return p;
}

void harness_check_eq_failed(const char *a, const char *b, long long av, long long bv,
                             const char *file, int line)
{
    char abuf[24], bbuf[24];
    printf("  check failed: %s == %s (%s != %s) (%s:%d, thread %s)\n", a, b, lld(abuf, av),
           lld(bbuf, bv), file, line, vt_thread_name(vt_self()));
    harness_case_failures++;
}

const char *harness_only;

void run_case(const char *name, int (*body)(void *))
{
    int rc, code = 0;
    if (harness_only != NULL && strcmp(name, harness_only) != 0)
        return;
    harness_case_failures = 0;
    tok_reset();
#ifdef TEST_SHARED_STACKS
    /* the case thread alone on its run stack: never copied out, so the
     * cases may hand their locals to the threads they start */
    {
        static vt_runstack_t case_rs;
        rc = vt_runstack_init(&case_rs, case_stack, sizeof case_stack);
        if (rc == 0)
            rc = vt_thread_create_shared(&case_thread, &case_rs, name, body, NULL, 0);
    }
#else
    rc = vt_thread_create(&case_thread, case_stack, sizeof case_stack, name, body, NULL, 0);
#endif
    if (rc != 0) {
        printf("  cannot start case: %s\n", vt_strerror(rc));
        harness_case_failures++;
    } else {
        vt_run();
        rc = vt_thread_join(&case_thread, &code, VT_NOWAIT);
        if (rc != 0) {
            printf("  case thread not joinable: %s\n", vt_strerror(rc));
            harness_case_failures++;
        } else if (code != 0) {
            printf("  case returned %d\n", code);
            harness_case_failures++;
        }
    }
    if (vt_thread_count() != 0) {
        printf("  %u threads still alive after the case\n", vt_thread_count());
        harness_case_failures++;
    }
    if (harness_case_failures == 0) {
        passed++;
        printf("ok   %s\n", name);
    } else {
        failed++;
        printf("FAIL %s\n", name);
    }
}

int harness_finish(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    return failed == 0 ? 0 : 1;
}

void run_inline_case(const char *name, int (*body)(void *))
{
    int code;
    harness_case_failures = 0;
    tok_reset();
    code = body(NULL);
    if (code != 0) {
        printf("  case returned %d\n", code);
        harness_case_failures++;
    }
    if (harness_case_failures == 0) {
        passed++;
        printf("ok   %s\n", name);
    } else {
        failed++;
        printf("FAIL %s\n", name);
    }
}
