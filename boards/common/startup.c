/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/startup.c
 * @brief The end of every board's reset path (the C library's constructors,
 * argv, main, exit) and the report of an interrupt nothing handles.
 */
#include <stdio.h>

#include "board.h"
#include "board_common.h"
#include "port.h"

extern void __libc_init_array(void);
int main(int argc, char **argv);

void board_run_main(void)
{
    char **argv;
    int argc;
    __libc_init_array();
    argc = board_cmdline(&argv);
    board_exit(main(argc, argv));
}

void board_irq_unexpected(unsigned irq)
{
    printf("interrupt line %u has no handler (define its NAME_IRQHandler, see board.h)\n", irq);
    vt_panic("unexpected interrupt");
}
