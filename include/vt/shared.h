/* SPDX-License-Identifier: MIT */
/**
 * @file vt/shared.h
 * @brief Shared-stack vthreads: many threads run on one run stack; a
 * suspended thread keeps only its live stack (from its stack pointer to the
 * top) in a save area sized to fit. See docs/shared-stacks.md.
 *
 * A shared-stack thread runs on its group's run stack. While it is
 * suspended its frames stay where they are until another thread of the
 * group needs the run stack: then, and only then, its live part is copied
 * out to a save area from a size-class allocator (8-byte classes up to 256
 * bytes, then 384, 512, 768, 1024, ...), and copied back when it runs
 * again. A thread that resumes on a run stack nobody else used meanwhile is
 * not copied at all. Dedicated-stack threads (vt_thread_create) are not
 * affected; an application mixes both.
 *
 * The one rule: a shared-stack thread must not hand another thread a
 * pointer to its locals (or to a primitive declared as a local) across a
 * blocking call, since while it is suspended those addresses may hold
 * another thread's frames. Pass data by value (channels copy items), or
 * point to static or heap memory. Debug builds (VT_CONFIG_DEBUG) stop with a
 * report when a kernel call is given such a pointer by another thread, and
 * fill the vacated run stack with 0xDB bytes.
 */
#ifndef VT_SHARED_H
#define VT_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include "vt/thread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A run stack shared by a group of threads. Caller-provided storage; its
 *  fields are private. */
typedef struct vt_runstack {
    uint8_t *lo;                 /**< lowest address (guard word) */
    uint8_t *top;                /**< highest address, aligned */
    vt_thread_t *owner;          /**< thread whose frames are on it, or NULL */
    uint32_t threads;            /**< threads of the group not yet released */
    struct vt_runstack *next;    /**< every run stack (debug pointer checks) */
} vt_runstack_t;

/**
 * @brief Make @p mem (@p size bytes, 8-aligned) a run stack. Its size bounds
 * the deepest any thread of the group may go, as for a dedicated stack
 * (VT_STACK_SIZE); it must be below 256 KB.
 * @return 0 or VT_EINVAL
 */
int vt_runstack_init(vt_runstack_t *rs, void *mem, size_t size);

/**
 * @brief Create a thread that runs on the run stack @p rs. Its first frame
 * goes to a save area at once, so creation never touches the run stack.
 * Same parameters and results as vt_thread_create(), plus VT_ENOMEM when no
 * save area is left.
 */
int vt_thread_create_shared(vt_thread_t *t, vt_runstack_t *rs, const char *name,
                            vt_entry_t entry, void *arg, unsigned flags);

/**
 * @brief Take save areas from @p mem (@p size bytes) before malloc(): save
 * areas are carved from the arena on demand, with no per-block overhead;
 * once it is used up they come from malloc(). A freed save area goes to the
 * free list of its size class (arena and heap blocks alike) for the next
 * save of that size. Without an arena every save area comes from malloc().
 * @return 0 or VT_EINVAL
 */
int vt_shared_arena(void *mem, size_t size);

/** Figures reported by vt_shared_stats() (and vt_dump()). */
typedef struct {
    size_t saved_bytes;       /**< bytes of save areas in use (class sizes) */
    size_t live_bytes;        /**< bytes of stack actually saved in them */
    unsigned saved_threads;   /**< threads whose stack is in a save area */
    size_t arena_used;        /**< arena bytes carved so far (0 with malloc) */
    size_t arena_size;        /**< arena size (0 with malloc) */
    uint32_t saves;           /**< live stacks copied out since boot */
    uint32_t restores;        /**< live stacks copied back */
} vt_shared_stats_t;

/** @brief Fill @p s with the save-area figures (all 0 before any shared thread). */
void vt_shared_stats(vt_shared_stats_t *s);

/** @brief Bytes of the save area that holds @p t's stack now, 0 when its
 *  frames are on its run stack (or @p t is not a shared-stack thread). */
size_t vt_thread_saved_bytes(const vt_thread_t *t);

#ifdef __cplusplus
}
#endif
#endif /* VT_SHARED_H */
