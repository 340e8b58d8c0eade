#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where the time goes in a TCP capture of the guest's link.

    pcap_tcp.py x.pcap [--guest 10.0.2.15] [--top 10] [--conn PORT]

Reads a capture written by QEMU's `-object filter-dump,id=f0,netdev=n0,file=x.pcap`
(classic pcap, Ethernet frames, both directions of the guest's NIC) with the
standard library only, and prints per direction and per connection what costs
time: retransmissions (a data segment whose sequence range was already sent),
the longest silences inside a connection, duplicate ACKs, zero windows,
resets, and SYNs answered by a bare ACK (a 4-tuple the answering side still
holds, e.g. in TIME_WAIT). `--conn PORT` lists every segment of the
connections with that port (either end).

Used by hand to measure loss recovery (docs/net-robustness.md); the tests call
summarize() for counts they print.
"""
import argparse
import collections
import struct
import sys

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def read_pcap(path):
    """Yield (time in seconds, frame bytes) of each record."""
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            return
        magic = struct.unpack("<I", head[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
            endian = ">"
        else:
            raise SystemExit(f"{path}: not a pcap file")
        nano = magic in (0xA1B23C4D, 0x4D3CB2A1)
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _ = struct.unpack(endian + "IIII", rec)
            data = f.read(incl)
            if len(data) < incl:
                return
            yield sec + frac / (1e9 if nano else 1e6), data


def tcp_segments(path):
    """Yield dicts for the IPv4/TCP frames of a capture."""
    for t, fr in read_pcap(path):
        if len(fr) < 14 + 20 or fr[12:14] != b"\x08\x00":
            continue
        ip = fr[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 6 or len(ip) < ihl + 20:
            continue
        total = struct.unpack("!H", ip[2:4])[0]
        tcp = ip[ihl:total]
        src = ".".join(map(str, ip[12:16]))
        dst = ".".join(map(str, ip[16:20]))
        sport, dport, seq, ack, off, flags, wnd = struct.unpack("!HHIIBBH", tcp[:16])
        doff = (off >> 4) * 4
        yield {"t": t, "src": src, "dst": dst, "sport": sport, "dport": dport, "seq": seq,
               "ack": ack, "flags": flags, "wnd": wnd, "len": len(tcp) - doff}


def summarize(path, guest="10.0.2.15"):
    """Counts and per-connection details of a capture (see the module text)."""
    conns = collections.OrderedDict()
    totals = collections.Counter()
    first = last = None
    for s in tcp_segments(path):
        first = s["t"] if first is None else first
        last = s["t"]
        to_guest = s["dst"] == guest
        gport = s["dport"] if to_guest else s["sport"]
        peer = (s["src"], s["sport"]) if to_guest else (s["dst"], s["dport"])
        key = (gport, peer)
        if s["flags"] & SYN and not s["flags"] & ACK and key in conns and conns[key]["closed"]:
            # a new connection on a 4-tuple seen before: keep both apart
            old = conns.pop(key)
            conns[(gport, peer, old["t0"])] = old
        c = conns.get(key)
        if c is None:
            c = conns[key] = {"t0": s["t"], "t1": s["t"], "segs": [], "sent": {True: set(), False: set()},
                              "rexmit": collections.Counter(), "dupack": collections.Counter(),
                              "lastack": {}, "zero": collections.Counter(), "rst": 0,
                              "syn_acked_bare": 0, "closed": False, "gap": 0.0}
        if s["t"] - c["t1"] > c["gap"]:
            c["gap"] = s["t"] - c["t1"]
        c["t1"] = s["t"]
        c["segs"].append((s, to_guest))
        d = "to_guest" if to_guest else "from_guest"
        totals[d + "_segments"] += 1
        if s["flags"] & RST:
            c["rst"] += 1
            totals[d + "_rst"] += 1
        if s["flags"] & (FIN | RST):
            c["closed"] = True
        seglen = s["len"] + (1 if s["flags"] & SYN else 0) + (1 if s["flags"] & FIN else 0)
        if seglen > 0:
            rng = (s["seq"], seglen)
            if rng in c["sent"][to_guest]:
                c["rexmit"][d] += 1
                totals[d + "_retransmissions"] += 1
            c["sent"][to_guest].add(rng)
        elif s["flags"] & ACK:
            la = c["lastack"].get(d)
            if la == (s["ack"], s["wnd"]):
                c["dupack"][d] += 1
                totals[d + "_dup_acks"] += 1
            c["lastack"][d] = (s["ack"], s["wnd"])
        if s["flags"] & ACK and s["wnd"] == 0 and not s["flags"] & RST:
            c["zero"][d] += 1
            totals[d + "_zero_windows"] += 1
    # SYNs answered by a bare ACK (the answering side holds the 4-tuple)
    for c in conns.values():
        segs = c["segs"]
        for i, (s, tg) in enumerate(segs):
            if s["flags"] & SYN and not s["flags"] & ACK:
                for s2, tg2 in segs[i + 1:i + 3]:
                    if tg2 != tg and s2["flags"] & (SYN | ACK | RST) == ACK:
                        c["syn_acked_bare"] += 1
                        totals["syn_answered_by_bare_ack"] += 1
                        break
    return {"conns": conns, "totals": totals, "span": (last - first) if first is not None else 0.0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pcap")
    ap.add_argument("--guest", default="10.0.2.15")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--conn", type=int, default=0, help="list the segments of connections with this port")
    a = ap.parse_args()
    r = summarize(a.pcap, a.guest)
    conns = r["conns"]
    durations = sorted(c["t1"] - c["t0"] for c in conns.values())
    print(f"{len(conns)} connections over {r['span']:.2f} s")
    for k, v in sorted(r["totals"].items()):
        print(f"  {k:34s} {v}")
    if durations:
        print(f"  connection time median {durations[len(durations) // 2]:.3f} s, "
              f"worst {durations[-1]:.3f} s")
        hit = [c for c in conns.values() if c["rexmit"]]
        print(f"  connections with a retransmission   {len(hit)}")
    print(f"slowest {a.top} connections (guest port, peer):")
    for key, c in sorted(conns.items(), key=lambda kv: kv[1]["t0"] - kv[1]["t1"])[:a.top]:
        print(f"  {key[0]:5d} {key[1][0]}:{key[1][1]:<5d} {c['t1'] - c['t0']:7.3f} s, "
              f"longest gap {c['gap']:.3f} s, retransmissions {dict(c['rexmit'])}, "
              f"dup ACKs {dict(c['dupack'])}, zero windows {dict(c['zero'])}, resets {c['rst']}, "
              f"SYN answered by bare ACK {c['syn_acked_bare']}")
    if a.conn:
        for key, c in conns.items():
            if a.conn not in (key[0], key[1][1]):
                continue
            print(f"connection {key}:")
            t0 = c["t0"]
            for s, tg in c["segs"]:
                fl = "".join(n for b, n in ((SYN, "S"), (FIN, "F"), (RST, "R"), (PSH, "P"), (ACK, "."))
                             if s["flags"] & b)
                print(f"  {s['t'] - t0:8.4f} {'->G' if tg else 'G->'} {fl:5s} seq {s['seq']:10d} "
                      f"ack {s['ack']:10d} len {s['len']:5d} wnd {s['wnd']}")


if __name__ == "__main__":
    sys.exit(main())
