/* SPDX-License-Identifier: MIT */
/**
 * @file tests/fuzz/fuzz_dns.c
 * @brief Answers to lwIP's DNS client (what vt_dns_resolve() uses), built
 * by the fuzzer: each input asks for a name (five in turn, so none is in
 * lwIP's four-entry cache), takes the query lwIP sends (its id and source
 * port) and answers from 10.0.2.3:53. Input: byte 0 the mode, then a DNS
 * message whose first two bytes are replaced by the query's id; mode bit 0
 * puts the query's question after the message's 12-byte header (so answers
 * that match get through), else the message goes as it is. Then the clock
 * runs until lwIP is done with the name: the callback must have come
 * exactly once, with an address only if the answer carried it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_check.h"
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "lwip/stats.h"
#include "lwip_harness.h"

static unsigned calls;
static int found;
static uint32_t found_addr;

static void on_found(const char *name, const ip_addr_t *a, void *arg)
{
    (void)name, (void)arg;
    calls++;
    found = a != NULL;
    if (a != NULL)
        found_addr = ip4_addr_get_u32(ip_2_ip4(a));
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static unsigned serial;
    static uint8_t frame[1600];
    uint8_t msg[1400];
    char name[32];
    ip_addr_t a, server;
    uint16_t sport;
    size_t len = 0, qlen;
    harness_init();
    IP_ADDR4(&server, 10, 0, 2, 3);
    dns_setserver(0, &server);
    harness_arp_peers();
    if (n < 1)
        return 0;
    snprintf(name, sizeof name, "h%u.example", serial++ % 5);
    calls = 0;
    harness_out_len = 0;
    if (dns_gethostbyname(name, &a, on_found, NULL) != ERR_INPROGRESS)
        return 0;
    /* the query: Ethernet, IPv4 (20 bytes), UDP, then the DNS message */
    FUZZ_CHECK(harness_out_len >= 14 + 20 + 8 + 12 && harness_out[23] == 17);
    sport = (uint16_t)(harness_out[34] << 8 | harness_out[35]);
    qlen = harness_out_len - 42 - 12; /* its question */
    d++, n--;
    if ((d[-1] & 1) && n >= 12) {
        memcpy(msg, d, 12);
        memcpy(msg + 12, harness_out + 42 + 12, qlen);
        len = 12 + qlen;
        d += 12, n -= 12;
    }
    if (n > sizeof msg - len)
        n = sizeof msg - len;
    memcpy(msg + len, d, n);
    len += n;
    if (len >= 2)
        memcpy(msg, harness_out + 42, 2);
    harness_input(frame, harness_udp_frame(frame, 0x0A000203u, 53, sport, msg, len));
    for (int i = 0; i < 40 && calls == 0; i++)
        harness_advance(1000); /* retries, then the end of trying */
    FUZZ_CHECK(calls == 1);
    if (found) { /* the address is somewhere in the answer */
        uint8_t b[4] = {(uint8_t)found_addr, (uint8_t)(found_addr >> 8),
                        (uint8_t)(found_addr >> 16), (uint8_t)(found_addr >> 24)};
        int in = 0;
        for (size_t i = 0; i + 4 <= len && !in; i++)
            in = memcmp(msg + i, b, 4) == 0;
        FUZZ_CHECK(in);
    }
    return 0;
}
