/* SPDX-License-Identifier: MIT */
/**
 * @file tests/rtos_cost/rtos_cost.c
 * @brief What one sensor connection costs when each connection is an RTOS
 * task using lwIP's socket API, from structure sizes measured by this
 * compiler for this CPU (docs/lm3s6965evb.md compares it with vthread).
 *
 * Per connection, that design allocates: a task (its control block and its
 * stack, two blocks from the RTOS heap), a socket (lwIP's struct lwip_sock,
 * a static array slot), a netconn (struct netconn, from lwIP's pool), the
 * netconn's receive mailbox and its op_completed semaphore (two RTOS queues
 * from the RTOS heap: the queue struct, the mailbox's slots after it), and
 * the TCP pcb (struct tcp_pcb, lwIP's pool, as vthread's).
 *
 * lwIP's structures come from lwIP's own headers, configured as under an
 * RTOS (tests/rtos_cost/lwipopts.h, arch/sys_arch.h). FreeRTOS is not
 * included (not a Debian package): the layouts below declare, member for
 * member, the types of FreeRTOS-Kernel's TCB_t (tasks.c), ListItem_t,
 * MiniListItem_t and List_t (list.h), Queue_t (queue.c), for its 32-bit
 * Cortex-M ports (32-bit ticks and base types, no list integrity bytes) and
 * this configuration: task names of 16 bytes (configMAX_TASK_NAME_LEN's
 * default), mutexes on (lwIP's port needs them: base priority and mutexes
 * held), task notifications on with one entry (the default), dynamic
 * allocation only, no trace facility, run-time stats, thread-local
 * pointers, C runtime TLS, abort-delay or errno fields. The heap is
 * heap_4: an 8-byte header (next block, size) before each block, sizes
 * rounded up to 8.
 *
 * Build and run: cmake --build --preset lm3s6965evb --target rtos_cost &&
 * scripts/qemu-run lm3s6965evb build/lm3s6965evb/tests/rtos_cost.elf [stack=512]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/api.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/tcp.h"

/* ---- FreeRTOS-Kernel data layouts (see above) */
struct rtos_list_item {             /* ListItem_t */
    uint32_t value;
    void *next, *previous, *owner, *container;
};
struct rtos_mini_list_item {        /* MiniListItem_t */
    uint32_t value;
    void *next, *previous;
};
struct rtos_list {                  /* List_t */
    volatile uint32_t items;
    void *index;
    struct rtos_mini_list_item end;
};
struct rtos_tcb {                   /* TCB_t */
    volatile void *top_of_stack;
    struct rtos_list_item state_item, event_item;
    uint32_t priority;
    void *stack;
    char name[16];
    uint32_t base_priority, mutexes_held;
    volatile uint32_t notified_value[1];
    volatile uint8_t notify_state[1];
};
struct rtos_queue {                 /* Queue_t */
    int8_t *head, *write_to;
    union {
        struct {
            int8_t *tail, *read_from;
        } queue;
        struct {
            void *mutex_holder;
            uint32_t recursive_count;
        } semaphore;
    } u;
    struct rtos_list waiting_to_send, waiting_to_receive;
    volatile uint32_t messages_waiting;
    uint32_t length, item_size;
    volatile int8_t rx_lock, tx_lock;
};

#define HEAP_HEADER 8u /* heap_4: a block's header */
#define HEAP_ALIGN 8u

/* one block from heap_4: header + size, rounded up */
static unsigned heap_block(unsigned size)
{
    return (HEAP_HEADER + size + HEAP_ALIGN - 1u) / HEAP_ALIGN * HEAP_ALIGN;
}

int main(int argc, char **argv)
{
    unsigned stack = 512; /* bytes: the task's stack, stack= to try others */
    unsigned tcb, task_stack, sock, conn, mbox, sem, pcb, total;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "stack=", 6) == 0)
            stack = (unsigned)atoi(argv[i] + 6);

    tcb = heap_block(sizeof(struct rtos_tcb));
    task_stack = heap_block(stack);
    sock = sizeof(struct lwip_sock);
    conn = (unsigned)LWIP_MEM_ALIGN_SIZE(sizeof(struct netconn));
    mbox = heap_block(sizeof(struct rtos_queue) + DEFAULT_TCP_RECVMBOX_SIZE * sizeof(void *));
    sem = heap_block(sizeof(struct rtos_queue));
    pcb = (unsigned)LWIP_MEM_ALIGN_SIZE(sizeof(struct tcp_pcb));
    total = tcb + task_stack + sock + conn + mbox + sem + pcb;

    printf("one RTOS task per connection with lwIP's socket API (bytes, this compiler):\n");
    printf("  task control block   %4u  (TCB_t %u + heap header, rounded)\n", tcb,
           (unsigned)sizeof(struct rtos_tcb));
    printf("  task stack           %4u  (%u + heap header)\n", task_stack, stack);
    printf("  socket               %4u  (struct lwip_sock)\n", sock);
    printf("  netconn              %4u  (struct netconn, lwIP pool)\n", conn);
    printf("  receive mailbox      %4u  (Queue_t %u + %u slots of %u + heap header)\n", mbox,
           (unsigned)sizeof(struct rtos_queue), (unsigned)DEFAULT_TCP_RECVMBOX_SIZE,
           (unsigned)sizeof(void *));
    printf("  op_completed sem.    %4u  (Queue_t + heap header)\n", sem);
    printf("  TCP pcb              %4u  (struct tcp_pcb, lwIP pool)\n", pcb);
    printf("  total per connection %4u\n", total);
    printf("per-connection cost with the stack left out: %u bytes\n", total - task_stack);
    return 0;
}
