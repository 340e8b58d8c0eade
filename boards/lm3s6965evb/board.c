/**
 * @file boards/lm3s6965evb/board.c
 * @brief TI Stellaris LM3S6965 evaluation board (Cortex-M3) support:
 * startup from flash and the vector table, system clock (PLL to 50 MHz),
 * PL011 UART console, monotonic clock (SysTick), one-shot alarm (timer 0A),
 * test interrupt source (timer 1A), CPU-hog tick (timer 2A). Semihosting
 * (command line, exit) and the newlib system calls are the common ARM ones
 * (boards/common/arm_semihost.c, cmdline.c).
 *
 * The clock: the general-purpose timers count down and interrupt, but QEMU
 * does not let their count be read, so the free-running count is SysTick's
 * (24 bits at the core clock), extended in software by its wrap interrupt:
 * one interrupt every 2^24 cycles (335 ms at 50 MHz) is the only periodic
 * one. The alarm is a one-shot 32-bit timer programmed for the kernel's
 * next deadline only (at most 85 s ahead; earlier is fine, the kernel asks
 * again).
 *
 * Every peripheral interrupt line points to a weak handler named after its
 * peripheral (UART0_IRQHandler, ETH_IRQHandler, ...): an application or a
 * driver defines the one it serves; the others report the line and stop.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../common/board_common.h"
#include "board.h"
#include "port.h"

/* ------------------------------------------------------------ registers */

/** System control: clock source and dividers, peripheral clock gating. */
typedef struct {
    volatile const uint32_t DID0, DID1, DC0;
    uint32_t reserved0;
    volatile const uint32_t DC1, DC2, DC3, DC4;
    uint32_t reserved1[4];
    volatile uint32_t PBORCTL, LDOPCTL;
    uint32_t reserved2[2];
    volatile uint32_t SRCR0, SRCR1, SRCR2;
    uint32_t reserved3;
    volatile const uint32_t RIS; /* raw interrupt status: PLL lock */
    volatile uint32_t IMC, MISC, RESC;
    volatile uint32_t RCC;       /* run-mode clock configuration */
    volatile const uint32_t PLLCFG;
    uint32_t reserved4[2];
    volatile uint32_t RCC2;
    uint32_t reserved5[35];
    volatile uint32_t RCGC0, RCGC1, RCGC2; /* run-mode clock gating */
} SYSCTL_Type;
_Static_assert(offsetof(SYSCTL_Type, RCC) == 0x060, "SYSCTL layout");
_Static_assert(offsetof(SYSCTL_Type, RCGC2) == 0x108, "SYSCTL layout");
#define SYSCTL ((SYSCTL_Type *)BOARD_SYSCTL_BASE)

#define SYSCTL_RIS_PLLLRIS (1u << 6)     /* the PLL has locked */
#define SYSCTL_RCC_OSCSRC_M (3u << 4)    /* 0: the main oscillator */
#define SYSCTL_RCC_XTAL_M (0xFu << 6)
#define SYSCTL_RCC_XTAL_8MHZ (0xEu << 6) /* the evaluation board's crystal */
#define SYSCTL_RCC_BYPASS (1u << 11)     /* run from the oscillator, not the PLL */
#define SYSCTL_RCC_OEN (1u << 12)        /* PLL output disabled */
#define SYSCTL_RCC_PWRDN (1u << 13)      /* PLL powered down */
#define SYSCTL_RCC_USESYSDIV (1u << 22)
#define SYSCTL_RCC_SYSDIV_M (0xFu << 23)
#define SYSCTL_RCC_SYSDIV(n) ((uint32_t)((n) - 1u) << 23) /* 200 MHz PLL / n */
#define SYSCTL_RCGC1_UART0 (1u << 0)
#define SYSCTL_RCGC1_TIMER(n) (1u << (16 + (n)))
#define SYSCTL_RCGC2_GPIOA (1u << 0)
#define SYSCTL_RCGC2_EMAC0 (1u << 28)
#define SYSCTL_RCGC2_EPHY0 (1u << 30)

/** GPIO port: the registers used to give pins to a peripheral. */
typedef struct {
    volatile uint32_t DATA[256]; /* masked data: address bits 9:2 select the pins */
    volatile uint32_t DIR, IS, IBE, IEV, IM;
    volatile const uint32_t RIS, MIS;
    volatile uint32_t ICR, AFSEL;
    uint32_t reserved0[55];
    volatile uint32_t DR2R, DR4R, DR8R, ODR, PUR, PDR, SLR, DEN;
} GPIO_Type;
_Static_assert(offsetof(GPIO_Type, AFSEL) == 0x420, "GPIO layout");
_Static_assert(offsetof(GPIO_Type, DEN) == 0x51C, "GPIO layout");
#define GPIOA ((GPIO_Type *)BOARD_GPIOA_BASE)
#define GPIOA_UART0_PINS 0x3u /* PA0 = U0Rx, PA1 = U0Tx */

/** PL011 UART. */
typedef struct {
    volatile uint32_t DR;          /* data */
    volatile uint32_t RSR;         /* receive status / error clear */
    uint32_t reserved0[4];
    volatile const uint32_t FR;    /* flags */
    uint32_t reserved1;
    volatile uint32_t ILPR;
    volatile uint32_t IBRD, FBRD;  /* baud rate divisor: integer, 1/64ths */
    volatile uint32_t LCRH;        /* line control */
    volatile uint32_t CTL;
} UART_Type;
_Static_assert(offsetof(UART_Type, CTL) == 0x030, "UART layout");
#define UART0 ((UART_Type *)BOARD_UART0_BASE)
#define UART_FR_RXFE (1u << 4)          /* receive FIFO empty */
#define UART_FR_TXFF (1u << 5)          /* transmit FIFO full */
#define UART_LCRH_FEN (1u << 4)         /* 16-byte FIFOs */
#define UART_LCRH_WLEN_8 (3u << 5)
#define UART_CTL_UARTEN (1u << 0)
#define UART_CTL_TXE (1u << 8)
#define UART_CTL_RXE (1u << 9)
#define UART_BAUD 115200u
/* divisor = SYSCLK / (16 * baud) = 27.127: 27 and 8/64 */
#define UART_IBRD (BOARD_SYSCLK_HZ / (16u * UART_BAUD))
#define UART_FBRD ((BOARD_SYSCLK_HZ * 8u / UART_BAUD - UART_IBRD * 128u + 1u) / 2u) /* rounded */

/** General-purpose timer module (timer A used as one 32-bit timer). */
typedef struct {
    volatile uint32_t CFG;          /* 0: one 32-bit timer */
    volatile uint32_t TAMR, TBMR;   /* mode */
    volatile uint32_t CTL;          /* enable */
    uint32_t reserved0[2];
    volatile uint32_t IMR;          /* interrupt mask */
    volatile const uint32_t RIS, MIS;
    volatile uint32_t ICR;          /* interrupt clear */
    volatile uint32_t TAILR, TBILR; /* interval load */
} GPTM_Type;
_Static_assert(offsetof(GPTM_Type, TAILR) == 0x028, "GPTM layout");
#define TIMER0 ((GPTM_Type *)BOARD_TIMER0_BASE)
#define TIMER1 ((GPTM_Type *)BOARD_TIMER1_BASE)
#define TIMER2 ((GPTM_Type *)BOARD_TIMER2_BASE)
#define GPTM_CFG_32BIT 0u
#define GPTM_TAMR_ONESHOT 1u
#define GPTM_TAMR_PERIODIC 2u
#define GPTM_CTL_TAEN (1u << 0)
#define GPTM_INT_TATO (1u << 0)         /* timer A timed out */

/** Cortex-M3 core peripherals. */
typedef struct {
    volatile uint32_t CSR, RVR, CVR;
    volatile const uint32_t CALIB;
} SysTick_Type;
#define SYSTICK ((SysTick_Type *)0xE000E010u)
#define SYSTICK_CSR_ENABLE (1u << 0)
#define SYSTICK_CSR_TICKINT (1u << 1)
#define SYSTICK_CSR_CLKSOURCE (1u << 2) /* the core clock (no reference clock is wired) */
#define SYSTICK_MAX 0xFFFFFFu
#define NVIC_ISER(n) (*(volatile uint32_t *)(0xE000E100u + 4u * (n)))
#define NVIC_ICER(n) (*(volatile uint32_t *)(0xE000E180u + 4u * (n)))
#define NVIC_ICPR(n) (*(volatile uint32_t *)(0xE000E280u + 4u * (n)))
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define SCB_ICSR_PENDSTSET (1u << 26)   /* SysTick pending */
#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)
#define SCB_SHCSR_FAULTS (7u << 16)     /* MemManage, BusFault, UsageFault enabled */

#define CYCLES_PER_MS (BOARD_SYSCLK_HZ / 1000u)
#define CYCLES_PER_US (BOARD_SYSCLK_HZ / 1000000u)

/* ------------------------------------------------------- system clock */

/* From the 8 MHz crystal through the PLL (200 MHz) divided by 4: bypass
 * the PLL, power it up with the crystal selected, set the divider, wait
 * for lock, then switch over. */
static void clock_init(void)
{
    uint32_t rcc = SYSCTL->RCC;
    rcc = (rcc | SYSCTL_RCC_BYPASS) & ~SYSCTL_RCC_USESYSDIV;
    SYSCTL->RCC = rcc;
    rcc &= ~(SYSCTL_RCC_XTAL_M | SYSCTL_RCC_OSCSRC_M | SYSCTL_RCC_PWRDN | SYSCTL_RCC_OEN);
    rcc |= SYSCTL_RCC_XTAL_8MHZ;
    SYSCTL->RCC = rcc;
    rcc = (rcc & ~SYSCTL_RCC_SYSDIV_M) | SYSCTL_RCC_SYSDIV(4) | SYSCTL_RCC_USESYSDIV;
    SYSCTL->RCC = rcc;
    for (int i = 0; i < 100000 && !(SYSCTL->RIS & SYSCTL_RIS_PLLLRIS); i++) {
    }
    SYSCTL->RCC = rcc & ~SYSCTL_RCC_BYPASS;
}

/* ---------------------------------------------------------------- console */

void board_putc(char c)
{
    while (UART0->FR & UART_FR_TXFF)
        ;
    UART0->DR = (uint8_t)c;
}

int board_getc(void)
{
    return (UART0->FR & UART_FR_RXFE) ? -1 : (int)(UART0->DR & 0xFFu);
}

/* ------------------------------------------------------------------ clock */

static volatile uint32_t wraps;     /* SysTick wraps (2^24 cycles each) */
static uint32_t ms_count, ms_mark;  /* ms since boot; cycle count at its start */

unsigned long long board_cycles(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t v = SYSTICK->CVR, w = wraps;
    if (SCB_ICSR & SCB_ICSR_PENDSTSET) { /* wrapped, interrupt not yet taken */
        v = SYSTICK->CVR;
        w++;
    }
    arch_irq_restore(s);
    return ((unsigned long long)w << 24) + (SYSTICK_MAX - v);
}

uint32_t board_clock_ms(void)
{
    arch_irq_state_t s = arch_irq_save();
    uint32_t d = (uint32_t)board_cycles() - ms_mark;
    uint32_t n = d / CYCLES_PER_MS;
    ms_count += n;
    ms_mark += n * CYCLES_PER_MS;
    n = ms_count;
    arch_irq_restore(s);
    return n;
}

uint64_t board_clock_us(void)
{
    return board_cycles() / CYCLES_PER_US;
}

void SysTick_Handler(void);
void SysTick_Handler(void)
{
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
        cycles = want > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)want; /* 85 s: early is fine */
        if (cycles == 0)
            cycles = 1;
    }
    TIMER0->CTL = 0;
    TIMER0->ICR = GPTM_INT_TATO;
    TIMER0->TAILR = cycles;
    TIMER0->CTL = GPTM_CTL_TAEN; /* one shot: counts down once, interrupts, stops */
    arch_irq_restore(s);
}

void TIMER0A_IRQHandler(void);
void TIMER0A_IRQHandler(void)
{
    TIMER0->ICR = GPTM_INT_TATO;
    vt_alarm_isr();
}

/* A periodic 32-bit timer: @p t interrupts every @p cycles from now (0: stop). */
static void periodic_start(GPTM_Type *t, unsigned irq, uint32_t cycles)
{
    t->CTL = 0;
    t->ICR = GPTM_INT_TATO;
    NVIC_ICPR(irq / 32) = 1u << (irq % 32);
    if (cycles == 0)
        return;
    t->CFG = GPTM_CFG_32BIT;
    t->TAMR = GPTM_TAMR_PERIODIC;
    t->TAILR = cycles - 1u; /* the period is the load value + 1 */
    t->IMR = GPTM_INT_TATO;
    board_irq_enable(irq);
    t->CTL = GPTM_CTL_TAEN;
}

/* --------------------------------------------------- test interrupt source */

static void (*test_irq_handler)(void);

void TIMER1A_IRQHandler(void);
void TIMER1A_IRQHandler(void)
{
    TIMER1->ICR = GPTM_INT_TATO;
    if (test_irq_handler != NULL)
        test_irq_handler();
}

int board_test_irq(unsigned period_us, void (*handler)(void))
{
    test_irq_handler = handler;
    if (handler == NULL || period_us == 0) {
        periodic_start(TIMER1, BOARD_TIMER1A_IRQ, 0);
        return 0;
    }
    if (period_us > 0xFFFFFFFFu / CYCLES_PER_US)
        return VT_EINVAL;
    periodic_start(TIMER1, BOARD_TIMER1A_IRQ, period_us * CYCLES_PER_US);
    return 0;
}

/* ------------------------------------------- CPU-hog detector tick */

/* VT_CONFIG_HOG_MS: timer 2A interrupts every period_ms; its handler asks
 * the kernel whether the running thread has been running too long. */
void board_hog_timer(unsigned period_ms)
{
    if (period_ms > 0xFFFFFFFFu / CYCLES_PER_MS)
        period_ms = 0xFFFFFFFFu / CYCLES_PER_MS;
    periodic_start(TIMER2, BOARD_TIMER2A_IRQ, period_ms * CYCLES_PER_MS);
}

void TIMER2A_IRQHandler(void);
void TIMER2A_IRQHandler(void)
{
    TIMER2->ICR = GPTM_INT_TATO;
    if (VT_CONFIG_HOG_MS) /* otherwise never started: the detector stays unlinked */
        vt_hog_isr();
}

void board_irq_enable(unsigned irq)
{
    NVIC_ICPR(irq / 32) = 1u << (irq % 32);
    NVIC_ISER(irq / 32) = 1u << (irq % 32);
}

/* ---------------------------------------------------------------- startup */

extern char __bss_start__[], __bss_end__[];
extern char __data_start__[], __data_end__[], __data_load__[];
extern void __libc_init_array(void);
int main(int argc, char **argv);

static char stdout_buf[64]; /* newlib would malloc 1 KB for it */

void Reset_Handler(void);
void Reset_Handler(void)
{
    int argc;
    char **argv;
    /* initialised data: from its load address in flash to RAM; then zeroes */
    memcpy(__data_start__, __data_load__, (size_t)(__data_end__ - __data_start__));
    memset(__bss_start__, 0, (size_t)(__bss_end__ - __bss_start__));
    SCB_SHCSR |= SCB_SHCSR_FAULTS; /* separate MemManage, BusFault, UsageFault reports */
    clock_init();
    SYSCTL->RCGC1 |= SYSCTL_RCGC1_UART0 | SYSCTL_RCGC1_TIMER(0) | SYSCTL_RCGC1_TIMER(1) |
                     SYSCTL_RCGC1_TIMER(2);
    SYSCTL->RCGC2 |= SYSCTL_RCGC2_GPIOA | SYSCTL_RCGC2_EMAC0 | SYSCTL_RCGC2_EPHY0;
    (void)SYSCTL->RCGC2; /* a few cycles before the gated peripherals are touched */
    /* UART0 on PA0/PA1, 115200 8N1 with FIFOs */
    GPIOA->AFSEL |= GPIOA_UART0_PINS;
    GPIOA->DEN |= GPIOA_UART0_PINS;
    UART0->CTL = 0;
    UART0->IBRD = UART_IBRD;
    UART0->FBRD = UART_FBRD;
    UART0->LCRH = UART_LCRH_WLEN_8 | UART_LCRH_FEN;
    UART0->CTL = UART_CTL_UARTEN | UART_CTL_TXE | UART_CTL_RXE;
    /* SysTick: the monotonic clock, free running from 2^24 - 1. Cleared, it
     * reads 0 until its first load, which (rightly) does not count as a
     * wrap: wait for it, or the clock would read a full period and then go
     * back (one clock on the chip; in QEMU, a while) */
    SYSTICK->RVR = SYSTICK_MAX;
    SYSTICK->CVR = 0;
    SYSTICK->CSR = SYSTICK_CSR_CLKSOURCE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_ENABLE;
    for (int i = 0; i < 1000000 && SYSTICK->CVR == 0; i++) {
    }
    /* timer 0A: the alarm, started per deadline */
    TIMER0->CTL = 0;
    TIMER0->CFG = GPTM_CFG_32BIT;
    TIMER0->TAMR = GPTM_TAMR_ONESHOT;
    TIMER0->IMR = GPTM_INT_TATO;
    board_irq_enable(BOARD_TIMER0A_IRQ);
    __libc_init_array();
    setvbuf(stdout, stdout_buf, _IOLBF, sizeof stdout_buf);
    argc = board_cmdline(&argv);
    board_exit(main(argc, argv));
}

/* ---------------------------------------------------------------- vectors */

/* The default of every interrupt nobody serves: name the line and stop. */
static void unexpected_irq(void)
{
    static char msg[40];
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    if (ipsr >= 16)
        snprintf(msg, sizeof msg, "unexpected interrupt: IRQ %u", (unsigned)(ipsr - 16));
    else
        snprintf(msg, sizeof msg, "unexpected exception %u", (unsigned)ipsr);
    vt_panic(msg);
}

#define WEAK_HANDLER(name) \
    void name(void) __attribute__((weak, alias("unexpected_irq")));
WEAK_HANDLER(SVC_Handler)
WEAK_HANDLER(DebugMon_Handler)
WEAK_HANDLER(PendSV_Handler)
WEAK_HANDLER(GPIOA_IRQHandler)
WEAK_HANDLER(GPIOB_IRQHandler)
WEAK_HANDLER(GPIOC_IRQHandler)
WEAK_HANDLER(GPIOD_IRQHandler)
WEAK_HANDLER(GPIOE_IRQHandler)
WEAK_HANDLER(UART0_IRQHandler)
WEAK_HANDLER(UART1_IRQHandler)
WEAK_HANDLER(SSI0_IRQHandler)
WEAK_HANDLER(I2C0_IRQHandler)
WEAK_HANDLER(PWM_FAULT_IRQHandler)
WEAK_HANDLER(PWM0_IRQHandler)
WEAK_HANDLER(PWM1_IRQHandler)
WEAK_HANDLER(PWM2_IRQHandler)
WEAK_HANDLER(QEI0_IRQHandler)
WEAK_HANDLER(ADC0SS0_IRQHandler)
WEAK_HANDLER(ADC0SS1_IRQHandler)
WEAK_HANDLER(ADC0SS2_IRQHandler)
WEAK_HANDLER(ADC0SS3_IRQHandler)
WEAK_HANDLER(WATCHDOG_IRQHandler)
WEAK_HANDLER(TIMER0B_IRQHandler)
WEAK_HANDLER(TIMER1B_IRQHandler)
WEAK_HANDLER(TIMER2B_IRQHandler)
WEAK_HANDLER(COMP0_IRQHandler)
WEAK_HANDLER(COMP1_IRQHandler)
WEAK_HANDLER(SYSCTL_IRQHandler)
WEAK_HANDLER(FLASH_IRQHandler)
WEAK_HANDLER(GPIOF_IRQHandler)
WEAK_HANDLER(GPIOG_IRQHandler)
WEAK_HANDLER(UART2_IRQHandler)
WEAK_HANDLER(TIMER3A_IRQHandler)
WEAK_HANDLER(TIMER3B_IRQHandler)
WEAK_HANDLER(I2C1_IRQHandler)
WEAK_HANDLER(QEI1_IRQHandler)
WEAK_HANDLER(ETH_IRQHandler) /* net/drivers/stellaris.c when linked */
WEAK_HANDLER(HIB_IRQHandler)

extern char __main_stack_top[];
void arch_fault_entry(void);

__attribute__((section(".vectors"), used)) void (*const vt_vector_table[16 + BOARD_IRQ_LINES])(void) = {
    (void (*)(void))__main_stack_top,
    Reset_Handler,
    arch_fault_entry, /* NMI */
    arch_fault_entry, /* HardFault */
    arch_fault_entry, /* MemManage */
    arch_fault_entry, /* BusFault */
    arch_fault_entry, /* UsageFault */
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    /* IRQ 0 */ GPIOA_IRQHandler, GPIOB_IRQHandler, GPIOC_IRQHandler, GPIOD_IRQHandler,
    /* IRQ 4 */ GPIOE_IRQHandler, UART0_IRQHandler, UART1_IRQHandler, SSI0_IRQHandler,
    /* IRQ 8 */ I2C0_IRQHandler, PWM_FAULT_IRQHandler, PWM0_IRQHandler, PWM1_IRQHandler,
    /* IRQ 12 */ PWM2_IRQHandler, QEI0_IRQHandler, ADC0SS0_IRQHandler, ADC0SS1_IRQHandler,
    /* IRQ 16 */ ADC0SS2_IRQHandler, ADC0SS3_IRQHandler, WATCHDOG_IRQHandler, TIMER0A_IRQHandler,
    /* IRQ 20 */ TIMER0B_IRQHandler, TIMER1A_IRQHandler, TIMER1B_IRQHandler, TIMER2A_IRQHandler,
    /* IRQ 24 */ TIMER2B_IRQHandler, COMP0_IRQHandler, COMP1_IRQHandler, unexpected_irq,
    /* IRQ 28 */ SYSCTL_IRQHandler, FLASH_IRQHandler, GPIOF_IRQHandler, GPIOG_IRQHandler,
    /* IRQ 32 */ unexpected_irq, UART2_IRQHandler, unexpected_irq, TIMER3A_IRQHandler,
    /* IRQ 36 */ TIMER3B_IRQHandler, I2C1_IRQHandler, QEI1_IRQHandler, unexpected_irq,
    /* IRQ 40 */ unexpected_irq, unexpected_irq, ETH_IRQHandler, HIB_IRQHandler,
};
