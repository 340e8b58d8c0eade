/* SPDX-License-Identifier: MIT */
/**
 * @file examples/common/http_req.c
 * @brief HTTP/1.x request heads (see http_req.h): RFC 9112's request line
 * and header fields, of which only Connection is interpreted. Lines end in
 * CRLF or a bare LF; folded header lines, control characters and NUL bytes
 * make a head bad.
 */
#include "http_req.h"

#include <string.h>

/* RFC 9110 tchar */
static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Does [p, e) equal the lower-case word @p w, ignoring case? */
static int word_is(const char *p, const char *e, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(e - p) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)p[i]) != (unsigned char)w[i])
            return 0;
    return 1;
}

/* The end of the line starting at @p p (at its CR or LF), or NULL. */
static const char *line_end(const char *p, const char *e)
{
    const char *lf = memchr(p, '\n', (size_t)(e - p));
    if (lf == NULL)
        return NULL;
    return lf > p && lf[-1] == '\r' ? lf - 1 : lf;
}

static const char *next_line(const char *eol) { return eol + (*eol == '\r' ? 2 : 1); }

/* The Connection field's value [p, e): a comma-separated list of tokens. */
static void connection_options(const char *p, const char *e, struct http_req *req)
{
    while (p < e) {
        const char *t, *te;
        while (p < e && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        t = p;
        while (p < e && *p != ',')
            p++;
        te = p;
        while (te > t && (te[-1] == ' ' || te[-1] == '\t'))
            te--;
        if (word_is(t, te, "close"))
            req->keep_alive = 0;
        else if (word_is(t, te, "keep-alive"))
            req->keep_alive = 1;
    }
}

/* Is the request line's beginning [buf, e) still possibly valid? Lets
 * binary junk be refused before a whole head has arrived. */
static int prefix_ok(const char *buf, const char *e)
{
    const char *p = buf;
    while (p < e && is_tchar((unsigned char)*p))
        p++;
    if (p == e)
        return p - buf <= 7;
    return p > buf && p - buf <= 7 && *p == ' ';
}

int http_req_parse(const char *buf, size_t len, size_t max, struct http_req *req)
{
    const char *e, *p, *eol, *sp, *end = NULL;
    size_t n;

    if (len > max)
        len = max;
    e = buf + len;
    eol = line_end(buf, e);
    if (memchr(buf, 0, len) != NULL || !prefix_ok(buf, eol != NULL ? eol : e))
        return HTTP_REQ_BAD;
    /* the head ends at the first empty line */
    for (p = buf; (eol = line_end(p, e)) != NULL; p = next_line(eol))
        if (eol == p) {
            end = next_line(eol);
            break;
        }
    if (end == NULL)
        return len >= max ? HTTP_REQ_TOO_LONG : HTTP_REQ_MORE;

    memset(req, 0, sizeof *req);
    /* request line: method SP target SP HTTP/1.d */
    eol = line_end(buf, end);
    sp = memchr(buf, ' ', (size_t)(eol - buf));
    if (sp == NULL)
        return HTTP_REQ_BAD;
    memcpy(req->method, buf, (size_t)(sp - buf)); /* prefix_ok: 1..7 tchars before it */
    p = sp + 1;
    sp = memchr(p, ' ', (size_t)(eol - p));
    if (sp == NULL || sp == p)
        return HTTP_REQ_BAD;
    for (const char *q = p; q < sp; q++)
        if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7F)
            return HTTP_REQ_BAD;
    n = (size_t)(sp - p);
    if (n >= sizeof req->path)
        return HTTP_REQ_URI_LONG;
    memcpy(req->path, p, n);
    p = sp + 1;
    if (eol - p != 8 || memcmp(p, "HTTP/1.", 7) != 0 || p[7] < '0' || p[7] > '9')
        return HTTP_REQ_BAD;
    req->minor = p[7] - '0';
    req->keep_alive = req->minor >= 1;

    /* header fields: name ":" value */
    for (p = next_line(eol); (eol = line_end(p, end)) != p; p = next_line(eol)) {
        const char *colon = memchr(p, ':', (size_t)(eol - p)), *v;
        if (colon == NULL || colon == p)
            return HTTP_REQ_BAD; /* also a folded line, which starts with a space */
        for (const char *q = p; q < colon; q++)
            if (!is_tchar((unsigned char)*q))
                return HTTP_REQ_BAD;
        for (const char *q = colon + 1; q < eol; q++)
            if (((unsigned char)*q < 0x20 && *q != '\t') || *q == 0x7F)
                return HTTP_REQ_BAD;
        v = colon + 1;
        if (word_is(p, colon, "connection"))
            connection_options(v, eol, req);
    }
    return (int)(end - buf);
}
