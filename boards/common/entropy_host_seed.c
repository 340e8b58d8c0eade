/* SPDX-License-Identifier: MIT */
/**
 * @file boards/common/entropy_host_seed.c
 * @brief Entropy for TLS on emulated boards without a random generator
 * (the MPS2 and LM3S models): a seed the host gives at boot on the
 * semihosting command line, `seed=<hex>` (at least 64 hex digits, 32
 * bytes). Each byte is handed out once; TLS's DRBG runs from it.
 *
 * This is for tests only and says so: whoever knows the seed knows every
 * key. Without `seed=` the board reports no source and TLS refuses to
 * start; there is no fixed fallback.
 */
#include <stdint.h>
#include <string.h>

#include "board_common.h"
#include "tls/entropy.h"
#include "vt/tls.h"

#define SEED_MAX 64

static uint8_t seed[SEED_MAX];
static size_t seed_len, seed_pos;
static int parsed;

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode seed=<hex> once; 0 bytes when missing, odd, not hex or too short. */
static void parse(void)
{
    const char *s = board_cmdline_value("seed");
    size_t n = s ? strlen(s) : 0;
    parsed = 1;
    if (n % 2 != 0 || n / 2 < 32 || n / 2 > SEED_MAX)
        return;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex(s[2 * i]), lo = hex(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            memset(seed, 0, sizeof seed);
            return;
        }
        seed[i] = (uint8_t)(hi << 4 | lo);
    }
    seed_len = n / 2;
}

enum board_entropy_kind board_entropy_kind(const char **name)
{
    if (!parsed)
        parse();
    if (seed_len == 0) {
        *name = "no seed=<64+ hex digits> on the command line, and this board has no random generator";
        return BOARD_ENTROPY_NONE;
    }
    *name = "seed= from the host's command line";
    return BOARD_ENTROPY_TEST_SEED;
}

int board_entropy_read(void *buf, size_t len)
{
    if (!parsed)
        parse();
    if (len > seed_len - seed_pos)
        return VT_ETLS_NOENTROPY; /* each byte once: never reused */
    memcpy(buf, seed + seed_pos, len);
    memset(seed + seed_pos, 0, len);
    seed_pos += len;
    return 0;
}
