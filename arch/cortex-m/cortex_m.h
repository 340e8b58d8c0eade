/* SPDX-License-Identifier: MIT */
/**
 * @file arch/cortex-m/cortex_m.h
 * @brief Registers of the Cortex-M system control space (SysTick, NVIC, the
 * System Control Block, the ARMv7-M MPU) at the addresses the architecture
 * fixes, with CMSIS's register and bit names: the one description of the
 * core's registers, for the port (arch/cortex-m/) and the boards
 * (boards/common/). Private to them: board.h does not include it, so an
 * application may include its vendor's CMSIS headers.
 */
#ifndef VT_ARCH_CORTEX_M_H
#define VT_ARCH_CORTEX_M_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- SysTick */

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

/* ---------------------------------------------------------------- NVIC */

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

/* ------------------------------------------------- System Control Block */

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
    volatile uint32_t HFSR;        /**< 0x2C hard fault status */
    volatile uint32_t DFSR;        /**< 0x30 */
    volatile uint32_t MMFAR;       /**< 0x34 MemManage fault address */
    volatile uint32_t BFAR;        /**< 0x38 BusFault address */
    volatile uint32_t AFSR;        /**< 0x3C */
    const volatile uint32_t ID[13]; /**< 0x40 feature registers */
    uint32_t reserved[5];
    volatile uint32_t CPACR;       /**< 0x88 coprocessor access (FPU: CP10, CP11) */
} scb_regs_t;
#define SCB ((scb_regs_t *)0xE000ED00u)
_Static_assert(offsetof(scb_regs_t, CFSR) == 0x28, "SCB layout");
_Static_assert(offsetof(scb_regs_t, CPACR) == 0x88, "SCB layout");
#define SCB_ICSR_PENDSVSET (1u << 28)       /**< make PendSV pending */
#define SCB_ICSR_PENDSTSET (1u << 26)       /**< make SysTick pending */
#define SCB_SHCSR_MEMFAULTENA (1u << 16)
#define SCB_SHCSR_BUSFAULTENA (1u << 17)
#define SCB_SHCSR_USGFAULTENA (1u << 18)
#define SCB_SHCSR_SECUREFAULTENA (1u << 19) /**< ARMv8-M with the Security Extension */
#define SCB_CPACR_CP10_CP11_FULL (0xFu << 20)
/* CFSR: MemManage status (bits 0-7), BusFault (8-15), UsageFault (16-31) */
#define SCB_CFSR_MSTKERR (1u << 4)          /**< exception stacking hit an MPU region */
#define SCB_CFSR_MMARVALID (1u << 7)        /**< MMFAR holds the faulting address */
#define SCB_CFSR_STKOF (1u << 20)           /**< stack limit violation (ARMv8-M) */

/* ------------------------------------------------ MPU (PMSAv7, ARMv7-M) */

typedef struct {
    const volatile uint32_t TYPE; /**< 0x00 regions supported */
    volatile uint32_t CTRL;       /**< 0x04 control */
    volatile uint32_t RNR;        /**< 0x08 region number */
    volatile uint32_t RBAR;       /**< 0x0C region base address */
    volatile uint32_t RASR;       /**< 0x10 region attribute and size */
} mpu_regs_t;
#define MPU ((mpu_regs_t *)0xE000ED90u)
#define MPU_CTRL_ENABLE (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)        /**< the default map for privileged code elsewhere */
#define MPU_RBAR_VALID (1u << 4)             /**< take the region number from RBAR */
#define MPU_RBAR_REGION(n) ((uint32_t)(n) & 0xFu)
#define MPU_RASR_ENABLE (1u << 0)
#define MPU_RASR_SIZE(log2) ((uint32_t)((log2) - 1u) << 1) /**< a region of 2^log2 bytes */
#define MPU_RASR_AP_NONE (0u << 24)          /**< no access, privileged included */
#define MPU_RASR_XN (1u << 28)               /**< never execute */

/* ------------------------------------------------- exceptions, in software */

#define IPSR_EXCEPTION 0x1FFu       /**< IPSR: the active exception, 0 in thread mode */
#define EXC_RETURN_SPSEL (1u << 2)  /**< EXC_RETURN: the frame is on PSP */
/** Word indexes in the frame the core stacks on exception entry. */
enum { EXC_FRAME_R0 = 0, EXC_FRAME_R12 = 4, EXC_FRAME_LR = 5, EXC_FRAME_PC = 6, EXC_FRAME_XPSR = 7 };

/* The core's exception handlers the boards may define (CMSIS names); the
 * faults are the port's (arch_fault_entry). */
void SVC_Handler(void);
void DebugMon_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);

#endif /* VT_ARCH_CORTEX_M_H */
