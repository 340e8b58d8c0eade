/* SPDX-License-Identifier: MIT */
/**
 * @file arch/cortex-m/arch_frame.h
 * @brief Sizes of the Cortex-M port, in one place for C, assembly and the
 * public headers (vt/thread.h sizes stacks with them). Derived from the
 * compiler's own target macros, so they follow the board's -mcpu and
 * -mfloat-abi without a second definition in CMake.
 */
#ifndef VT_ARCH_FRAME_H
#define VT_ARCH_FRAME_H

/** Stack pointer alignment the AAPCS requires at public interfaces. */
#define VT_ARCH_STACK_ALIGN 8

/* Callee-saved FP registers s16-s31 travel in the switch frame of a
 * hard-float build (see the diagram in switch.S). */
#if defined(__ARM_FP) && !defined(__SOFTFP__)
#define VT_ARCH_FP_CONTEXT_BYTES 64
#else
#define VT_ARCH_FP_CONTEXT_BYTES 0
#endif

/** Bytes of the saved switch frame: r4-r11 and lr (36), ARMv8-M Mainline
 *  also the thread's PSPLIM (40), plus s16-s31 when hard-float. */
#if defined(__ARM_ARCH_8M_MAIN__)
#define VT_ARCH_CONTEXT_BYTES (40 + VT_ARCH_FP_CONTEXT_BYTES)
#else
#define VT_ARCH_CONTEXT_BYTES (36 + VT_ARCH_FP_CONTEXT_BYTES)
#endif

#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
/** ARMv7-M MPU (PMSAv7): VT_CONFIG_MPU_GUARD uses region 7 at its smallest
 *  size, 32 bytes, as a no-access guard at the bottom of the running stack.
 *  (ARMv8-M has PSPLIM instead; ARMv6-M cores rarely have an MPU.) */
#define VT_ARCH_MPU_GUARD_SIZE 32
#endif

/** Stack of the kernel's shared-stack copier context (kernel/shared.c):
 *  stack copies and, at worst, a panic report through newlib-nano. */
#define VT_ARCH_COPIER_STACK 1024

#endif /* VT_ARCH_FRAME_H */
