/* SPDX-License-Identifier: MIT */
/**
 * @file kernel/port.h
 * @brief The port boundary: every hook a CPU port (arch_*) and a board
 * (board_*) provides to the kernel. This is the only list; there is no
 * separate template.
 *
 * A port lives in arch/<arch>/: a switch routine in a .S file, C glue,
 * `arch_frame.h` with its sizes (stack alignment, switch frame bytes: the
 * one place they are defined, read by C, assembly and vt/thread.h) and
 * `arch_cpu.h` with the hooks that must be inline (interrupt masking). A
 * board lives in boards/<board>/ and provides the clock, the alarm, the
 * console and the exit path.
 *
 * Interrupts never run on a thread's stack: Cortex-M threads run on PSP and
 * handlers on MSP; RISC-V traps switch to an interrupt stack; the host port
 * delivers its "interrupts" (signals) on an alternate signal stack. So a
 * thread's stack holds its own frames plus one saved switch frame, nothing
 * more.
 */
#ifndef VT_KERNEL_PORT_H
#define VT_KERNEL_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "vt/thread.h"

/*
 * ---- Inline hooks, defined in arch/<arch>/arch_cpu.h ----
 *
 * typedef ... arch_irq_state_t;
 * arch_irq_state_t arch_irq_save(void);
 *     Mask interrupts that may call vthread's `_isr` functions, return the
 *     previous mask. Nests.
 * void arch_irq_restore(arch_irq_state_t s);
 *     Restore the mask returned by arch_irq_save().
 * int arch_in_isr(void);
 *     Non-zero when called from an interrupt (or signal) handler.
 * void arch_wait_irq(void);
 *     Called with interrupts masked (arch_irq_save): wait until an interrupt
 *     is pending, then return still masked; the handler runs once the kernel
 *     restores the mask. Must not miss an interrupt that became pending
 *     after the mask was taken (Cortex-M/RISC-V `wfi` has this property).
 *
 * ---- Sizes, defined in arch/<arch>/arch_frame.h ----
 *
 * VT_ARCH_STACK_ALIGN
 *     Stack pointer alignment the ABI requires (8 AAPCS, 16 RISC-V/x86-64).
 * VT_ARCH_CONTEXT_BYTES
 *     Bytes arch_switch() leaves on a suspended thread's stack.
 * VT_ARCH_COPIER_STACK
 *     Stack of the shared-stack copier context (copies, a panic report).
 * VT_ARCH_MPU_GUARD_SIZE (optional)
 *     Size of the hardware guard region (VT_CONFIG_MPU_GUARD).
 */
#include "arch_cpu.h"

/**
 * @brief Switch from the running context to another.
 *
 * Saves the callee-saved registers of the caller on its stack, stores the
 * stack pointer in `*from_sp`, then loads the other context's stack pointer
 * from `*to_sp` and restores its registers, returning into it. The kernel
 * passes the addresses of the saved `sp` fields (the first field of the
 * thread struct), so the thread pointers it already holds are the
 * arguments; `*to_sp` is read after `*from_sp` is written, so a switch to
 * oneself returns at once. Caller-saved registers are not saved: the call
 * is an ordinary function call for the compiler. Written in assembly
 * (arch/<arch>/switch.S).
 */
void arch_switch(void **from_sp, void *const *to_sp);

/**
 * @brief Build the first switch frame of a new thread.
 *
 * @param stack_top  highest address of the stack, aligned to VT_ARCH_STACK_ALIGN
 * @param entry      the thread's function
 * @param arg        its argument
 * @return the initial stack pointer, to be given to arch_switch(). When first
 *         switched to, the thread runs a port trampoline that calls
 *         entry(arg) and passes its return value to vt_exit().
 */
void *arch_context_init(void *stack_top, vt_entry_t entry, void *arg);

/**
 * @brief Copy @p len bytes from @p src to @p dst: the frames of a suspended
 * shared-stack thread to or from its save area (kernel/shared.c). Both
 * addresses are word-aligned, @p len is a multiple of 4, the areas do not
 * overlap, and they may hold another thread's frames (no sanitizer checks).
 * As few instructions per word as the core allows (Cortex-M: ldm/stm).
 */
void arch_stack_copy(void *dst, const void *src, size_t len);

/**
 * @brief Exchange the @p len bytes at @p a and @p b (word-aligned, a
 * multiple of 4, not overlapping): two shared-stack threads that stopped at
 * the same depth trade their frames in one pass.
 */
void arch_stack_swap(void *a, void *b, size_t len);

/**
 * @brief Prepare the CPU before the first switch into a thread (called by
 * vt_run() once per call, from main, and by the first vt_runstack_init() if
 * main makes it before vt_run(); so calling it again must be harmless).
 * Cortex-M moves thread mode to PSP here so handlers keep MSP to themselves.
 */
void arch_run_prepare(void);

/**
 * @brief From an interrupt handler: the program counter at which the running
 * thread was interrupted (Cortex-M: the PC stacked on PSP; host: the signal's
 * ucontext; RISC-V: mepc as saved by the trap entry). 0 when unknown.
 * Used by the CPU-hog detector (VT_CONFIG_HOG_MS) only.
 */
uintptr_t arch_interrupted_pc(void);

/**
 * @brief Make the VT_ARCH_MPU_GUARD_SIZE bytes at @p base inaccessible (a
 * no-access MPU region; @p base is aligned to the size), replacing the
 * previous region; 0 removes it. Called on every switch when
 * VT_CONFIG_MPU_GUARD is on; a port that has it defines
 * VT_ARCH_MPU_GUARD_SIZE in arch_cpu.h. Its fault handler reports an access
 * there as a stack overflow of the running thread.
 */
void arch_stack_guard_set(uintptr_t base);

/*
 * ---- Background context of vt_offload() (kernel/offload.c) ----
 *
 * A port runs offloaded functions in one of two ways, chosen by
 * VT_ARCH_BG_THREADS in arch_cpu.h:
 *
 * 0 (default), one core: the kernel's executor, kernel/offload_cpu.c (the
 *   build adds it when VT_ARCH_BG is "cpu" in arch.cmake). One background
 *   context runs in the kernel's idle time and is preempted through a
 *   lowest-priority "switch" exception. The port provides the two hooks
 *   below and that exception's handler, which
 *     - saves every register an interrupt can interrupt (caller- and
 *       callee-saved, the program counter and status, the FPU's registers
 *       and status where present) on the stack of the interrupted context,
 *       in the same layout arch_bg_context_init() builds;
 *     - calls offload_switch() with that frame's address, interrupts
 *       masked, from the interrupt stack;
 *     - restores the frame offload_switch() returns (the same one, or the
 *       other context's) and returns from the exception into it.
 *   The cooperative switch (arch_switch) is untouched: threads never take
 *   the exception.
 *
 * 1, OS threads (host): the port is the executor itself and defines
 *   bg_start(), bg_notify(), bg_wait(), bg_stats() and offload_kick_isr()
 *   (kernel/kernel.h; arch/host/offload.c), and VT_ARCH_BG_LOCAL, the
 *   storage class of per-background variables (`__thread`).
 */

/**
 * @brief One core: build the first full frame of the background context on
 * the stack [@p stack_lo, @p stack_top) so that the switch exception,
 * restoring it, starts @p entry (which never returns) with interrupts
 * enabled; make the switch exception ready (priority, enable).
 * @return the frame's address, for offload_switch() to return
 */
void *arch_bg_context_init(void *stack_lo, void *stack_top, void (*entry)(void));

/**
 * @brief One core: pend the switch exception. From thread mode with
 * interrupts enabled it is taken within a few instructions; from an
 * interrupt handler, once the handlers are done. Callable from the kernel,
 * the background context and interrupts.
 */
void arch_bg_kick(void);

/** @brief One core: called by the switch exception's handler with the full
 *  frame it saved; returns the frame to restore (kernel/offload_cpu.c). */
void *offload_switch(void *sp);

/*
 * ---- Board hooks, in boards/<board>/ ----
 */

/** @brief Monotonic microseconds since board_init(). Thread context or ISR. */
uint64_t board_clock_us(void);

/** @brief Monotonic milliseconds since board_init() (wrapping). */
uint32_t board_clock_ms(void);

/**
 * @brief Arrange for vt_alarm_isr() to be called from an interrupt at, or
 * soon after, millisecond @p deadline (board_clock_ms() time). A later call
 * replaces the earlier request. The board may fire early (a hardware limit);
 * the kernel then asks again. A deadline already past fires at once.
 * Called from thread context.
 */
void board_alarm_set(uint32_t deadline);

/**
 * @brief Start (@p period_ms > 0) or stop (0) a periodic interrupt that calls
 * vt_hog_isr(). Needed only when VT_CONFIG_HOG_MS > 0: vt_run() starts it
 * and stops it when it returns. Use a timer of its own (not the clock or the
 * alarm); its priority must let it interrupt threads (any priority does on a
 * cooperative kernel).
 */
void board_hog_timer(unsigned period_ms);

/**
 * @brief The clock the CPU-hog detector measures a run in, in milliseconds.
 * Optional: the kernel's weak default is board_clock_ms(). A board whose CPU
 * may be taken away from the firmware (the host board: a process the host
 * deschedules) returns the CPU time the firmware really had, so that time
 * it did not run is not blamed on the thread that was running.
 */
uint32_t board_hog_clock_ms(void);

/** @brief Stop the program with @p code as the verdict (QEMU's exit code). */
void board_exit(int code) __attribute__((noreturn));

/**
 * @brief Optional (a board may leave it out): the CPU has nothing left to
 * do. vt_run() calls it with interrupts masked, nothing pending, just
 * before arch_wait_irq(): the place for work that only needs doing once
 * per busy spell, not at every event within it. Must be short and must not
 * call the kernel.
 */
void board_idle(void) __attribute__((weak));

/*
 * ---- Kernel entry points for ports and boards ----
 */

/** @brief Called by the board's alarm interrupt: timers may be due. */
void vt_alarm_isr(void);

/** @brief Called by the board's hog timer interrupt (board_hog_timer): reports
 *  a thread that has run longer than VT_CONFIG_HOG_MS without a scheduling point. */
void vt_hog_isr(void);

/** @brief Called by ports when a thread's stack overflowed (guard or
 *  hardware limit); reports and stops. */
void vt_stack_overflow(vt_thread_t *t) __attribute__((noreturn));

/** @brief The thread running now, or NULL (for fault handlers). */
vt_thread_t *vt_current_unsafe(void);

/** @brief For fault handlers: the lowest stack address of @p t. Debug
 *  builds take it (and vt_thread_name() the name) from the copy the kernel
 *  made when @p t was switched in, not from its struct, which an overflow
 *  may have overwritten. */
void *vt_stack_lo_unsafe(const vt_thread_t *t);

/** @brief For fault handlers: the thread whose stack is in use, or NULL
 *  outside threads. Debug builds know it exactly (the thread last switched
 *  in: vt_current_unsafe() already names the next thread while a blocking
 *  thread finishes its way to the switch); others return
 *  vt_current_unsafe(). */
vt_thread_t *vt_stack_owner_unsafe(void);

#endif /* VT_KERNEL_PORT_H */
