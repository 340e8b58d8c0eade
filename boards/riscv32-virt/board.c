/**
 * @file boards/riscv32-virt/board.c
 * @brief QEMU virt (RV32, machine mode, `-bios none`) board support:
 * startup, NS16550A console as picolibc's stdout, monotonic clock and
 * one-shot alarm on the CLINT (mtime 10 MHz, mtimecmp), test interrupt
 * source (goldfish RTC alarm through the PLIC), PLIC interrupts of drivers
 * (board_irq_attach: the virtio-net driver), CPU-hog tick (shares mtimecmp
 * with the alarm), semihosting command line and exit (sifive_test as the
 * fallback).
 *
 * Tickless: mtimecmp holds the kernel's next deadline only; when nothing is
 * due it is parked at the end of time and no timer interrupt fires.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../common/board_common.h"
#include "board.h"
#include "port.h"

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define REG8(a) (*(volatile uint8_t *)(uintptr_t)(a))

/* NS16550A UART0 (byte registers) */
#define UART0 0x10000000u
#define UART_THR REG8(UART0 + 0)
#define UART_LSR REG8(UART0 + 5)
#define UART_LSR_THRE 0x20u
#define UART_LSR_DR 0x01u /* a received byte waits in RBR (offset 0) */

/* CLINT, hart 0 */
#define CLINT 0x02000000u
#define MTIMECMP_LO REG32(CLINT + 0x4000)
#define MTIMECMP_HI REG32(CLINT + 0x4004)
#define MTIME_LO REG32(CLINT + 0xBFF8)
#define MTIME_HI REG32(CLINT + 0xBFFC)
#define MTIME_PER_MS (BOARD_MTIME_HZ / 1000u)
#define MTIME_PER_US (BOARD_MTIME_HZ / 1000000u)

/* PLIC, context 0 = hart 0 machine mode */
#define PLIC 0x0C000000u
#define PLIC_PRIORITY(irq) REG32(PLIC + 4u * (irq))
#define PLIC_ENABLE(irq) REG32(PLIC + 0x2000u + 4u * ((irq) / 32u))
#define PLIC_THRESHOLD REG32(PLIC + 0x200000u)
#define PLIC_CLAIM REG32(PLIC + 0x200004u)

/* goldfish RTC: nanoseconds, one alarm, PLIC IRQ 11 */
#define RTC 0x00101000u
#define RTC_TIME_LOW REG32(RTC + 0x00)   /* read first: latches TIME_HIGH */
#define RTC_TIME_HIGH REG32(RTC + 0x04)
#define RTC_ALARM_LOW REG32(RTC + 0x08)  /* write last: arms the alarm */
#define RTC_ALARM_HIGH REG32(RTC + 0x0C)
#define RTC_IRQ_ENABLED REG32(RTC + 0x10)
#define RTC_CLEAR_ALARM REG32(RTC + 0x14)
#define RTC_CLEAR_INTERRUPT REG32(RTC + 0x1C)
#define RTC_IRQ 11

/* sifive_test: exit device */
#define TEST_DEV REG32(0x00100000u)

/* mie bits */
#define MIE_MTIE (1u << 7)
#define MIE_MEIE (1u << 11)

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
        uint32_t block[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, (uint32_t)code};
        exiting = 1;
        board_semihost(0x20 /* SYS_EXIT_EXTENDED */, block);
    }
    TEST_DEV = code == 0 ? 0x5555u : ((uint32_t)code << 16) | 0x3333u;
    for (;;)
        __asm volatile("wfi");
}

void _exit(int code);
void _exit(int code) { board_exit(code); }

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    while ((UART_LSR & UART_LSR_THRE) == 0)
        ;
    UART_THR = (uint8_t)c;
}

int board_getc(void)
{
    return (UART_LSR & UART_LSR_DR) ? (int)UART_THR : -1; /* RBR shares THR's offset */
}

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

/* ------------------------------------------------------------------ clock */

unsigned long long board_cycles(void)
{
    uint32_t hi, lo;
    do {
        hi = MTIME_HI;
        lo = MTIME_LO;
    } while (MTIME_HI != hi);
    return ((unsigned long long)hi << 32) | lo;
}

static uint32_t ms_count;  /* ms since boot */
static uint64_t ms_mark;   /* mtime at its start */

uint32_t board_clock_ms(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint64_t d = board_cycles() - ms_mark;
    /* a 32-bit divide (one instruction) unless 7 minutes went unobserved */
    uint32_t n = (d >> 32) != 0 ? (uint32_t)(d / MTIME_PER_MS) : (uint32_t)d / MTIME_PER_MS;
    ms_count += n;
    ms_mark += (uint64_t)n * MTIME_PER_MS;
    n = ms_count;
    arch_irq_restore(s);
    return n;
}

uint64_t board_clock_us(void) { return board_cycles() / MTIME_PER_US; }

/* ------------------------------------------------------------------ alarm */

static void mtimecmp_set(uint64_t t)
{
    MTIMECMP_LO = 0xFFFFFFFFu; /* never below both old and new value meanwhile */
    MTIMECMP_HI = (uint32_t)(t >> 32);
    MTIMECMP_LO = (uint32_t)t;
}

/* mtimecmp serves two: the kernel's one-shot alarm and, when the CPU-hog
 * detector runs (VT_CONFIG_HOG_MS), its periodic tick; it holds the earlier
 * of the two. UINT64_MAX: not armed. */
static uint64_t alarm_at = UINT64_MAX, hog_at = UINT64_MAX, hog_period;

static void mtimecmp_program(void)
{
    mtimecmp_set(alarm_at < hog_at ? alarm_at : hog_at);
}

void board_alarm_set(uint32_t deadline)
{
    arch_irq_state_t s = arch_irq_save();
    int32_t dms = (int32_t)(deadline - board_clock_ms()); /* also updates ms_mark */
    alarm_at = dms <= 0 ? 0 : ms_mark + (uint64_t)(uint32_t)dms * MTIME_PER_MS;
    mtimecmp_program();
    arch_irq_restore(s);
}

void board_irq_timer(void)
{
    uint64_t now = board_cycles();
    int alarm = now >= alarm_at, hog = now >= hog_at;
    if (alarm)
        alarm_at = UINT64_MAX; /* one shot */
    if (hog)
        hog_at = now + hog_period;
    mtimecmp_program();
    if (alarm)
        vt_alarm_isr();
    if (VT_CONFIG_HOG_MS && hog) /* else never started: the detector stays unlinked */
        vt_hog_isr();
}

/* ------------------------------------------- CPU-hog detector tick */

/* VT_CONFIG_HOG_MS: the CLINT is the only timer with a machine-mode
 * interrupt to spare (the RTC is the test source), so the hog tick shares
 * mtimecmp with the alarm. While it runs, idle wakes every period_ms. */
void board_hog_timer(unsigned period_ms)
{
    arch_irq_state_t s = arch_irq_save();
    hog_period = (uint64_t)period_ms * MTIME_PER_MS;
    hog_at = period_ms != 0 ? board_cycles() + hog_period : UINT64_MAX;
    mtimecmp_program();
    arch_irq_restore(s);
}

/* --------------------------------------------------- test interrupt source */

static void (*test_irq_handler)(void);
static uint32_t test_period_ns;

static uint64_t rtc_now_ns(void)
{
    uint32_t lo = RTC_TIME_LOW;
    return ((uint64_t)RTC_TIME_HIGH << 32) | lo;
}

static void rtc_arm(uint64_t at)
{
    RTC_ALARM_HIGH = (uint32_t)(at >> 32);
    RTC_ALARM_LOW = (uint32_t)at; /* a time already past raises at once */
}

static void rtc_isr(void)
{
    RTC_CLEAR_INTERRUPT = 1;
    if (test_irq_handler == NULL)
        return;
    rtc_arm(rtc_now_ns() + test_period_ns);
    test_irq_handler();
}

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    RTC_IRQ_ENABLED = 0;
    RTC_CLEAR_ALARM = 1;
    RTC_CLEAR_INTERRUPT = 1;
    test_irq_handler = handler;
    if (handler == NULL || period_us == 0)
        return 0;
    test_period_ns = period_us * 1000u;
    PLIC_PRIORITY(RTC_IRQ) = 1;
    PLIC_ENABLE(RTC_IRQ) |= 1u << (RTC_IRQ % 32u);
    RTC_IRQ_ENABLED = 1;
    rtc_arm(rtc_now_ns() + test_period_ns);
    return 0;
}

/* ------------------------------------------------------ device interrupts */

/* Handlers of PLIC sources attached by drivers (virtio-mmio slots are 1-8). */
#define PLIC_SOURCES 16
static void (*plic_handlers[PLIC_SOURCES])(void);

int board_irq_attach(unsigned irq, void (*handler)(void))
{
    arch_irq_state_t s;
    if (irq == 0 || irq >= PLIC_SOURCES || irq == RTC_IRQ)
        return -1;
    s = arch_irq_save();
    plic_handlers[irq] = handler;
    PLIC_PRIORITY(irq) = handler != NULL ? 1 : 0;
    if (handler != NULL)
        PLIC_ENABLE(irq) |= 1u << (irq % 32u);
    else
        PLIC_ENABLE(irq) &= ~(1u << (irq % 32u));
    arch_irq_restore(s);
    return 0;
}

void board_irq_external(void)
{
    uint32_t irq;
    while ((irq = PLIC_CLAIM) != 0) {
        if (irq == RTC_IRQ)
            rtc_isr();
        else if (irq < PLIC_SOURCES && plic_handlers[irq] != NULL)
            plic_handlers[irq]();
        else
            vt_panic("unexpected PLIC interrupt");
        PLIC_CLAIM = irq; /* complete */
    }
}

/* ---------------------------------------------------------------- startup */

extern char __bss_start[], __bss_end[];
extern void __libc_init_array(void);
int main(int argc, char **argv);


void board_start(void) __attribute__((noreturn));
void board_start(void)
{
    int argc;
    char **argv;
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    riscv_trap_init();
    mtimecmp_set(UINT64_MAX);
    PLIC_THRESHOLD = 0;
    __asm volatile("csrs mie, %0" ::"r"(MIE_MTIE | MIE_MEIE));
    __asm volatile("csrsi mstatus, 8"); /* MIE: threads run with interrupts on */
    __libc_init_array();
    argc = board_cmdline(&argv);
    board_exit(main(argc, argv));
}

/* Reset entry at 0x80000000: gp, tp (picolibc's TLS: errno), the main stack,
 * the FPU on when built for one, then C. */
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
