/* SPDX-License-Identifier: MIT */
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

/* The port's sizes (arch/<arch>/arch_frame.h, on the include path of every
 * target that links vthread): whether the core has a hardware stack guard
 * decides VT_CONFIG_MPU_GUARD's default. */
#include "arch_frame.h"
#ifndef VT_ARCH_MPU_GUARD_SIZE
#define VT_ARCH_MPU_GUARD_SIZE 0 /* the port has no hardware guard region */
#endif

/** Debug build: argument checks that cost code, calling-context asserts
 *  (thread-only calls made from an ISR stop with a report), the thread
 *  registry and statistics, the MPU stack guard where the core has one.
 *  Chosen explicitly, never by NDEBUG: CMake's cache option VT_CONFIG_DEBUG
 *  (ON/OFF) defines it for the library and, as an INTERFACE definition, for
 *  every target that links it; a build without CMake defines it the same way
 *  for library and application. The library and the application must agree
 *  (it changes vt_thread_t): a mismatch stops the link with an undefined
 *  reference that names the option (vt/thread.h). Define it on the compiler
 *  command line, not in a VT_USER_CONFIG header (which only the application
 *  may see). Default 1. */
#ifndef VT_CONFIG_DEBUG
#define VT_CONFIG_DEBUG 1
#endif

/** Link-time check that the application was compiled with the library's
 *  values of the options that change public struct layouts
 *  (VT_CONFIG_DEBUG, VT_CONFIG_REGISTRY, VT_CONFIG_THREAD_STATS). Only a
 *  program that includes vthread's headers without linking the kernel (a
 *  fuzz harness of a parser) turns it off. Default 1. */
#ifndef VT_CONFIG_LINK_CHECK
#define VT_CONFIG_LINK_CHECK 1
#endif

/** Smallest stack accepted by vt_thread_create(), in bytes, on top of the
 *  port's saved context. Creation with less returns VT_EINVAL. Default 64. */
#ifndef VT_CONFIG_STACK_MIN
#define VT_CONFIG_STACK_MIN 64
#endif

/** Write a guard word at the low end of every stack and check it at every
 *  scheduling point of a thread (yield, block, sleep, exit) and, in debug
 *  builds, from the alarm and CPU-hog interrupts; an overwritten guard
 *  stops the system with a report naming the thread. Costs two
 *  instructions per yield. Default 1. */
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
 *  MPU (region 7, 32 bytes; mps2-an385/an386, lm3s6965evb, netduinoplus2);
 *  ports without it stop the build when it is set to 1. (ARMv8-M
 *  Mainline, mps2-an505, always has its PSPLIM stack limit instead, in
 *  every build.) Costs a few instructions per switch and 32 to 64 bytes of
 *  every stack. Default: on in debug builds where the core has it. */
#ifndef VT_CONFIG_MPU_GUARD
#if VT_CONFIG_DEBUG && VT_ARCH_MPU_GUARD_SIZE > 0
#define VT_CONFIG_MPU_GUARD 1
#else
#define VT_CONFIG_MPU_GUARD 0
#endif
#endif

/** vt_offload(): jobs submitted and not yet over (queued or running) at
 *  most; vt_offload_submit() waits while that many are, and vt_offload()
 *  takes its job storage from this many internal slots. Default 8. */
#ifndef VT_CONFIG_OFFLOAD_QUEUE
#define VT_CONFIG_OFFLOAD_QUEUE 8
#endif

/** vt_offload() on one-core ports (Cortex-M, RISC-V): bytes of the
 *  background context's stack, which holds the offloaded functions' frames
 *  and, while the kernel has preempted them, one full register frame (68
 *  bytes on Cortex-M, 204 with FP state; 128 on RV32I, 272 with F, 64 on
 *  RV32E). From the heap at the first submit (a program that never submits
 *  keeps the RAM); vt_offload_stats() reports its high-water mark. Default
 *  2048. */
#ifndef VT_CONFIG_OFFLOAD_STACK
#define VT_CONFIG_OFFLOAD_STACK 2048
#endif

/** vt_offload() on the host port: OS threads (pthreads) running jobs in
 *  parallel with the vthreads, started at the first submit. Default 2. */
#ifndef VT_CONFIG_OFFLOAD_THREADS
#define VT_CONFIG_OFFLOAD_THREADS 2
#endif

#endif /* VT_CONFIG_H */
