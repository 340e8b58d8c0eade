/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fuzz/fuzz_http_req.c
 * @brief examples/common/http_req.c on any bytes: no read outside the
 * buffer (it is exactly the input's size, under AddressSanitizer), and what
 * it reports holds: a head ends with an empty line within the buffer and
 * the limit, its fields are terminated, parsing the head alone gives the
 * same, and every shorter prefix of a good head asks for more.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "http_req.h"

#define MAX 768 /* examples/http_server's REQ_MAX */

static int parse(const uint8_t *d, size_t n, struct http_req *req)
{
    char *b = malloc(n ? n : 1);
    int r;
    memcpy(b, d, n);
    r = http_req_parse(b, n, MAX, req);
    free(b);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct http_req req, again;
    int r;
    if (n > 4 * MAX)
        return 0;
    r = parse(d, n, &req);
    if (r <= 0) {
        FUZZ_CHECK(r == HTTP_REQ_MORE || r == HTTP_REQ_BAD || r == HTTP_REQ_TOO_LONG ||
                   r == HTTP_REQ_URI_LONG);
        FUZZ_CHECK(r != HTTP_REQ_TOO_LONG || n >= MAX);
        return 0;
    }
    FUZZ_CHECK((size_t)r <= n && r <= MAX && d[r - 1] == '\n');
    FUZZ_CHECK(memchr(req.method, 0, sizeof req.method) != NULL && req.method[0] != 0);
    FUZZ_CHECK(memchr(req.path, 0, sizeof req.path) != NULL && req.path[0] != 0);
    FUZZ_CHECK(req.minor >= 0 && req.minor <= 9 && (req.keep_alive == 0 || req.keep_alive == 1));
    FUZZ_CHECK(memcmp(d, req.method, strlen(req.method)) == 0);
    FUZZ_CHECK(parse(d, (size_t)r, &again) == r && memcmp(&req, &again, sizeof req) == 0);
    for (size_t k = 0; k < (size_t)r; k += 1 + (size_t)r / 16)
        FUZZ_CHECK(parse(d, k, &again) == HTTP_REQ_MORE);
    return 0;
}
