/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/stack.c
 * @brief Stack figures of a thread (diagnostics): size and high-water mark.
 * Apart from diag.c so that a program that asks for them does not link the
 * dump and its buffers; apart from sched.c since a shared-stack thread
 * (kernel/shared.c) whose frames are in a save area reports its run stack.
 */
#include "kernel.h"

size_t vt_thread_stack_size(const vt_thread_t *t)
{
    if ((t->flags & F_SHARED) && vt_kernel.shared != NULL) {
        size_t size, used, saved = 0;
        vt_kernel.shared->stack_info(t, &size, &used, &saved);
        if (saved)
            return size;
    }
    return (size_t)t->stack_units * 8u;
}

size_t vt_thread_stack_used(const vt_thread_t *t)
{
    /* not the guard word, nor an MPU guard region (it may be armed) */
    const uint8_t *p = (const uint8_t *)STACK_SCAN_START(t->stack_lo), *end;
    if (!VT_CONFIG_STACK_FILL)
        return 0;
    if ((t->flags & F_SHARED) && vt_kernel.shared != NULL) {
        size_t size, used, saved = 0;
        vt_kernel.shared->stack_info(t, &size, &used, &saved);
        if (saved)
            return used;
    }
    end = (const uint8_t *)t->stack_lo + (size_t)t->stack_units * 8u;
    while (p < end && *p == STACK_FILL)
        p++;
    return (size_t)(end - p);
}


void stack_check_isr(void)
{
    const struct stack_shadow *sh = &vt_kernel.shadow;
    /* the copy made at switch-in, not the struct the overflow may have hit;
     * a shared-stack thread's guard word is its run stack's (shared.c) */
    if (!VT_CONFIG_STACK_GUARD || !vt_kernel.in_thread || sh->thread != vt_kernel.current ||
        (sh->flags & F_SHARED) || sh->lo == NULL)
        return;
    if (*(const volatile uint32_t *)sh->lo != STACK_GUARD)
        vt_stack_overflow(vt_kernel.current);
}

int stack_struct_hit(const vt_thread_t *t)
{
    const struct stack_shadow *sh = &vt_kernel.shadow;
    if (!VT_CONFIG_DEBUG || t == NULL || sh->thread != t)
        return 0;
    if (t->name != sh->name)
        return 1;
    /* a shared-stack thread's stack fields change as it runs (shared.c) */
    return !(sh->flags & F_SHARED) && (t->stack_lo != sh->lo || t->stack_units != sh->units);
}

void *vt_stack_lo_unsafe(const vt_thread_t *t)
{
    const struct stack_shadow *sh = &vt_kernel.shadow;
    if (VT_CONFIG_DEBUG && t == sh->thread && !(sh->flags & F_SHARED))
        return sh->lo;
    return t->stack_lo;
}

vt_thread_t *vt_stack_owner_unsafe(void)
{
    /* between leaving the ring and the switch (run_next(), service()),
     * vt_kernel.current is already the next thread while the old one still
     * runs on its own stack, under its MPU region: debug builds know it */
    if (VT_CONFIG_DEBUG && vt_kernel.in_thread && vt_kernel.shadow.thread != NULL)
        return (vt_thread_t *)vt_kernel.shadow.thread;
    return vt_current_unsafe();
}
