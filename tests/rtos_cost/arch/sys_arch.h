/* SPDX-License-Identifier: MIT */
/**
 * @file tests/rtos_cost/arch/sys_arch.h
 * @brief The lwIP system types of an RTOS port, for rtos_cost.c's sizes:
 * as in lwIP's FreeRTOS port, a mailbox and a semaphore are each one handle
 * of an RTOS queue (the queue itself is allocated apart; rtos_cost.c counts
 * it), a thread is a task handle.
 */
#ifndef RTOS_COST_SYS_ARCH_H
#define RTOS_COST_SYS_ARCH_H

typedef struct { void *queue; } sys_mbox_t;
typedef struct { void *queue; } sys_sem_t;
typedef struct { void *queue; } sys_mutex_t;
typedef void *sys_thread_t;
typedef int sys_prot_t;

#define sys_mbox_valid(m) ((m)->queue != NULL)
#define sys_mbox_set_invalid(m) ((m)->queue = NULL)
#define sys_sem_valid(s) ((s)->queue != NULL)
#define sys_sem_set_invalid(s) ((s)->queue = NULL)
#define sys_mutex_valid(m) ((m)->queue != NULL)
#define sys_mutex_set_invalid(m) ((m)->queue = NULL)

#endif
