#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/):
well-formed inputs of each protocol and a few broken ones, so that a short
run in CI starts deep in the code. Run it after changing an input format:

    python3 tests/fuzz/make_seeds.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- HTTP request heads
for i, h in enumerate([
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /stats HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        b"POST /x?y=1 HTTP/1.1\r\nContent-Length: 0\r\nconnection: Close, Foo\r\n\r\n",
        b"GET /index.html HTTP/1.1\r\n" + b"".join(b"X-%d: %s\r\n" % (k, b"v" * 30) for k in range(12)) + b"\r\n",
        b"GET /a HTTP/1.1\n\nGET /b HTTP/1.1\n\n",
        b"GET / HTTP/1.1\r\n folded\r\n\r\n",
        bytes(range(256))]):
    write("fuzz_http_req", f"seed{i}", h)

# ---- gateway sensor lines
for i, s in enumerate([
        b"t-17 21.5 40\n", b"a 1 2\nb -0.5 0\r\n", b"x 01 2\ny 1. 2\nz - 3\n",
        b"s" * 40 + b" 1 2\n", b"id 1 2 3\n\n\n", b"k 123456789012345 -12345678901234\n"]):
    write("fuzz_gateway_line", f"seed{i}", s)

# ---- MQTT from a broker: [window size, messages in flight] + stream
for i, s in enumerate([
        bytes([16, 4]) + b"\x20\x02\x00\x00" + b"\x40\x02\x00\x01\x40\x02\x00\x02\xd0\x00",
        bytes([1, 1]) + b"\x40\x02\x00\x00\xd0\x00\x40\x02\x00\x01",
        bytes([32, 40]) + b"".join(b"\x40\x02\x00" + bytes([k]) for k in range(1, 40)),
        bytes([8, 8]) + b"\x40\xff\xff\xff\xff\x01",
        bytes([8, 2]) + b"\x30\x07\x00\x01t\x00\x05hi" + b"\x20\x02\x00\x00" + b"\x40\x03\x00\x01\x00"]):
    write("fuzz_mqtt_rx", f"seed{i}", s)


# ---- DNS answers: [mode] + message (mode 1: the query's question is put in)
def hdr(flags, qd, an):
    return struct.pack("!HHHHHH", 0, flags, qd, an, 0, 0)


a_rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([10, 0, 2, 99])
cname = b"\xc0\x0c" + struct.pack("!HHIH", 5, 1, 60, 6) + b"\x01x\xc0\x0e"
for i, s in enumerate([
        b"\x01" + hdr(0x8180, 1, 1) + a_rr,
        b"\x01" + hdr(0x8180, 1, 2) + cname + a_rr,
        b"\x01" + hdr(0x8183, 1, 0),
        b"\x00" + hdr(0x8180, 1, 1) + b"\x02h0\x07example\x00\x00\x01\x00\x01" + a_rr,
        b"\x01" + hdr(0x8180, 1, 1) + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 40) + bytes(4)]):
    write("fuzz_dns", f"seed{i}", s)


# ---- frames into lwIP: records of [length, flags, frame]
MAC, PEER = bytes.fromhex("525400123456"), bytes.fromhex("52550a000202")
US, GW = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2])


def eth(t, payload):
    return MAC + PEER + struct.pack("!H", t) + payload


def ip(proto, payload, frag=0, ident=1):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0, GW, US) + payload


def tcp(sport, dport, seq, ack, flags, data=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 8192, 0, 0) + data


def rec(frame, flags=1):
    return struct.pack("!HB", len(frame), flags) + frame


arp_req = eth(0x0806, bytes.fromhex("0001080006040001") + PEER + GW + bytes(6) + US)
icmp = eth(0x0800, ip(1, b"\x08\x00\xf7\xff\x00\x00\x00\x00" + b"ping"))
syn = eth(0x0800, ip(6, tcp(40000, 80, 1000, 0, 0x02)))
ack = eth(0x0800, ip(6, tcp(40000, 80, 0, 0, 0x10)))
data = eth(0x0800, ip(6, tcp(40000, 80, 0, 0, 0x18, b"GET / HTTP/1.0\r\n\r\n")))
fin = eth(0x0800, ip(6, tcp(40000, 80, 0, 0, 0x11)))
udp = eth(0x0800, ip(17, struct.pack("!HHHH", 5555, 7, 8 + 5, 0) + b"hello"))
frag1 = eth(0x0800, ip(17, struct.pack("!HHHH", 5555, 7, 8 + 32, 0) + bytes(16), frag=0x2000, ident=7))
frag2 = eth(0x0800, ip(17, bytes(16), frag=3, ident=7))
closed = eth(0x0800, ip(6, tcp(40001, 81, 5, 0, 0x02)))
write("fuzz_lwip_input", "seed0", rec(arp_req, 0) + rec(icmp) + rec(udp))
write("fuzz_lwip_input", "seed1", rec(syn) + rec(ack, 5) + rec(data, 5) + rec(fin, 5) + rec(ack, 7))
write("fuzz_lwip_input", "seed2", rec(frag1) + rec(frag2) + rec(closed))
write("fuzz_lwip_input", "seed3", rec(syn) + rec(ack, 5) + rec(data, 5) + rec(data, 3) + rec(fin, 7) +
      rec(syn) + rec(ack, 5))
print("seeds written under", os.path.join(HERE, "corpus"))
