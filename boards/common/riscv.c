/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/riscv.c
 * @brief What every RISC-V board shares (one hart in machine mode): the
 * reset path, semihosting and the exit, picolibc's standard streams on the
 * console UART, the CLINT's mtime as the clock and mtimecmp as the compare
 * of deadline.c, its MSIP bit as vt_offload's switch interrupt, and the
 * PLIC: named handlers per source, enable/disable,
 * run-time attachment for drivers. The board gives the UART (board_putc,
 * board_getc), board_init() and, in board.h, its PLIC sources.
 *
 * PLIC dispatch: a claimed source goes to the handler a driver attached at
 * run time (board_irq_attach), else to its NAME_IRQHandler; one that is
 * still the default is reported (board_irq_unexpected). Completion follows
 * the handler, so a level-triggered device must be quiet by then.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "board_common.h"
#include "port.h"
#include "riscv.h"

#ifndef BOARD_SIFIVE_TEST_BASE
#define BOARD_SIFIVE_TEST_BASE 0 /* no exit device: semihosting only */
#endif
#ifndef BOARD_PLIC_ATTACH_LINES
#define BOARD_PLIC_ATTACH_LINES 1 /* sources board_irq_attach() may route */
#endif

/* ------------------------------------------------------------ semihosting */

/* The RISC-V semihosting call: this exact uncompressed sequence, within one
 * page (16-byte aligned: it never straddles one). */
long board_semihost(long op, void *arg)
{
    register long a0 __asm("a0") = op;
    register void *a1 __asm("a1") = arg;
    __asm volatile(".balign 16\n\t"
                   ".option push\n\t"
                   ".option norvc\n\t"
                   "slli x0, x0, 0x1f\n\t"
                   "ebreak\n\t"
                   "srai x0, x0, 7\n\t"
                   ".option pop"
                   : "+r"(a0)
                   : "r"(a1)
                   : "memory");
    return a0;
}

void board_exit(int code)
{
    static int exiting;
    fflush(stdout);
    if (!exiting) { /* a fault while exiting (no semihosting?) ends below */
        exiting = 1;
        board_semihost_exit(code);
    }
    if (BOARD_SIFIVE_TEST_BASE != 0) /* QEMU's exit device: PASS, or FAIL with the code */
        *(volatile uint32_t *)BOARD_SIFIVE_TEST_BASE =
            code == 0 ? SIFIVE_TEST_PASS : ((uint32_t)code << 16) | SIFIVE_TEST_FAIL;
    for (;;)
        __asm volatile("wfi");
}

void _exit(int code);
void _exit(int code) { board_exit(code); }

/* ---------------------------------------------------------------- console */

static int console_put(char c, FILE *f)
{
    if (c == '\n')
        board_putc('\r');
    board_putc(c);
    return (unsigned char)c;
}

/* picolibc's stdio: the standard streams are ours to define */
static FILE console = FDEV_SETUP_STREAM(console_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;

/* ------------------------------------------------------- clock and compare */

unsigned long long board_cycles(void)
{
    uint32_t hi, lo;
    do {
        hi = CLINT->MTIME[1];
        lo = CLINT->MTIME[0];
    } while (CLINT->MTIME[1] != hi);
    return ((unsigned long long)hi << 32) | lo;
}

/* mtimecmp holds the earliest deadline (deadline.c); UINT64_MAX parks it */
void board_compare_program(uint64_t at)
{
    CLINT->MTIMECMP[0] = 0xFFFFFFFFu; /* never below both old and new value meanwhile */
    CLINT->MTIMECMP[1] = (uint32_t)(at >> 32);
    CLINT->MTIMECMP[0] = (uint32_t)at;
}

/* the machine timer interrupt (arch/riscv/port.c's dispatch) */
void board_irq_timer(void) { deadline_isr(); }

/* ---------------------------------------------------- software interrupt */

/* vt_offload's context switch (arch/riscv/offload.S): hart 0's MSIP bit */
void board_irq_soft(int pend) { CLINT->MSIP[0] = pend ? 1u : 0u; }

/* ------------------------------------------------------ interrupt lines */

void Default_IRQHandler(void);
void Default_IRQHandler(void) {} /* never called: the dispatch reports its lines */

#define WEAK_HANDLER(name, line) \
    void name##_IRQHandler(void) __attribute__((weak, alias("Default_IRQHandler")));
BOARD_IRQ_LIST(WEAK_HANDLER)

#define VECTOR(name, line) [line] = name##_IRQHandler,
static void (*const plic_vectors[BOARD_IRQ_LINES])(void) = {BOARD_IRQ_LIST(VECTOR)};

static void (*attached[BOARD_PLIC_ATTACH_LINES])(void);

static void (*plic_handler(unsigned irq))(void)
{
    void (*fn)(void) = irq < BOARD_PLIC_ATTACH_LINES ? attached[irq] : NULL;
    if (fn == NULL && irq < BOARD_IRQ_LINES)
        fn = plic_vectors[irq];
    return fn == Default_IRQHandler ? NULL : fn;
}

int board_irq_enable(unsigned irq)
{
    arch_irq_state_t s;
    if (irq == 0 || irq >= BOARD_IRQ_LINES)
        return VT_EINVAL;
    s = arch_irq_save();
    PLIC->PRIORITY[irq] = 1;
    PLIC->ENABLE[irq / 32] |= 1u << (irq % 32);
    arch_irq_restore(s);
    return 0;
}

int board_irq_disable(unsigned irq)
{
    arch_irq_state_t s;
    if (irq == 0 || irq >= BOARD_IRQ_LINES)
        return VT_EINVAL;
    s = arch_irq_save();
    PLIC->ENABLE[irq / 32] &= ~(1u << (irq % 32));
    PLIC->PRIORITY[irq] = 0;
    arch_irq_restore(s);
    return 0;
}

int board_irq_attach(unsigned irq, void (*handler)(void))
{
    arch_irq_state_t s;
    if (irq == 0 || irq >= BOARD_PLIC_ATTACH_LINES || irq >= BOARD_IRQ_LINES)
        return VT_EINVAL;
    s = arch_irq_save();
    if (handler != NULL && attached[irq] == NULL && plic_handler(irq) != NULL) {
        arch_irq_restore(s); /* the board or the application handles it by name */
        return VT_EBUSY;
    }
    attached[irq] = handler;
    if (handler != NULL)
        board_irq_enable(irq);
    else
        board_irq_disable(irq);
    arch_irq_restore(s);
    return 0;
}

/* the machine external interrupt (arch/riscv/port.c's dispatch) */
void board_irq_external(void)
{
    uint32_t irq;
    while ((irq = PLIC_CTX0->CLAIM) != 0) {
        void (*fn)(void) = plic_handler(irq);
        if (fn == NULL)
            board_irq_unexpected(irq);
        fn();
        PLIC_CTX0->CLAIM = irq; /* complete */
    }
}

/* ---------------------------------------------------------------- startup */

extern char __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];

void board_start(void) __attribute__((noreturn));
void board_start(void)
{
    /* .data (and the TLS initial image after it) from flash, when the image
     * is flash-resident; .tbss and .bss zeroed */
    if ((uintptr_t)__data_load != (uintptr_t)__data_start)
        memcpy(__data_start, __data_load, (size_t)(__data_end - __data_start));
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    riscv_trap_init();
    board_compare_program(UINT64_MAX);
    PLIC_CTX0->THRESHOLD = 0;
    board_init();
    __asm volatile("csrs mie, %0" ::"r"(MIE_MTIE | MIE_MEIE));
    __asm volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE)); /* threads run with interrupts on */
    board_run_main();
}

/* Reset entry (linked first in .text): gp, tp (picolibc's TLS: errno), the
 * main stack, the FPU on when built for one, then C. */
__asm(".section .text.start, \"ax\", @progbits\n"
      ".global _start\n"
      "_start:\n"
      ".option push\n"
      ".option norelax\n"
      "    la   gp, __global_pointer$\n"
      ".option pop\n"
      "    la   tp, __tls_base\n"
      "    la   sp, __main_stack_top\n"
#ifdef __riscv_flen
      "    li   t0, 0x2000\n" /* mstatus.FS = Initial */
      "    csrs mstatus, t0\n"
      "    fscsr zero\n"
#endif
      "    j    board_start\n"
      ".previous\n");
