/**
 * @file boards/common/cortex_m.h
 * @brief Cortex-M core peripherals the boards program (SysTick, NVIC, the
 * System Control Block), at the addresses the architecture fixes, with
 * CMSIS's register and bit names. Private to the board code: board.h does
 * not include it, so an application may include its vendor's CMSIS headers.
 */
#ifndef VT_BOARD_CORTEX_M_H
#define VT_BOARD_CORTEX_M_H

#include <stddef.h>
#include <stdint.h>

/** SysTick: a 24-bit down-counter (ARMv6-M and later). */
typedef struct {
    volatile uint32_t CTRL;        /**< 0x00 control and status */
    volatile uint32_t LOAD;        /**< 0x04 reload value */
    volatile uint32_t VAL;         /**< 0x08 current value (a write clears it) */
    const volatile uint32_t CALIB; /**< 0x0C calibration */
} systick_regs_t;
#define SysTick ((systick_regs_t *)0xE000E010u)
#define SysTick_CTRL_ENABLE (1u << 0)
#define SysTick_CTRL_TICKINT (1u << 1)   /**< interrupt when the count reaches 0 */
#define SysTick_CTRL_CLKSOURCE (1u << 2) /**< the processor clock (else the reference clock) */
#define SysTick_CTRL_COUNTFLAG (1u << 16)
#define SysTick_LOAD_MAX 0xFFFFFFu

/** NVIC: one bit per interrupt line in each bank of 32. */
typedef struct {
    volatile uint32_t ISER[16]; /**< 0x000 set enable */
    uint32_t reserved0[16];
    volatile uint32_t ICER[16]; /**< 0x080 clear enable */
    uint32_t reserved1[16];
    volatile uint32_t ISPR[16]; /**< 0x100 set pending */
    uint32_t reserved2[16];
    volatile uint32_t ICPR[16]; /**< 0x180 clear pending */
} nvic_regs_t;
#define NVIC ((nvic_regs_t *)0xE000E100u)
_Static_assert(offsetof(nvic_regs_t, ICPR) == 0x180, "NVIC layout");

/** System Control Block (the registers ARMv6-M lacks are left alone there). */
typedef struct {
    const volatile uint32_t CPUID; /**< 0x00 */
    volatile uint32_t ICSR;        /**< 0x04 interrupt control and state */
    volatile uint32_t VTOR;        /**< 0x08 vector table offset (not on ARMv6-M) */
    volatile uint32_t AIRCR;       /**< 0x0C */
    volatile uint32_t SCR;         /**< 0x10 */
    volatile uint32_t CCR;         /**< 0x14 */
    volatile uint32_t SHPR[3];     /**< 0x18 system handler priorities */
    volatile uint32_t SHCSR;       /**< 0x24 system handler control and state */
    volatile uint32_t CFSR;        /**< 0x28 configurable fault status */
    volatile uint32_t HFSR;        /**< 0x2C */
    volatile uint32_t DFSR;        /**< 0x30 */
    volatile uint32_t MMFAR;       /**< 0x34 */
    volatile uint32_t BFAR;        /**< 0x38 */
    volatile uint32_t AFSR;        /**< 0x3C */
    const volatile uint32_t ID[13]; /**< 0x40 feature registers */
    uint32_t reserved[5];
    volatile uint32_t CPACR;       /**< 0x88 coprocessor access (FPU: CP10, CP11) */
} scb_regs_t;
#define SCB ((scb_regs_t *)0xE000ED00u)
_Static_assert(offsetof(scb_regs_t, CPACR) == 0x88, "SCB layout");
#define SCB_SHCSR_MEMFAULTENA (1u << 16)
#define SCB_SHCSR_BUSFAULTENA (1u << 17)
#define SCB_SHCSR_USGFAULTENA (1u << 18)
#define SCB_SHCSR_SECUREFAULTENA (1u << 19) /**< ARMv8-M with the Security Extension */
#define SCB_CPACR_CP10_CP11_FULL (0xFu << 20)

/* The core's exception handlers the boards may define (CMSIS names); the
 * faults are the port's (arch_fault_entry). */
void SVC_Handler(void);
void DebugMon_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);

#endif
