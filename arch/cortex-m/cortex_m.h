/**
 * @file arch/cortex-m/cortex_m.h
 * @brief Registers of the Cortex-M system control space that the port uses
 * (SCB, MPU, SysTick, NVIC), as structures at their architectural addresses
 * with named bits, the way CMSIS's core_cm*.h describes them. The names are
 * CMSIS's with a CM_ prefix, so a file may also include a vendor's CMSIS
 * headers. Layouts are the ARMv7-M/ARMv8-M ones; ARMv6-M has a subset
 * (no CFSR, no MPU on the cores supported here).
 */
#ifndef VT_ARCH_CORTEX_M_H
#define VT_ARCH_CORTEX_M_H

#include <stddef.h>
#include <stdint.h>

#define CM_IO volatile

/* ------------------------------------------------- System Control Block */

typedef struct {
    CM_IO uint32_t CPUID;      /**< 0xD00 CPUID base */
    CM_IO uint32_t ICSR;       /**< 0xD04 interrupt control and state */
    CM_IO uint32_t VTOR;       /**< 0xD08 vector table offset */
    CM_IO uint32_t AIRCR;      /**< 0xD0C application interrupt and reset control */
    CM_IO uint32_t SCR;        /**< 0xD10 system control */
    CM_IO uint32_t CCR;        /**< 0xD14 configuration and control */
    CM_IO uint8_t SHPR[12];    /**< 0xD18 system handler priorities */
    CM_IO uint32_t SHCSR;      /**< 0xD24 system handler control and state */
    CM_IO uint32_t CFSR;       /**< 0xD28 configurable fault status */
    CM_IO uint32_t HFSR;       /**< 0xD2C hard fault status */
    CM_IO uint32_t DFSR;       /**< 0xD30 debug fault status */
    CM_IO uint32_t MMFAR;      /**< 0xD34 MemManage fault address */
    CM_IO uint32_t BFAR;       /**< 0xD38 BusFault address */
    CM_IO uint32_t AFSR;       /**< 0xD3C auxiliary fault status */
    uint32_t reserved0[18];
    CM_IO uint32_t CPACR;      /**< 0xD88 coprocessor access control */
} CM_SCB_Type;

#define CM_SCB_BASE 0xE000ED00u
#define CM_SCB ((CM_SCB_Type *)CM_SCB_BASE)

#define CM_SCB_ICSR_PENDSVSET (1u << 28)     /**< make PendSV pending */
#define CM_SCB_ICSR_NMIPENDSET (1u << 31)    /**< make NMI pending */
#define CM_SCB_SHCSR_MEMFAULTENA (1u << 16)  /**< MemManage reported apart */
#define CM_SCB_SHCSR_BUSFAULTENA (1u << 17)  /**< BusFault reported apart */
#define CM_SCB_SHCSR_USGFAULTENA (1u << 18)  /**< UsageFault reported apart */
#define CM_SCB_SHCSR_SECUREFAULTENA (1u << 19) /**< SecureFault reported apart (ARMv8-M) */
/* CFSR: MemManage status (bits 0-7), BusFault (8-15), UsageFault (16-31) */
#define CM_SCB_CFSR_IACCVIOL (1u << 0)       /**< instruction access violation */
#define CM_SCB_CFSR_DACCVIOL (1u << 1)       /**< data access violation */
#define CM_SCB_CFSR_MSTKERR (1u << 4)        /**< exception stacking hit an MPU region */
#define CM_SCB_CFSR_MMARVALID (1u << 7)      /**< MMFAR holds the faulting address */
#define CM_SCB_CFSR_BFARVALID (1u << 15)     /**< BFAR holds the faulting address */
#define CM_SCB_CFSR_STKOF (1u << 20)         /**< stack limit violation (ARMv8-M) */
#define CM_SCB_CPACR_CP10_CP11_FULL (0xFu << 20) /**< FPU access, privileged and not */

_Static_assert(offsetof(CM_SCB_Type, CFSR) == 0x28, "SCB layout");
_Static_assert(offsetof(CM_SCB_Type, CPACR) == 0x88, "SCB layout");

/* ------------------------------------------------- MPU (PMSAv7, ARMv7-M) */

typedef struct {
    CM_IO uint32_t TYPE;       /**< 0xD90 regions supported */
    CM_IO uint32_t CTRL;       /**< 0xD94 control */
    CM_IO uint32_t RNR;        /**< 0xD98 region number */
    CM_IO uint32_t RBAR;       /**< 0xD9C region base address */
    CM_IO uint32_t RASR;       /**< 0xDA0 region attribute and size */
} CM_MPU_Type;

#define CM_MPU_BASE 0xE000ED90u
#define CM_MPU ((CM_MPU_Type *)CM_MPU_BASE)

#define CM_MPU_CTRL_ENABLE (1u << 0)         /**< MPU on */
#define CM_MPU_CTRL_HFNMIENA (1u << 1)       /**< MPU also in HardFault and NMI */
#define CM_MPU_CTRL_PRIVDEFENA (1u << 2)     /**< default map for privileged code elsewhere */
#define CM_MPU_RBAR_VALID (1u << 4)          /**< take the region number from RBAR */
#define CM_MPU_RBAR_REGION(n) ((uint32_t)(n) & 0xFu)
#define CM_MPU_RASR_ENABLE (1u << 0)         /**< region on */
#define CM_MPU_RASR_SIZE(log2) ((uint32_t)((log2) - 1u) << 1) /**< region of 2^log2 bytes */
#define CM_MPU_RASR_AP_NONE (0u << 24)       /**< no access, privileged included */
#define CM_MPU_RASR_XN (1u << 28)            /**< never execute */

/* ------------------------------------------------------------- SysTick */

typedef struct {
    CM_IO uint32_t CTRL;       /**< 0xE010 control and status */
    CM_IO uint32_t LOAD;       /**< 0xE014 reload value (24 bits) */
    CM_IO uint32_t VAL;        /**< 0xE018 current value */
    CM_IO uint32_t CALIB;      /**< 0xE01C calibration */
} CM_SysTick_Type;

#define CM_SYSTICK_BASE 0xE000E010u
#define CM_SysTick ((CM_SysTick_Type *)CM_SYSTICK_BASE)

#define CM_SYSTICK_CTRL_ENABLE (1u << 0)     /**< counter on */
#define CM_SYSTICK_CTRL_TICKINT (1u << 1)    /**< interrupt at zero */
#define CM_SYSTICK_CTRL_CLKSOURCE (1u << 2)  /**< processor clock (not the reference) */
#define CM_SYSTICK_CTRL_COUNTFLAG (1u << 16) /**< reached zero since last read */
#define CM_SYSTICK_LOAD_MAX 0xFFFFFFu        /**< 24-bit counter */

/* ---------------------------------------------------------------- NVIC */

typedef struct {
    CM_IO uint32_t ISER[16];   /**< 0xE100 set enable */
    uint32_t reserved0[16];
    CM_IO uint32_t ICER[16];   /**< 0xE180 clear enable */
    uint32_t reserved1[16];
    CM_IO uint32_t ISPR[16];   /**< 0xE200 set pending */
    uint32_t reserved2[16];
    CM_IO uint32_t ICPR[16];   /**< 0xE280 clear pending */
    uint32_t reserved3[16];
    CM_IO uint32_t IABR[16];   /**< 0xE300 active */
} CM_NVIC_Type;

#define CM_NVIC_BASE 0xE000E100u
#define CM_NVIC ((CM_NVIC_Type *)CM_NVIC_BASE)

_Static_assert(offsetof(CM_NVIC_Type, ISPR) == 0x100, "NVIC layout");
_Static_assert(offsetof(CM_NVIC_Type, IABR) == 0x200, "NVIC layout");

/* ------------------------------------------- exceptions, as software sees them */

#define CM_IPSR_EXCEPTION 0x1FFu      /**< IPSR: number of the active exception, 0 in thread mode */
#define CM_EXC_RETURN_SPSEL (1u << 2) /**< EXC_RETURN: the frame is on PSP */
/** Word indexes in the frame the core stacks on exception entry. */
enum { CM_FRAME_R0 = 0, CM_FRAME_R12 = 4, CM_FRAME_LR = 5, CM_FRAME_PC = 6, CM_FRAME_XPSR = 7 };

#endif /* VT_ARCH_CORTEX_M_H */
