/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/shared.c
 * @brief Shared-stack threads: a group of threads runs on one run stack, and
 * a suspended thread keeps only its live stack (sp to top) in a save area
 * sized to fit. See docs/shared-stacks.md.
 *
 * How it plugs in without touching the dedicated-stack switch path:
 *
 * - A thread whose frames are on its run stack (its "resident" state) is
 *   switched exactly like a dedicated one: its saved sp is real, its
 *   stack_lo is the run stack's guard word.
 * - A thread whose frames were copied out ("saved") has, as its sp, the
 *   saved sp of the *copier*: a context with a stack of its own, suspended in
 *   arch_switch() at the same depth every time, so that value never
 *   changes. Switching to a saved thread therefore resumes the copier (the
 *   scheduler has already made the thread vt_kernel.current). The copier moves the
 *   run stack's resident thread out to a save area if there is one, copies
 *   the target's frames back to the top of the run stack, frees its save
 *   area, and switches into it. switch_to() and the ports never know.
 * - Copies happen only while nothing runs on the run stack: every thread
 *   of the group is suspended, the copier runs on its own stack. A thread
 *   that resumes on a run stack nobody else used meanwhile is not copied.
 * - A run stack's owner is NULL or the thread whose live frames are on it:
 *   set when the copier brings a thread in, cleared when that thread exits
 *   or is released. So the copier needs no other test to know whether it
 *   must move frames out first.
 *
 * While saved, the thread struct's stack_lo points to the save area and
 * stack_units holds the saved length in 4-byte units; the save area starts
 * with its run stack's address. So the struct keeps its size.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
/* frames of other threads carry ASan redzones: touch them as raw memory */
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define NO_ASAN
#endif

#ifndef VT_CONFIG_SHARED_COPIER_STACK
#define VT_CONFIG_SHARED_COPIER_STACK VT_ARCH_COPIER_STACK /* the port's figure */
#endif

/* Header of a save area; the saved stack image follows it. */
typedef struct save {
    vt_runstack_t *rs;
} save_t;
#define HDR sizeof(save_t)

/* Size classes: 8-byte steps to 256 bytes (32 classes), then 384, 512, 768,
 * 1024, ... (two per power of two) up to 256 KB plus the header. */
#define NCLASS 52

static struct {
    void *g;                /* the copier's saved sp: every saved thread's sp */
    void *g0;               /* its first value (debug: it must never change) */
    void *prime_sp;         /* context that started the copier */
    vt_runstack_t *stacks;  /* every run stack */
    uint8_t *bump, *end;    /* arena: not yet carved */
    size_t arena_size;
    void *free_list[NCLASS];
    size_t saved_bytes, live_bytes;
    unsigned saved_threads;
    uint32_t saves, restores;  /* copies out, copies in */
    uint32_t swaps;            /* exchanges: one save and one restore each */
} S;

static uint8_t copier_stack[VT_CONFIG_SHARED_COPIER_STACK]
    __attribute__((aligned(16)));

static inline __attribute__((always_inline)) size_t class_size(unsigned c)
{
    if (c < 32)
        return (size_t)(c + 1) * 8u;
    c -= 32;
    return (c & 1) ? (size_t)2 << (8 + c / 2) : (size_t)3 << (7 + c / 2);
}

static inline __attribute__((always_inline)) unsigned class_of(size_t n)
{
    unsigned c;
    if (n <= 256)
        return (unsigned)((n + 7) / 8) - 1u;
    for (c = 32; class_size(c) < n; c++) {
    }
    return c;
}

static int in_arena(const void *p)
{
    return S.end != NULL && (const uint8_t *)p >= S.end - S.arena_size &&
           (const uint8_t *)p < S.end;
}

/* The heap had no block for a save area of class @p c. Areas freed by
 * earlier saves wait in their classes' lists, and after a crowd of threads
 * of one depth has come and gone they can hold most of the heap: the
 * heap's ones go back to malloc (where they merge), then the allocation is
 * tried again; failing that, a free area of a larger class serves as is.
 * NULL only when neither has room. */
static void *__attribute__((noinline)) area_alloc_slow(unsigned c)
{
    void *p;
    for (unsigned k = 0; k < NCLASS; k++) {
        void **keep = &S.free_list[k];
        while ((p = *keep) != NULL) {
            if (in_arena(p)) {
                keep = (void **)p;
            } else {
                *keep = *(void **)p;
                free(p);
            }
        }
    }
    p = malloc(class_size(c));
    for (unsigned k = c + 1; p == NULL && k < NCLASS; k++)
        if ((p = S.free_list[k]) != NULL)
            S.free_list[k] = *(void **)p;
    return p;
}

static inline void *area_alloc(unsigned c)
{
    void *p = S.free_list[c];
    if (p != NULL) {
        S.free_list[c] = *(void **)p;
        return p;
    }
    if (S.end != NULL && (size_t)(S.end - S.bump) >= class_size(c)) {
        p = S.bump;
        S.bump += class_size(c);
        return p;
    }
    p = malloc(class_size(c)); /* no arena, or it is used up */
    return p != NULL ? p : area_alloc_slow(c);
}

/* Freed areas stay in their class's free list (arena or heap blocks alike):
 * the next save of that size takes one without a search. */
static void area_free(void *p, unsigned c)
{
    *(void **)p = S.free_list[c];
    S.free_list[c] = p;
}

static NO_ASAN void fill_bytes(uint8_t *p, size_t len, uint8_t v)
{
    while (len-- > 0)
        *p++ = v;
}

/* Copy the live stack of @p o (suspended, resident on @p rs) to a save area. */
static void save(vt_thread_t *o, vt_runstack_t *rs)
{
    uint8_t *sp = o->sp;
    size_t len = (size_t)(rs->top - sp);
    unsigned c = class_of(len + HDR);
    save_t *a = area_alloc(c);

    if (a == NULL)
        vt_panic("shared stacks: no memory left for a save area");
    a->rs = rs;
    arch_stack_copy(a + 1, sp, len);
    o->stack_lo = a;
    o->stack_units = (uint16_t)(len / 4u);
    o->sp = S.g;
    S.saved_bytes += class_size(c);
    S.live_bytes += len;
    S.saved_threads++;
    S.saves++;
    if (VT_CONFIG_DEBUG) /* a stale pointer into it now reads 0xDBDBDBDB */
        fill_bytes(sp, len, 0xDB);
}

/* restore() when the frames cannot simply trade places: @p o (if any) is
 * copied out to a save area of its size, then t's frames are copied in. */
static void __attribute__((noinline)) restore_copy(vt_thread_t *t, vt_thread_t *o)
{
    save_t *a = t->stack_lo;
    vt_runstack_t *rs = a->rs;
    size_t len = (size_t)t->stack_units * 4u;
    uint8_t *top = rs->top;

    if (o != NULL)
        save(o, rs);
    arch_stack_copy(top - len, a + 1, len);
    t->sp = top - len;
    t->stack_lo = rs->lo;
    t->stack_units = (uint16_t)((size_t)(top - rs->lo) / 8u);
    rs->owner = t;
    area_free(a, class_of(len + HDR));
    S.saved_bytes -= class_size(class_of(len + HDR));
    S.live_bytes -= len;
    S.saved_threads--;
    S.restores++;
}

/* Bring @p t (saved) back onto its run stack. */
static ALWAYS_INLINE void restore(vt_thread_t *t)
{
    save_t *a = t->stack_lo;
    vt_runstack_t *rs = a->rs;
    vt_thread_t *o = rs->owner; /* NULL, or frames on rs to move out first */

#if defined(__SANITIZE_ADDRESS__)
    ASAN_UNPOISON_MEMORY_REGION(rs->lo, (size_t)(rs->top - rs->lo));
#endif
    if (o != NULL && (size_t)(rs->top - (uint8_t *)o->sp) == (size_t)t->stack_units * 4u) {
        /* the same depth (threads blocked in the same call, the usual case
         * among connection threads): the two images trade places, and so
         * do the fields that say where each one is (sp, stack_lo,
         * stack_units): t gets o's resident ones (its sp is o's, the depth
         * being the same), o gets the save area */
        void *t_sp = t->sp; /* S.g */
        uint16_t t_units = t->stack_units;
        arch_stack_swap(a + 1, o->sp, (size_t)t_units * 4u);
        t->sp = o->sp;
        t->stack_lo = o->stack_lo;
        t->stack_units = o->stack_units;
        o->sp = t_sp;
        o->stack_lo = a;
        o->stack_units = t_units;
        rs->owner = t;
        S.swaps++;
        return;
    }
    restore_copy(t, o);
}

/* The copier: entered whenever the scheduler switches to a saved thread
 * (vt_kernel.current); suspends itself at one fixed depth, so S.g is constant. */
static int copier_main(void *unused)
{
    (void)unused;
    arch_switch(&S.g, &S.prime_sp);
    for (;;) {
        vt_thread_t *t = vt_kernel.current;
        if (VT_CONFIG_DEBUG && S.g != S.g0)
            vt_panic("shared stacks: the copier moved");
        if (VT_CONFIG_MPU_GUARD)
            arch_stack_guard_set(0); /* switch_to() armed it at the save area */
        restore(t);
        if (VT_CONFIG_MPU_GUARD)
            arch_stack_guard_set(STACK_MPU_BASE(t->stack_lo));
        arch_switch(&S.g, &t->sp);
    }
    return 0;
}

/* ------------------------------------------------------------- hooks */

static vt_runstack_t *stack_of(const vt_thread_t *t)
{
    vt_runstack_t *rs;
    if (t->sp == S.g)
        return ((const save_t *)t->stack_lo)->rs;
    for (rs = S.stacks; rs != NULL; rs = rs->next)
        if (rs->lo == (const uint8_t *)t->stack_lo)
            return rs;
    return NULL;
}

/* @p t exits: its frames are dead, the run stack is free for the next one. */
static void on_thread_exit(vt_thread_t *t)
{
    vt_runstack_t *rs = stack_of(t);
    if (rs != NULL && rs->owner == t)
        rs->owner = NULL;
}

static void on_release(vt_thread_t *t)
{
    vt_runstack_t *rs = stack_of(t);
    if (t->sp == S.g) { /* never ran: its first frame is still saved */
        size_t len = (size_t)t->stack_units * 4u;
        area_free(t->stack_lo, class_of(len + HDR));
        S.saved_bytes -= class_size(class_of(len + HDR));
        S.live_bytes -= len;
        S.saved_threads--;
    }
    if (rs != NULL) {
        rs->threads--;
        if (rs->owner == t)
            rs->owner = NULL;
    }
}

/* Debug: a kernel call got @p p. In a run stack of a group of several
 * threads it may lie in the frames of a suspended thread that another
 * thread overwrites: allowed only from a thread of that run stack (which
 * cannot be told from its own locals). */
static void check_ptr(const void *p, size_t len)
{
    const uint8_t *b = p;
    if (b == NULL)
        return;
    for (const vt_runstack_t *rs = S.stacks; rs != NULL; rs = rs->next) {
        if (b < rs->top && b + len > rs->lo) {
            if (rs->threads <= 1)
                return; /* a group of one is never saved: its locals stay */
            if (vt_kernel.in_thread && (const uint8_t *)vt_kernel.current->stack_lo == rs->lo)
                return;
            vt_panic("pointer into a shared run stack passed by another thread "
                     "(locals of a shared-stack thread must not cross a blocking call)");
        }
    }
}

static size_t run_used(const vt_runstack_t *rs)
{
    const uint8_t *p = (const uint8_t *)STACK_SCAN_START(rs->lo);
    if (!VT_CONFIG_STACK_FILL)
        return 0;
    while (p < rs->top && *p == STACK_FILL)
        p++;
    return (size_t)(rs->top - p);
}

static void stack_info(const vt_thread_t *t, size_t *size, size_t *used, size_t *saved)
{
    vt_runstack_t *rs;
    *saved = 0;
    if (!(t->flags & F_SHARED) || t->sp != S.g || t->state == S_FREE)
        return;
    rs = ((const save_t *)t->stack_lo)->rs;
    *size = (size_t)(rs->top - rs->lo);
    *used = run_used(rs);
    *saved = class_size(class_of((size_t)t->stack_units * 4u + HDR));
}

static void stats(vt_shared_stats_t *s)
{
    s->saved_bytes = S.saved_bytes;
    s->live_bytes = S.live_bytes;
    s->saved_threads = S.saved_threads;
    s->arena_used = S.end != NULL ? S.arena_size - (size_t)(S.end - S.bump) : 0;
    s->arena_size = S.arena_size;
    s->saves = S.saves + S.swaps;
    s->restores = S.restores + S.swaps;
}

static const struct shared_hooks hooks = {on_thread_exit, on_release, check_ptr, stack_info, stats};

/* Start the copier once: it runs up to its first arch_switch() and comes
 * back here, leaving S.g set. in_thread is cleared meanwhile so that a port
 * that reads the current thread at thread start (ARMv8-M PSPLIM) gives the
 * copier no limit. */
static void setup(void)
{
    uint8_t in_thread = vt_kernel.in_thread;
    void *sp0;
    if (vt_kernel.shared != NULL)
        return;
    sp0 = arch_context_init(copier_stack + sizeof copier_stack, copier_main, NULL);
    if (!in_thread)
        arch_run_prepare(); /* main, before vt_run(): switch as vt_run() will
                             * (Cortex-M: off MSP and its MSPLIM) */
    vt_kernel.in_thread = 0;
    arch_switch(&S.prime_sp, &sp0);
    vt_kernel.in_thread = in_thread;
    S.g0 = S.g;
    vt_kernel.shared = &hooks;
}

/* -------------------------------------------------------------- API */

int vt_runstack_init(vt_runstack_t *rs, void *mem, size_t size)
{
    uintptr_t lo = (uintptr_t)mem, hi;

    ASSERT_THREAD_CONTEXT();
    if (rs == NULL || mem == NULL || (lo & 7u) != 0 ||
        size < VT_THREAD_STACK_MIN || size >= 4u * 65536u)
        return VT_EINVAL;
    setup();
    for (vt_runstack_t *r = S.stacks; r != NULL; r = r->next)
        if (r == rs)
            return rs->threads != 0 ? VT_EINVAL : 0; /* already made */
    hi = (lo + size) & ~(uintptr_t)(VT_ARCH_STACK_ALIGN - 1);
    if (VT_CONFIG_STACK_FILL)
        memset((void *)lo, STACK_FILL, hi - lo);
    *(uint32_t *)lo = STACK_GUARD;
    rs->lo = (uint8_t *)lo;
    rs->top = (uint8_t *)hi;
    rs->owner = NULL;
    rs->threads = 0;
    rs->next = S.stacks;
    S.stacks = rs;
    return 0;
}

int vt_thread_create_shared(vt_thread_t *t, vt_runstack_t *rs, const char *name,
                            vt_entry_t entry, void *arg, unsigned flags)
{
    /* the first frame is built here and moved: it holds no address of its own */
    uintptr_t frame[(VT_ARCH_CONTEXT_BYTES + 16u) / sizeof(uintptr_t)] __attribute__((aligned(16)));
    uint8_t *top = (uint8_t *)frame + (sizeof frame & ~(size_t)15u), *sp;
    size_t len;
    unsigned c;
    save_t *a;

    ASSERT_THREAD_CONTEXT();
    if (t == NULL || rs == NULL || rs->lo == NULL || vt_kernel.shared == NULL || entry == NULL ||
        (flags & ~(VT_THREAD_DETACHED | VT_THREAD_SUSPENDED)) != 0 || t->state != S_FREE)
        return VT_EINVAL;
    sp = arch_context_init(top, entry, arg);
    len = (size_t)(top - sp);
    c = class_of(len + HDR);
    a = area_alloc(c);
    if (a == NULL)
        return VT_ENOMEM;
    a->rs = rs;
    arch_stack_copy(a + 1, sp, len);
    memset(t, 0, sizeof *t);
    t->name = name;
    t->flags = (uint8_t)(F_SHARED | ((flags & VT_THREAD_DETACHED) ? F_DETACHED : 0));
    t->stack_lo = a;
    t->stack_units = (uint16_t)(len / 4u);
    t->sp = S.g;
    S.saved_bytes += class_size(c);
    S.live_bytes += len;
    S.saved_threads++;
    rs->threads++;
    thread_admit(t, flags);
    return 0;
}

int vt_shared_arena(void *mem, size_t size)
{
    uintptr_t lo = ((uintptr_t)mem + 7u) & ~(uintptr_t)7u;
    if (mem == NULL || size < 64 || lo - (uintptr_t)mem >= size)
        return VT_EINVAL;
    S.bump = (uint8_t *)lo;
    S.end = (uint8_t *)mem + size;
    S.arena_size = (size_t)(S.end - S.bump);
    return 0;
}

void vt_shared_stats(vt_shared_stats_t *s)
{
    if (s != NULL)
        stats(s);
}

size_t vt_thread_saved_bytes(const vt_thread_t *t)
{
    size_t size, used, saved;
    if (t == NULL || vt_kernel.shared == NULL)
        return 0;
    stack_info(t, &size, &used, &saved);
    return saved;
}
