/* SPDX-License-Identifier: MIT */
/**
 * @file boards/netduinoplus2/board.h
 * @brief Netduino Plus 2 (STM32F405RG: Cortex-M4F, 1 MB flash, 128 KB SRAM
 * at 0x20000000 + 64 KB CCM at 0x10000000) as QEMU 7.2 models it:
 * peripherals, clocks and interrupt lines (names as in ST's CMSIS header).
 *
 * QEMU starts the part at 168 MHz and clocks the STM32 timers at 1 GHz
 * whatever the RCC says (its RCC is not modelled); the real part starts on
 * its 16 MHz internal oscillator. QEMU 7.2 does not map the CCM: the board
 * uses the 128 KB of SRAM only.
 */
#ifndef VT_BOARD_NETDUINOPLUS2_H
#define VT_BOARD_NETDUINOPLUS2_H

#include <stdint.h>

#include "stm32f405.h"

#ifndef VT_BOARD_NAME
#define VT_BOARD_NAME "netduinoplus2"
#endif

/** SysTick counts processor clocks: 168 MHz as QEMU runs the part. */
#define BOARD_SYSTICK_HZ 168000000u
/** The STM32 timers' input clock as QEMU 7.2 models it. */
#define BOARD_TIM_CLOCK_HZ 1000000000u
/** board_cycles() counts TIM2, prescaled to 10 MHz. */
#define BOARD_CYCLES_HZ 10000000u
/** TIM2 wraps (every 429 s) without telling: SysTick never parks. */
#define BOARD_CLOCK_WATCH 1
/** SysTick also carries the CPU-hog tick and the test interrupt source. */
#define BOARD_HOG_ON_COMPARE 1
#define BOARD_TEST_IRQ_ON_COMPARE 1

/* NVIC interrupt lines (the F405's: none of the F407's Ethernet, camera or
 * crypto lines). The board takes none of them: its clock (TIM2) counts
 * without interrupts and SysTick carries the alarm, the CPU-hog tick and
 * the test interrupt source. */
#define BOARD_IRQ_LINES 82
#define BOARD_IRQ_LIST(X)                                                            \
    X(WWDG, 0) X(PVD, 1) X(TAMP_STAMP, 2) X(RTC_WKUP, 3) X(FLASH, 4) X(RCC, 5)       \
    X(EXTI0, 6) X(EXTI1, 7) X(EXTI2, 8) X(EXTI3, 9) X(EXTI4, 10)                     \
    X(DMA1_Stream0, 11) X(DMA1_Stream1, 12) X(DMA1_Stream2, 13) X(DMA1_Stream3, 14)  \
    X(DMA1_Stream4, 15) X(DMA1_Stream5, 16) X(DMA1_Stream6, 17) X(ADC, 18)           \
    X(CAN1_TX, 19) X(CAN1_RX0, 20) X(CAN1_RX1, 21) X(CAN1_SCE, 22) X(EXTI9_5, 23)    \
    X(TIM1_BRK_TIM9, 24) X(TIM1_UP_TIM10, 25) X(TIM1_TRG_COM_TIM11, 26)              \
    X(TIM1_CC, 27) X(TIM2, 28) X(TIM3, 29) X(TIM4, 30) X(I2C1_EV, 31)                \
    X(I2C1_ER, 32) X(I2C2_EV, 33) X(I2C2_ER, 34) X(SPI1, 35) X(SPI2, 36)             \
    X(USART1, 37) X(USART2, 38) X(USART3, 39) X(EXTI15_10, 40) X(RTC_Alarm, 41)      \
    X(OTG_FS_WKUP, 42) X(TIM8_BRK_TIM12, 43) X(TIM8_UP_TIM13, 44)                    \
    X(TIM8_TRG_COM_TIM14, 45) X(TIM8_CC, 46) X(DMA1_Stream7, 47) X(FSMC, 48)         \
    X(SDIO, 49) X(TIM5, 50) X(SPI3, 51) X(UART4, 52) X(UART5, 53) X(TIM6_DAC, 54)    \
    X(TIM7, 55) X(DMA2_Stream0, 56) X(DMA2_Stream1, 57) X(DMA2_Stream2, 58)          \
    X(DMA2_Stream3, 59) X(DMA2_Stream4, 60) X(CAN2_TX, 63) X(CAN2_RX0, 64)           \
    X(CAN2_RX1, 65) X(CAN2_SCE, 66) X(OTG_FS, 67) X(DMA2_Stream5, 68)                \
    X(DMA2_Stream6, 69) X(DMA2_Stream7, 70) X(USART6, 71) X(I2C3_EV, 72)             \
    X(I2C3_ER, 73) X(OTG_HS_EP1_OUT, 74) X(OTG_HS_EP1_IN, 75) X(OTG_HS_WKUP, 76)     \
    X(OTG_HS, 77) X(HASH_RNG, 80) X(FPU, 81)
/* SysTick (alarm, CPU-hog tick, test interrupt source) is the board's. */

#include "../common/board_api.h"

#endif
