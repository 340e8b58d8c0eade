/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/cmdline.c
 * @brief What every QEMU board asks of semihosting: argv for main() from
 * the command line (SYS_GET_CMDLINE: QEMU's -kernel path, then the words of
 * -append), files read from the host (certificates given at boot), and the
 * exit code at the end (SYS_EXIT_EXTENDED).
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

const char *board_cmdline_value(const char *key)
{
    size_t n = strlen(key);
    for (int i = 0; argv_buf[i] != NULL; i++)
        if (strncmp(argv_buf[i], key, n) == 0 && argv_buf[i][n] == '=')
            return argv_buf[i] + n + 1;
    return NULL;
}

long board_host_file_read(const char *path, void *buf, size_t len)
{
    uint32_t open_block[3] = {(uint32_t)(uintptr_t)path, 1 /* "rb" */, (uint32_t)strlen(path)};
    long fd = board_semihost(SEMIHOST_SYS_OPEN, open_block);
    long size, left;
    if (fd < 0)
        return -1;
    uint32_t fd_block[1] = {(uint32_t)fd};
    size = board_semihost(SEMIHOST_SYS_FLEN, fd_block);
    if (buf == NULL) {
        /* only the size */
    } else if (size >= 0 && (size_t)size <= len) {
        uint32_t read_block[3] = {(uint32_t)fd, (uint32_t)(uintptr_t)buf, (uint32_t)size};
        left = board_semihost(SEMIHOST_SYS_READ /* answers the bytes NOT read */, read_block);
        if (left != 0)
            size = -1;
    } else {
        size = -1;
    }
    board_semihost(SEMIHOST_SYS_CLOSE, fd_block);
    return size;
}
