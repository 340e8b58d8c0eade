/* SPDX-License-Identifier: MIT */
/**
 * @file arch/riscv/arch_frame.h
 * @brief Sizes of the RISC-V RV32 port, in one place for C, assembly
 * (switch.S, trap.S) and the public headers (vt/thread.h sizes stacks with
 * them). Derived from the compiler's target macros (__riscv_32e,
 * __riscv_flen), so they follow the board's -march without a second
 * definition in CMake.
 */
#ifndef VT_ARCH_FRAME_H
#define VT_ARCH_FRAME_H

/** Stack pointer alignment the psABI requires (ilp32, ilp32f, ilp32e keep 16
 *  here: the port uses one alignment for all three). */
#define VT_ARCH_STACK_ALIGN 16

/* ---- switch frame (see the diagram at the top of switch.S) ---- */
#ifdef __riscv_32e
#define VT_RV_NSAVED 3               /* ra, s0, s1 */
#else
#define VT_RV_NSAVED 13              /* ra, s0-s11 */
#endif
#if defined(__riscv_flen) && __riscv_flen == 64
#define VT_RV_FP_OFF ((VT_RV_NSAVED * 4 + 7) & ~7)
#define VT_RV_FP_BYTES (12 * 8)      /* fs0-fs11, double */
#elif defined(__riscv_flen)
#define VT_RV_FP_OFF (VT_RV_NSAVED * 4)
#define VT_RV_FP_BYTES (12 * 4)      /* fs0-fs11, single */
#else
#define VT_RV_FP_OFF (VT_RV_NSAVED * 4)
#define VT_RV_FP_BYTES 0
#endif
/** Bytes arch_switch() keeps on a suspended thread's stack (16-aligned):
 *  64 RV32I, 112 with F, 160 with D, 16 RV32E. */
#define VT_RV_SWITCH_FRAME ((VT_RV_FP_OFF + VT_RV_FP_BYTES + 15) & ~15)
#define VT_ARCH_CONTEXT_BYTES VT_RV_SWITCH_FRAME

/** Stack of the kernel's shared-stack copier context (kernel/shared.c):
 *  stack copies and, at worst, a panic report through picolibc. */
#define VT_ARCH_COPIER_STACK 1024

#endif /* VT_ARCH_FRAME_H */
