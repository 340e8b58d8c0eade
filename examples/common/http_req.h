/* SPDX-License-Identifier: MIT */
/**
 * @file examples/common/http_req.h
 * @brief HTTP/1.x request heads, as the examples' small servers need them:
 * the request line and the Connection header. Pure functions on a buffer
 * (no I/O), shared by examples/http_server and examples/gateway and fuzzed
 * by tests/fuzz/fuzz_http_req.c.
 */
#ifndef VT_EXAMPLES_HTTP_REQ_H
#define VT_EXAMPLES_HTTP_REQ_H

#include <stddef.h>

/** @name Parse results besides a head's length (> 0) */
/**@{*/
#define HTTP_REQ_MORE 0        /**< no complete head yet: read more */
#define HTTP_REQ_BAD (-400)    /**< not an HTTP/1.x request head */
#define HTTP_REQ_TOO_LONG (-431) /**< no end of the head within the limit */
#define HTTP_REQ_URI_LONG (-414) /**< the request target does not fit http_req.path */
/**@}*/

/** What the examples need of a request head. */
struct http_req {
    char method[8];   /**< e.g. "GET", NUL-terminated */
    char path[64];    /**< the request target, NUL-terminated */
    int minor;        /**< HTTP/1.minor */
    int keep_alive;   /**< 1: the connection stays open after the answer */
};

/**
 * @brief Parse the request head at the start of @p buf (@p len bytes).
 * @param max the longest head accepted (bytes, blank line included)
 * @return the head's length (> 0, the blank line included; @p req filled),
 *         HTTP_REQ_MORE, HTTP_REQ_BAD, HTTP_REQ_TOO_LONG or HTTP_REQ_URI_LONG
 */
int http_req_parse(const char *buf, size_t len, size_t max, struct http_req *req);

#endif
