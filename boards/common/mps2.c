/**
 * @file boards/common/mps2.c
 * @brief MPS2 board support, shared by mps2-an385 (Cortex-M3), mps2-an386
 * (Cortex-M4F) and mps2-an505 (Cortex-M33, Secure state): startup and
 * vectors, CMSDK UART console, monotonic clock (CMSDK timer 0, free running
 * at the system clock), one-shot alarm (SysTick), test interrupt source
 * (CMSDK timer 1), CPU-hog tick (CMSDK dual timer), semihosting command line
 * and exit, newlib system calls. The board's board.h gives the peripheral
 * addresses and interrupt lines (BOARD_*).
 *
 * Tickless: SysTick is programmed for the kernel's next deadline only; when
 * nothing is due no interrupt fires except the clock's wrap (every 2^32
 * cycles: 171 s at 25 MHz, 214 s at 20 MHz).
 *
 * On AN505 the core boots Secure with the SAU off, so every access is Secure
 * and board.h names the peripherals' Secure aliases (0x5xxxxxxx); the
 * TrustZone peripheral and memory protection controllers reset to "Secure
 * only".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/board_common.h"
#include "board.h"
#include "port.h"

#define REG(a) (*(volatile uint32_t *)(a))

/* CMSDK APB UART0 */
#define UART0 BOARD_UART0_BASE
#define UART_DATA REG(UART0 + 0x0)
#define UART_STATE REG(UART0 + 0x4)
#define UART_CTRL REG(UART0 + 0x8)
#define UART_BAUDDIV REG(UART0 + 0x10)

/* CMSDK APB timers: CTRL (bit0 enable, bit3 irq enable), VALUE, RELOAD, INTSTATUS/INTCLEAR */
#define TIMER0 BOARD_TIMER0_BASE
#define TIMER1 BOARD_TIMER1_BASE
#define T_CTRL(t) REG((t) + 0x0)
#define T_VALUE(t) REG((t) + 0x4)
#define T_RELOAD(t) REG((t) + 0x8)
#define T_INT(t) REG((t) + 0xC)
#define TIMER0_IRQ BOARD_TIMER0_IRQ
#define TIMER1_IRQ BOARD_TIMER1_IRQ

/* CMSDK APB dual timer, its first counter: LOAD, VALUE, CONTROL (bit0 one
 * shot, bit1 32-bit, bit5 irq enable, bit6 periodic, bit7 enable), INTCLR */
#define DUALTIMER BOARD_DUALTIMER_BASE
#define DT_LOAD REG(DUALTIMER + 0x00)
#define DT_CTRL REG(DUALTIMER + 0x08)
#define DT_INTCLR REG(DUALTIMER + 0x0C)
#define DUALTIMER_IRQ BOARD_DUALTIMER_IRQ
_Static_assert(TIMER0_IRQ < 32 && TIMER1_IRQ < 32 && DUALTIMER_IRQ < 32, "NVIC word 0");

/* SysTick and NVIC */
#define SYST_CSR REG(0xE000E010)
#define SYST_RVR REG(0xE000E014)
#define SYST_CVR REG(0xE000E018)
#define NVIC_ISER(n) REG(0xE000E100 + 4 * (n))
#define NVIC_ICPR(n) REG(0xE000E280 + 4 * (n))
#define SCB_CPACR REG(0xE000ED88)
#define SCB_SHCSR REG(0xE000ED24)

#define CYCLES_PER_MS (BOARD_SYSCLK_HZ / 1000u)

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    while (UART_STATE & 1u) /* TX full */
        ;
    UART_DATA = (uint8_t)c;
}

int board_getc(void)
{
    return (UART_STATE & 2u) ? (int)(UART_DATA & 0xFFu) : -1; /* RX full */
}

/* ------------------------------------------------------------------ clock */

static volatile uint32_t wraps;     /* timer 0 wraps (2^32 cycles each) */
static uint32_t ms_count, ms_mark;  /* ms since boot; cycle count at its start */

unsigned long long board_cycles(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t v = T_VALUE(TIMER0), w = wraps;
    if (T_INT(TIMER0) & 1u) { /* wrapped, interrupt not yet taken */
        v = T_VALUE(TIMER0);
        w++;
    }
    arch_irq_restore(s);
    return ((unsigned long long)w << 32) | (uint32_t)(0xFFFFFFFFu - v);
}

uint32_t board_clock_ms(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t d = (uint32_t)board_cycles() - ms_mark;
    uint32_t n = d / CYCLES_PER_MS;  /* hardware divide on v7-M */
    ms_count += n;
    ms_mark += n * CYCLES_PER_MS;
    n = ms_count;
    arch_irq_restore(s);
    return n;
}

uint64_t board_clock_us(void)
{
    return board_cycles() / (BOARD_SYSCLK_HZ / 1000000u);
}

void Timer0_Handler(void);
void Timer0_Handler(void)
{
    T_INT(TIMER0) = 1;
    wraps++;
    (void)board_clock_ms(); /* keep ms_mark within 2^32 cycles */
}

/* ------------------------------------------------------------------ alarm */

void board_alarm_set(uint32_t deadline)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t now = board_clock_ms();
    uint32_t into = (uint32_t)board_cycles() - ms_mark; /* cycles into this ms */
    int32_t dms = (int32_t)(deadline - now);
    uint32_t cycles = 1;
    if (dms > 0) {
        uint64_t want = (uint64_t)dms * CYCLES_PER_MS - into;
        cycles = want > 0xFFFFFFu ? 0xFFFFFFu : (uint32_t)want; /* 24-bit SysTick: early is fine */
        if (cycles == 0)
            cycles = 1;
    }
    SYST_CSR = 0;
    SYST_RVR = cycles;
    SYST_CVR = 0;
    SYST_CSR = 7; /* processor clock, interrupt, enable */
    arch_irq_restore(s);
}

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    SYST_CSR = 0; /* one shot */
    vt_alarm_isr();
}

/* --------------------------------------------------- test interrupt source */

static void (*test_irq_handler)(void);

void Timer1_Handler(void);
void Timer1_Handler(void)
{
    T_INT(TIMER1) = 1;
    if (test_irq_handler != NULL)
        test_irq_handler();
}

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    T_CTRL(TIMER1) = 0;
    test_irq_handler = handler;
    if (handler == NULL || period_us == 0)
        return 0;
    T_RELOAD(TIMER1) = period_us * (BOARD_SYSCLK_HZ / 1000000u);
    T_VALUE(TIMER1) = period_us * (BOARD_SYSCLK_HZ / 1000000u);
    T_INT(TIMER1) = 1;
    NVIC_ISER(0) = 1u << TIMER1_IRQ;
    T_CTRL(TIMER1) = 1u | 8u;
    return 0;
}

/* ------------------------------------------- CPU-hog detector tick */

/* VT_CONFIG_HOG_MS: the dual timer interrupts every period_ms; its handler
 * asks the kernel whether the running thread has been running too long. */
void board_hog_timer(unsigned period_ms)
{
    DT_CTRL = 0;
    NVIC_ICPR(0) = 1u << DUALTIMER_IRQ;
    if (period_ms == 0)
        return;
    DT_LOAD = period_ms * CYCLES_PER_MS;
    DT_INTCLR = 1;
    NVIC_ISER(0) = 1u << DUALTIMER_IRQ;
    DT_CTRL = (1u << 7) | (1u << 6) | (1u << 5) | (1u << 1); /* on, periodic, irq, 32-bit */
}

void DualTimer_Handler(void);
void DualTimer_Handler(void)
{
    DT_INTCLR = 1;
    if (VT_CONFIG_HOG_MS) /* otherwise never started: the detector stays unlinked */
        vt_hog_isr();
}

/* ---------------------------------------------------------------- startup */

extern char __bss_start__[], __bss_end__[], __main_stack_bottom[];
extern void __libc_init_array(void);
int main(int argc, char **argv);

void Reset_Handler(void);
void Reset_Handler(void)
{
    int argc;
    char **argv;
    memset(__bss_start__, 0, (size_t)(__bss_end__ - __bss_start__));
#if defined(__ARM_FP) && !defined(__SOFTFP__)
    SCB_CPACR |= 0xFu << 20; /* CP10, CP11 full access */
    __asm volatile("dsb\n\tisb");
#endif
#if defined(__ARM_ARCH_8M_MAIN__)
    SCB_SHCSR |= 0xFu << 16; /* separate MemManage, BusFault, UsageFault, SecureFault */
    __asm volatile("msr msplim, %0" ::"r"(__main_stack_bottom)); /* until arch_run_prepare */
#else
    SCB_SHCSR |= 7u << 16; /* separate MemManage, BusFault, UsageFault reports */
#endif
    UART_BAUDDIV = 16;
    UART_CTRL = 3; /* TX and RX enable */
    /* timer 0: the monotonic clock, free running from 0xFFFFFFFF */
    T_RELOAD(TIMER0) = 0xFFFFFFFFu;
    T_VALUE(TIMER0) = 0xFFFFFFFFu;
    T_CTRL(TIMER0) = 1u | 8u;
    NVIC_ICPR(0) = 1u << TIMER0_IRQ;
    NVIC_ISER(0) = 1u << TIMER0_IRQ;
    __libc_init_array();
    argc = board_cmdline(&argv);
    board_exit(main(argc, argv));
}

/* ---------------------------------------------------------------- vectors */

static void unexpected_irq(void) { vt_panic("unexpected interrupt"); }

/* the NIC driver (net/drivers/lan9118.c) provides the handler when linked */
void lan9118_isr(void) __attribute__((weak));
void Eth_Handler(void);
void Eth_Handler(void)
{
    if (lan9118_isr)
        lan9118_isr();
    else
        vt_panic("unexpected Ethernet interrupt");
}

void board_irq_enable(unsigned irq)
{
    NVIC_ICPR(irq / 32) = 1u << (irq % 32);
    NVIC_ISER(irq / 32) = 1u << (irq % 32);
}

extern char __isr_stack_top[], __main_stack_top[];
void arch_fault_entry(void);

#pragma GCC diagnostic ignored "-Woverride-init" /* a default for all IRQs, then the used ones */
__attribute__((section(".vectors"), used)) void (*const vt_vector_table[16 + BOARD_IRQ_LINES])(void) = {
    (void (*)(void))__main_stack_top,
    Reset_Handler,
    arch_fault_entry, /* NMI */
    arch_fault_entry, /* HardFault */
    arch_fault_entry, /* MemManage */
    arch_fault_entry, /* BusFault */
    arch_fault_entry, /* UsageFault (ARMv8-M STKOF: a stack limit was crossed) */
#if defined(__ARM_ARCH_8M_MAIN__)
    arch_fault_entry, /* SecureFault */
    0, 0, 0,
#else
    0, 0, 0, 0,
#endif
    unexpected_irq,   /* SVCall */
    unexpected_irq,   /* DebugMon */
    0,
    unexpected_irq,   /* PendSV */
    SysTick_Handler,
    [16 + 0 ... 16 + BOARD_IRQ_LINES - 1] = unexpected_irq,
    [16 + TIMER0_IRQ] = Timer0_Handler,
    [16 + TIMER1_IRQ] = Timer1_Handler,
    [16 + DUALTIMER_IRQ] = DualTimer_Handler,
    [16 + BOARD_LAN9118_IRQ] = Eth_Handler,
};
