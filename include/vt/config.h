/**
 * @file vt/config.h
 * @brief Build-time options of vthread, with their documented defaults.
 *
 * An application overrides any option by defining it in its own header and
 * compiling with `-DVT_USER_CONFIG="my_vt_config.h"` (CMake: set the cache
 * variable `VT_USER_CONFIG` to the header's path). That header is read first,
 * so whatever it defines wins over the defaults below. Invalid combinations
 * are stopped by vt/checks.h with an `#error` that says what is wrong.
 */
#ifndef VT_CONFIG_H
#define VT_CONFIG_H

#ifdef VT_USER_CONFIG
#include VT_USER_CONFIG
#endif

/** Debug build: argument checks that cost code, calling-context asserts
 *  (thread-only calls made from an ISR stop with a report). Default: 1 unless
 *  NDEBUG is defined. */
#ifndef VT_CONFIG_DEBUG
#ifdef NDEBUG
#define VT_CONFIG_DEBUG 0
#else
#define VT_CONFIG_DEBUG 1
#endif
#endif

/** Smallest stack accepted by vt_thread_create(), in bytes, on top of the
 *  port's saved context. Creation with less returns VT_EINVAL. Default 64. */
#ifndef VT_CONFIG_STACK_MIN
#define VT_CONFIG_STACK_MIN 64
#endif

/** Write a guard word at the low end of every stack and check it on every
 *  switch away from a thread; an overwritten guard stops the system with a
 *  report naming the thread. Costs two instructions per switch. Default 1. */
#ifndef VT_CONFIG_STACK_GUARD
#define VT_CONFIG_STACK_GUARD 1
#endif

/** Fill new stacks with a pattern so vt_thread_stack_used() can measure the
 *  high-water mark. Costs a memset at creation. Default 1. */
#ifndef VT_CONFIG_STACK_FILL
#define VT_CONFIG_STACK_FILL 1
#endif

/** Number of thread slots behind vt_spawn() (the static pool). 0 removes the
 *  pool. Default 8. */
#ifndef VT_CONFIG_SPAWN_SLOTS
#define VT_CONFIG_SPAWN_SLOTS 8
#endif

/** Stack bytes of each vt_spawn() slot. Default 1024. */
#ifndef VT_CONFIG_SPAWN_STACK
#define VT_CONFIG_SPAWN_STACK 1024
#endif

/** Count context switches per thread (shown by vt_dump()). Adds 4 bytes to
 *  every thread and one increment per switch. Default: VT_CONFIG_DEBUG. */
#ifndef VT_CONFIG_THREAD_STATS
#define VT_CONFIG_THREAD_STATS VT_CONFIG_DEBUG
#endif

/** Keep a list of every created thread (not only the ready and waiting ones)
 *  so that vt_dump() and the GDB script (scripts/gdb/vthread.py) can list
 *  them all. Adds one pointer to every thread (48 -> 52 bytes on a 32-bit
 *  core) and a list walk when a thread is joined. Default: VT_CONFIG_DEBUG
 *  (as ChibiOS' CH_CFG_USE_REGISTRY). Without it vt_dump() lists the ready
 *  threads and counts the others. */
#ifndef VT_CONFIG_REGISTRY
#define VT_CONFIG_REGISTRY VT_CONFIG_DEBUG
#endif

/** CPU-hog detector: a thread that runs this many milliseconds without
 *  reaching a scheduling point (a switch, or a yield with nobody else ready)
 *  is reported from a periodic board interrupt with its name, how long it
 *  has run and the interrupted PC. 0 turns the detector off (no periodic
 *  interrupt: the kernel stays tickless). Needs the board hook
 *  board_hog_timer(). Default 0. */
#ifndef VT_CONFIG_HOG_MS
#define VT_CONFIG_HOG_MS 0
#endif

/** What the CPU-hog detector does: VT_HOG_WARN prints one report per
 *  episode (the thread goes on; a new episode starts at its next scheduling
 *  point), VT_HOG_ABORT prints the report and a thread dump, then stops the
 *  system (exit code 3). Default VT_HOG_WARN. */
#define VT_HOG_WARN 0
#define VT_HOG_ABORT 1
#ifndef VT_CONFIG_HOG_ACTION
#define VT_CONFIG_HOG_ACTION VT_HOG_WARN
#endif

/** Hardware stack guard: on every switch the port makes a small region at
 *  the low end of the incoming thread's stack (just above the guard word)
 *  inaccessible, so an overflow faults at the offending instruction and is
 *  reported with the thread's name before it corrupts anything. ARMv7-M
 *  MPU (region 7, 32 bytes); ports without it stop the build. Costs a few
 *  instructions per switch. Default 0. */
#ifndef VT_CONFIG_MPU_GUARD
#define VT_CONFIG_MPU_GUARD 0
#endif

#endif /* VT_CONFIG_H */
