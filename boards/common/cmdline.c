/**
 * @file boards/common/cmdline.c
 * @brief What every QEMU board asks of semihosting: argv for main() from
 * the command line (SYS_GET_CMDLINE: QEMU's -kernel path, then the words of
 * -append), and the exit code at the end (SYS_EXIT_EXTENDED).
 */
#include <stdint.h>
#include <string.h>

#include "board.h" /* may size BOARD_CMDLINE_MAX, BOARD_ARGS_MAX (microbit) */
#include "board_common.h"

#ifndef BOARD_CMDLINE_MAX
#define BOARD_CMDLINE_MAX 512 /* bytes of the semihosting command line */
#endif
#ifndef BOARD_ARGS_MAX
#define BOARD_ARGS_MAX 32
#endif

static char cmdline[BOARD_CMDLINE_MAX];
static char *argv_buf[BOARD_ARGS_MAX + 1];

int board_cmdline(char ***argv)
{
    uint32_t block[2] = {(uint32_t)(uintptr_t)cmdline, sizeof cmdline - 1};
    int argc = 0;
    char *p = cmdline;
    if (board_semihost(SEMIHOST_SYS_GET_CMDLINE, block) != 0)
        strcpy(cmdline, "firmware");
    cmdline[sizeof cmdline - 1] = 0;
    while (*p != 0 && argc < BOARD_ARGS_MAX) {
        while (*p == ' ')
            *p++ = 0;
        if (*p == 0)
            break;
        argv_buf[argc++] = p;
        while (*p != 0 && *p != ' ')
            p++;
    }
    argv_buf[argc] = NULL;
    *argv = argv_buf;
    return argc;
}

void board_semihost_exit(int code)
{
    uint32_t block[2] = {SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    board_semihost(SEMIHOST_SYS_EXIT_EXTENDED, block);
}
