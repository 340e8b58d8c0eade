/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/arm_semihost.c
 * @brief What every Cortex-M board in QEMU shares: ARM semihosting (the exit
 * code; the command line is boards/common/cmdline.c's), the newlib system calls (console writes to
 * board_putc(), a bounded heap between the linker's __heap_start and
 * __heap_end), and the crti stubs that -nostartfiles leaves out.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "board.h"
#include "board_common.h"
#include "port.h"

long board_semihost(long op, void *arg)
{
    register long r0 __asm("r0") = op;
    register void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void board_exit(int code)
{
    fflush(stdout);
    board_semihost_exit(code);
    for (;;)
        __asm volatile("wfi");
}

int _write(int fd, const char *buf, int len);
int _write(int fd, const char *buf, int len)
{
    for (int i = 0; i < len; i++) {
        if (buf[i] == '\n')
            board_putc('\r');
        board_putc(buf[i]);
    }
    return len;
}

extern char __heap_start[], __heap_end[];
static char *heap_top = __heap_start;

void *_sbrk(ptrdiff_t incr);
void *_sbrk(ptrdiff_t incr)
{
    char *old = heap_top;
    if (incr > __heap_end - heap_top || incr < __heap_start - heap_top) {
        errno = ENOMEM; /* malloc returns NULL: out of memory is reported */
        return (void *)-1;
    }
    heap_top += incr;
    return old;
}

int _close(int fd);
int _close(int fd) { return -1; }
int _fstat(int fd, struct stat *st);
int _fstat(int fd, struct stat *st) { st->st_mode = S_IFCHR; return 0; }
int _isatty(int fd);
int _isatty(int fd) { return 1; }
int _lseek(int fd, int off, int whence);
int _lseek(int fd, int off, int whence) { return 0; }
int _read(int fd, char *buf, int len);
int _read(int fd, char *buf, int len) { return 0; }
void _exit(int code);
void _exit(int code) { board_exit(code); }
int _kill(int pid, int sig);
int _kill(int pid, int sig) { return -1; }
int _getpid(void);
int _getpid(void) { return 1; }

void _init(void);
void _init(void) {}  /* no crti with -nostartfiles: constructors come from init_array */
void _fini(void);
void _fini(void) {}
