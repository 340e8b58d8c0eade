/* SPDX-License-Identifier: MIT */
/**
 * @file arch/host/arch_frame.h
 * @brief Sizes of the host port (Linux x86-64 or AArch64), in one place for
 * C, assembly and the public headers (vt/thread.h sizes stacks with them).
 */
#ifndef VT_ARCH_FRAME_H
#define VT_ARCH_FRAME_H

/** Stack pointer alignment of the System V x86-64 and AAPCS64 ABIs. */
#define VT_ARCH_STACK_ALIGN 16

/** Bytes of the saved switch frame (see the diagrams in switch.S). */
#if defined(__x86_64__)
#define VT_ARCH_CONTEXT_BYTES 56   /* r15 r14 r13 r12 rbx rbp, return address */
#elif defined(__aarch64__)
#define VT_ARCH_CONTEXT_BYTES 160  /* x19-x30, d8-d15 */
#else
#error "host port: x86-64 or AArch64 only"
#endif

/** Stack of the kernel's shared-stack copier context (kernel/shared.c):
 *  glibc's stdio and the sanitizers' interceptors need room. */
#define VT_ARCH_COPIER_STACK 65536

#endif /* VT_ARCH_FRAME_H */
