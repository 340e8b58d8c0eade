/* SPDX-License-Identifier: MIT */
/**
 * @file tests/user_irq.c
 * @brief An application's own interrupt handler, by its conventional name
 * (board_api.h): the test defines the NAME_IRQHandler of a line the board
 * leaves free, enables the line with board_irq_enable(), makes a spare
 * device interrupt several times and checks that its handler ran each time,
 * in interrupt context, and woke a thread through an `_isr` call.
 *
 * Built with NO_USER_HANDLER (test user_irq_default) the handler is not
 * defined, so the board's default takes the interrupt and must report the
 * line and stop.
 *
 * The spare device per board, as a user would program it:
 *   mps2-an385/386/505  CMSDK UART1, transmit interrupt (UARTTX1_IRQHandler)
 *   microbit            the RNG's value-ready event (RNG_IRQHandler)
 *   riscv32-virt*       the console UART's transmitter-empty interrupt
 *                       (UART0_IRQHandler; output itself stays polled)
 *   sifive_e            UART1's transmit watermark (UART1_IRQHandler)
 *   lm3s6965evb         UART1's transmit interrupt (UART1_IRQHandler)
 *   netduinoplus2       TIM5's line pended from software (TIM5_IRQHandler):
 *                       QEMU 7.2 models no STM32F405 device that can raise a
 *                       spare line when asked (its timer model fires at the
 *                       wrong time, EXTI has no GPIO behind it, its USART
 *                       interrupts on receive only), so the NVIC's set-pending
 *                       register stands in for the device, as CMSIS's
 *                       NVIC_SetPendingIRQ() does.
 */
#include <stdint.h>

#include "arch_cpu.h"
#include "board.h"
#include "harness.h"

#if defined(CMSDK_UART1) /* ---------------------------------------- MPS2 */
#define SPARE_LINE UARTTX1_IRQn
#define SPARE_HANDLER UARTTX1_IRQHandler
static inline void spare_start(void)
{
    CMSDK_UART1->BAUDDIV = 16;
    CMSDK_UART1->CTRL = CMSDK_UART_CTRL_TXEN | CMSDK_UART_CTRL_TXIRQEN;
}
static inline void spare_raise(void) { CMSDK_UART1->DATA = 'x'; } /* interrupts once sent */
static inline void spare_ack(void) { CMSDK_UART1->INTSTATUS = CMSDK_UART_INT_TX; }
static inline void spare_stop(void) { CMSDK_UART1->CTRL = 0; }

#elif defined(NRF_RNG) /* ---------------------------------------- microbit */
#define SPARE_LINE RNG_IRQn
#define SPARE_HANDLER RNG_IRQHandler
static inline void spare_start(void) { NRF_RNG->INTENSET = RNG_INTEN_VALRDY; }
static inline void spare_raise(void) { NRF_RNG->TASKS_START = 1; }
static inline void spare_ack(void)
{
    NRF_RNG->TASKS_STOP = 1; /* one value per raise */
    NRF_RNG->EVENTS_VALRDY = 0;
    (void)NRF_RNG->VALUE;
}
static inline void spare_stop(void) { NRF_RNG->INTENCLR = RNG_INTEN_VALRDY; }

#elif defined(VIRT_UART0) /* ------------------------------------ riscv32-virt */
#define SPARE_LINE UART0_IRQn
#define SPARE_HANDLER UART0_IRQHandler
static inline void spare_start(void) {}
static inline void spare_raise(void) { VIRT_UART0->IER = NS16550_IER_ETBEI; } /* THR is empty */
static inline void spare_ack(void)
{
    VIRT_UART0->IER = 0;
    (void)VIRT_UART0->IIR_FCR; /* reading the identity clears the THRE interrupt */
}
static inline void spare_stop(void) { VIRT_UART0->IER = 0; }

#elif defined(FE310_UART1) /* -------------------------------------- sifive_e */
#define SPARE_LINE UART1_IRQn
#define SPARE_HANDLER UART1_IRQHandler
static inline void spare_start(void) { FE310_UART1->TXCTRL = UART_TXCTRL_TXEN; }
static inline void spare_raise(void) { FE310_UART1->IE = UART_IE_TXWM; } /* the FIFO is empty */
static inline void spare_ack(void) { FE310_UART1->IE = 0; }
static inline void spare_stop(void) { FE310_UART1->IE = 0; }

#elif defined(TIM5) /* ----------------------------------------- netduinoplus2 */
#define SPARE_LINE TIM5_IRQn
#define SPARE_HANDLER TIM5_IRQHandler
#define NVIC_ISPR ((volatile uint32_t *)0xE000E200u) /* set-pending, 32 lines a word */
static inline void spare_start(void) {}
static inline void spare_raise(void) { NVIC_ISPR[TIM5_IRQn / 32] = 1u << (TIM5_IRQn % 32); }
static inline void spare_ack(void) { TIM5->SR = 0; } /* what a TIM5 handler does; no flag is set */
static inline void spare_stop(void) {}

#elif defined(LM3S_UART1) /* ---------------------------------- lm3s6965evb */
#define SPARE_LINE UART1_IRQn
#define SPARE_HANDLER UART1_IRQHandler
static inline void spare_start(void)
{
    LM3S_SYSCTL->RCGC1 |= SYSCTL_RCGC1_UART(1);
    LM3S_UART1->CTL = UART_CTL_UARTEN | UART_CTL_TXE;
    LM3S_UART1->IM = UART_INT_TX;
}
static inline void spare_raise(void) { LM3S_UART1->DR = 'x'; } /* interrupts once sent */
static inline void spare_ack(void) { LM3S_UART1->ICR = UART_INT_TX; }
static inline void spare_stop(void) { LM3S_UART1->IM = 0; }

#else
#error "tests/user_irq.c: name a spare interrupt source for this board"
#endif

#define RAISES 10

static vt_sem_t fired;
static volatile unsigned calls, calls_in_isr;

#ifndef NO_USER_HANDLER
void SPARE_HANDLER(void)
{
    spare_ack();
    calls++;
    if (arch_in_isr())
        calls_in_isr++;
    vt_sem_post_isr(&fired);
}
#endif

static int case_user_irq(void *unused)
{
    vt_sem_init(&fired, 0);
    calls = calls_in_isr = 0;
    CHECK_EQ(board_irq_enable(BOARD_IRQ_LINES), VT_EINVAL); /* a line the board lacks */
    spare_start();
    CHECK_EQ(board_irq_enable(SPARE_LINE), 0);
    printf("  raising line %u, %d times\n", (unsigned)SPARE_LINE, RAISES);
    for (unsigned i = 0; i < RAISES; i++) {
        spare_raise();
        CHECK_EQ(vt_sem_wait_timeout(&fired, 5000), 0);
    }
    CHECK_EQ(board_irq_disable(SPARE_LINE), 0);
    spare_stop();
    CHECK_EQ(calls, RAISES);
    CHECK_EQ(calls_in_isr, RAISES);
    printf("  %u calls of the application's handler, %u in interrupt context\n",
           (unsigned)calls, (unsigned)calls_in_isr);
    return 0;
}

int main(int argc, char **argv)
{
    printf("user interrupt handler on %s\n", VT_BOARD_NAME);
    run_case("user_irq", case_user_irq);
    return harness_finish();
}
