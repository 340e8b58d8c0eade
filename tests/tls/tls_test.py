#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The gateway's TLS uplink against a real Mosquitto TLS listener.

    tls_test.py <scenario> --board B --elf gateway.elf [--qemu-run scripts/qemu-run]

Each run makes its own CA, broker and client certificates with the openssl
command (examples/gateway/tls_pki.py), starts Mosquitto on 127.0.0.1 with a
TLS 1.2 listener that requires a client certificate (for the gateway) and a
plain one (for the test's mosquitto_sub), and the gateway in QEMU, which
reaches the broker at 10.0.2.2 (slirp, restrict=off) under the name
broker.vthread.test. Every frame the guest sends or receives is captured
(QEMU filter-dump) and read back here: TLS records, the max_fragment_length
answer, and a search for MQTT bytes in clear.

Scenarios:
  ok          ECDSA broker certificate: readings arrive over TLS; no MQTT
              byte in clear; the broker honours max_fragment_length
  rsa         the same with an RSA broker certificate (ECDHE-RSA)
  bad_ca      broker certificate from another CA      } each fails with its
  expired     broker certificate expired a year ago    } own error, retried
  wrong_host  the gateway expects another name         } with backoff, and no
  no_client_cert  the gateway has no client certificate} application data leaves
  drop        a proxy cuts the first two connections in the middle of the
              handshake: the gateway retries and then delivers
  no_entropy  (boards with a host test seed) no seed=, or a constant one:
              TLS refuses to start with a clear error
  bench       under -icount shift=0: handshake instructions, RAM of one TLS
              session (heap peak + static), code bytes, TLS instructions per
              reading, readings per second over TLS and in clear in the same
              test (bursts from inside the gateway, QoS 0 by default, so the
              uplink's CPU and not the broker's round trips decides)

Prints one line per check and "N passed, N failed"; exit code 0 if all passed.
"""
import argparse
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "examples", "gateway"))
import demo  # noqa: E402  (Proc, free_port, wait_for, port_open)
import tls_pki  # noqa: E402

NAME = "broker.vthread.test"
RECORD_MAX = 2048          # VT_TLS_RECORD_IN of the build
GCM_EXPANSION = 8 + 16     # explicit nonce + tag of an AES-GCM record
checks = {"passed": 0, "failed": 0}


def check(ok, what):
    checks["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    return ok


# ------------------------------------------------------------- capture

def pcap_segments(path):
    """(src, sport, dst, dport, seq, flags, payload) of every IPv4 TCP segment."""
    out = []
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return out
    endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    pos = 24
    while pos + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[pos:pos + 16])
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        if len(frame) < 34 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 6:
            continue
        total = struct.unpack(">H", ip[2:4])[0]
        tcp = ip[ihl:total]
        if len(tcp) < 20:
            continue
        sport, dport, seq = struct.unpack(">HHI", tcp[:8])
        off = (tcp[12] >> 4) * 4
        out.append((socket.inet_ntoa(ip[12:16]), sport, socket.inet_ntoa(ip[16:20]), dport, seq,
                    tcp[13], tcp[off:]))
    return out


def tcp_streams(path, port):
    """Per connection to 10.0.2.2:port: (guest->broker bytes, broker->guest bytes)."""
    conns = {}
    for src, sport, dst, dport, seq, flags, payload in pcap_segments(path):
        if dst == "10.0.2.2" and dport == port:
            key, way = sport, 0
        elif src == "10.0.2.2" and sport == port:
            key, way = dport, 1
        else:
            continue
        c = conns.setdefault(key, [{"isn": None, "seg": {}}, {"isn": None, "seg": {}}])[way]
        if flags & 0x02:  # SYN
            c["isn"] = (seq + 1) & 0xFFFFFFFF
        elif payload:
            c["seg"][seq] = payload
    streams = []
    for key in sorted(conns):
        pair = []
        for c in conns[key]:
            buf = bytearray()
            if c["isn"] is not None:
                nxt = c["isn"]
                for seq in sorted(c["seg"], key=lambda s: (s - c["isn"]) & 0xFFFFFFFF):
                    p = c["seg"][seq]
                    rel = (seq - nxt) & 0xFFFFFFFF
                    if rel < 0x80000000:
                        if rel == 0:
                            buf += p
                            nxt = (nxt + len(p)) & 0xFFFFFFFF
                    else:  # overlaps what we have: keep the new part
                        back = (nxt - seq) & 0xFFFFFFFF
                        if back < len(p):
                            buf += p[back:]
                            nxt = (nxt + len(p) - back) & 0xFFFFFFFF
            pair.append(bytes(buf))
        streams.append(pair)
    return streams


def tls_records(stream):
    """[(type, length, body)] of a TLS byte stream (stops at a torn record)."""
    recs, pos = [], 0
    while pos + 5 <= len(stream):
        typ, _, length = struct.unpack(">BHH", stream[pos:pos + 5])
        if pos + 5 + length > len(stream):
            break
        recs.append((typ, length, stream[pos + 5:pos + 5 + length]))
        pos += 5 + length
    return recs


def server_hello_extensions(recs):
    """Extension types of the ServerHello in the broker's records, or None."""
    for typ, _, body in recs:
        if typ == 22 and body and body[0] == 2:  # handshake, ServerHello
            p = 4 + 2 + 32
            sid = body[p]
            p += 1 + sid + 2 + 1
            if p + 2 > len(body):
                return []
            end = p + 2 + struct.unpack(">H", body[p:p + 2])[0]
            p += 2
            exts = []
            while p + 4 <= end:
                t, n = struct.unpack(">HH", body[p:p + 4])
                exts.append(t)
                p += 4 + n
            return exts
    return None


def capture_checks(pcap, port, expect_data):
    """The checks every scenario makes on its capture; returns the streams."""
    streams = tcp_streams(pcap, port)
    clear = [s for pair in streams for s in pair if b"MQTT" in s or b"sensors/" in s]
    check(streams and not clear,
          f"capture: {len(streams)} connection(s) to the broker port, no MQTT byte in clear "
          "(no 'MQTT' protocol name, no 'sensors/' topic in any payload)")
    app = [r for pair in streams for r in tls_records(pair[0]) if r[0] == 23]
    if expect_data:
        check(len(app) > 0, f"capture: the gateway sent {len(app)} application-data records")
    else:
        check(len(app) == 0, "capture: the gateway sent no application-data record "
                             "(nothing after the failed handshake)")
    return streams


# ---------------------------------------------------------------- world

class World:
    """PKI, broker, subscriber and the gateway of one scenario."""

    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="vt-tls-")
        os.chmod(self.tmp, 0o755)
        self.procs = []
        self.pki = tls_pki.Pki(self.tmp)
        self.client = self.pki.client("client", "vthread-gateway")
        self.pcap = os.path.join(self.tmp, "guest.pcap")
        self.qemu = None

    def broker(self, cert, key):
        self.tls_port, self.plain_port = demo.free_port(), demo.free_port()
        conf = os.path.join(self.tmp, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write("per_listener_settings false\nallow_anonymous true\npersistence false\n"
                    + tls_pki.mosquitto_tls_listener(self.tls_port, self.pki.ca, cert, key)
                    + f"listener {self.plain_port} 127.0.0.1\n")
        for name in os.listdir(self.tmp):
            os.chmod(os.path.join(self.tmp, name), 0o644)
        mosq = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        b = demo.Proc([mosq, "-c", conf], name="mosquitto")
        self.procs.append(b)
        if not demo.wait_for(lambda: demo.port_open(self.plain_port), 10):
            raise SystemExit("mosquitto did not start:\n" + b.text())
        self.sub = demo.Proc(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(self.plain_port), "-q", "1",
                              "-v", "-t", "sensors/#"], name="mosquitto_sub")
        self.procs.append(self.sub)

        def marker_seen():
            subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(self.plain_port), "-q", "1",
                            "-t", "sensors/_ready", "-m", "ready"], capture_output=True, timeout=10)
            return demo.wait_for(lambda: "sensors/_ready ready" in self.sub.text(), 1)

        if not demo.wait_for(marker_seen, 15, 0):
            raise SystemExit("mosquitto_sub did not subscribe:\n" + self.sub.text())

    def gateway(self, port, extra=(), icount=False, tls=True, client_cert=True, pcap=True):
        self.sensor_port = demo.free_port()
        env = dict(os.environ, VT_QEMU_NET=f"hostfwd=tcp:127.0.0.1:{self.sensor_port}-10.0.2.15:5000",
                   VT_QEMU_RESTRICT="off")
        if pcap:
            env["VT_QEMU_PCAP"] = self.pcap
        fw = [f"broker=10.0.2.2:{port}", "max=16", "keepalive=30"]
        if tls:
            fw += ["tls=1", f"ca={self.pki.ca}", f"tls_name={NAME}", f"time={int(time.time())}",
                   f"seed={os.urandom(32).hex()}"]
            if client_cert:
                fw += [f"cert={self.client[0]}", f"key={self.client[1]}"]
        fw += list(extra)
        argv = [self.args.qemu_run, self.args.board] + (["--icount"] if icount else []) + [self.args.elf]
        self.qemu = demo.Proc(argv + fw, env=env, name="qemu")
        self.procs.append(self.qemu)
        if not demo.wait_for(lambda: "listening" in self.qemu.text() or self.qemu.p.poll() is not None, 60):
            pass
        if "listening" not in self.qemu.text():
            raise SystemExit("the gateway did not start:\n" + self.qemu.text())
        return self.qemu

    def send_readings(self, n, sensor="t-1"):
        """n readings on one sensor connection; returns the replies."""
        replies = []
        with socket.create_connection(("127.0.0.1", self.sensor_port), timeout=30) as s:
            s.settimeout(30)
            f = s.makefile("rb")
            for i in range(n):
                s.sendall(f"{sensor} {20 + i}.5 40\n".encode())
                replies.append(f.readline().decode().strip())
        return replies

    def received(self):
        return [l for l in self.sub.snapshot() if l.startswith("sensors/") and "_ready" not in l]

    def stop(self):
        for p in reversed(self.procs):
            p.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


# ------------------------------------------------------------ scenarios

def delivered(w, rsa=False):
    cert, key = w.pki.server("rsa" if rsa else "srv", NAME, rsa=rsa)
    w.broker(cert, key)
    q = w.gateway(w.tls_port)
    check(demo.wait_for(lambda: "tls: connected" in q.text(), 60),
          "the gateway completed the handshake: "
          + next((l for l in q.snapshot() if l.startswith("tls: connected")), q.text()[-300:]))
    suite = "ECDHE-RSA" if rsa else "ECDHE-ECDSA"
    check(f"TLS-{suite}-WITH-AES-128-GCM-SHA256" in q.text(), f"cipher suite {suite} with AES-128-GCM")
    check("TEST SEED" in q.text() or "entropy from virtio-rng" in q.text(),
          "the entropy source is named: " + next((l for l in q.snapshot() if l.startswith("tls: ")), ""))
    replies = w.send_readings(5)
    check(replies == ["OK"] * 5, f"5 readings answered OK: {replies}")
    check(demo.wait_for(lambda: len(w.received()) >= 5, 30),
          f"the readings reached the broker over TLS: {w.received()}")
    time.sleep(0.5)
    q.stop()
    streams = capture_checks(w.pcap, w.tls_port, expect_data=True)
    srv = tls_records(streams[0][1]) if streams else []
    exts = server_hello_extensions(srv)
    check(exts is not None and 1 in exts,
          f"the broker (Mosquitto/OpenSSL) acknowledged max_fragment_length {RECORD_MAX} "
          f"(ServerHello extensions {exts})")
    biggest = max((r[1] for r in srv), default=0)
    check(0 < biggest <= RECORD_MAX + GCM_EXPANSION,
          f"the broker's largest record: {biggest} bytes (limit {RECORD_MAX} + {GCM_EXPANSION})")


def scenario_ok(w):
    delivered(w)


def scenario_rsa(w):
    delivered(w, rsa=True)


def rejected(w, cert, key, error, **gw):
    w.broker(cert, key)
    q = w.gateway(w.tls_port, **gw)
    line = f"mqtt: connecting to the broker failed: {error}"
    check(demo.wait_for(lambda: line in q.text(), 60), f"the gateway says: {line}")
    replies = w.send_readings(3)
    check(replies == ["OK"] * 3, f"readings are still taken (queued for later): {replies}")
    # a retry (backoff 250-500 ms, then doubling) fails the same way
    check(demo.wait_for(lambda: (w.qemu.text().count("tls: connected") == 0 and
                                 len(tcp_streams(w.pcap, w.tls_port)) >= 2), 20),
          f"retried with backoff, never connected ({len(tcp_streams(w.pcap, w.tls_port))} attempts seen)")
    q.stop()
    check(not w.received(), f"the broker received nothing: {w.received()}")
    capture_checks(w.pcap, w.tls_port, expect_data=False)


def scenario_bad_ca(w):
    other = tls_pki.Pki(w.tmp, "another CA", prefix="other")
    cert, key = other.server("foreign", NAME)
    rejected(w, cert, key, "server certificate not signed by the configured CA")


def scenario_expired(w):
    cert, key = w.pki.server("old", NAME, expired=True)
    rejected(w, cert, key, "server certificate expired or not yet valid")


def scenario_wrong_host(w):
    cert, key = w.pki.server("srv", "elsewhere.vthread.test")
    rejected(w, cert, key, "server certificate is for another host name")


def scenario_no_client_cert(w):
    cert, key = w.pki.server("srv", NAME)
    rejected(w, cert, key, "the server requires a client certificate and none is configured",
             client_cert=False)


def scenario_drop(w):
    cert, key = w.pki.server("srv", NAME)
    w.broker(cert, key)
    proxy = demo.Proxy(w.tls_port, cut_first=2)
    q = w.gateway(proxy.port, pcap=False)
    line = "mqtt: connecting to the broker failed: the server closed the connection during the TLS handshake"
    check(demo.wait_for(lambda: line in q.text(), 60), f"the gateway says: {line}")
    check(demo.wait_for(lambda: "tls: connected" in q.text(), 60),
          f"after {proxy.cut_first} cut handshakes it retried and connected ({proxy.conns} connections)")
    replies = w.send_readings(3)
    check(replies == ["OK"] * 3 and demo.wait_for(lambda: len(w.received()) >= 3, 30),
          f"readings delivered after the retries: {w.received()}")


def scenario_no_entropy(w):
    """A board without a random generator and no seed= (or a constant one):
    TLS refuses to start, saying why; the gateway does not fall back."""
    for seed, why in ((None, "no seed=<64+ hex digits> on the command line"),
                      ("00" * 32, "failed or gave constant bytes")):
        env = dict(os.environ, VT_QEMU_NET="", VT_QEMU_RESTRICT="off")
        fw = ["broker=10.0.2.2:1", "tls=1", f"ca={w.pki.ca}", f"time={int(time.time())}"]
        if seed:
            fw.append(f"seed={seed}")
        q = demo.Proc([w.args.qemu_run, w.args.board, w.args.elf, *fw], env=env, name="qemu")
        w.procs.append(q)
        w.qemu = q
        said = demo.wait_for(lambda: "gateway: TLS configuration: no entropy source" in q.text(), 30)
        check(said and why in q.text() and "listening" not in q.text(),
              f"seed={seed and seed[:8] + '...'}: TLS refuses to start: "
              + " / ".join(l for l in q.snapshot() if l.startswith(("tls:", "gateway:"))))
        q.stop()


# -------------------------------------------------------------- benchmark

def tls_bytes(elf):
    """(static RAM, code) the TLS layer and Mbed TLS put in the firmware:
    .data + .bss, and .text + .rodata, from the linker map beside the ELF."""
    mapfile = os.path.splitext(elf)[0] + ".map"
    ram = code = 0
    pending = None
    in_map = False
    with open(mapfile) as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map:
                continue
            m = re.match(r"^ (\.(?:data|bss|text|rodata|srodata|sdata|sbss)[^\s]*|COMMON)\s*$", line)
            if m:
                pending = m.group(1)
                continue
            m = re.match(r"^ (\.(?:data|bss|text|rodata|srodata|sdata|sbss)[^\s]*|COMMON)?"
                         r"\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S+)", line)
            section = (m.group(1) or pending) if m else None
            if section and re.search(r"libvt_tls(_[a-z]+)?\.a\(", m.group(3)):
                if re.match(r"\.(text|rodata|srodata)", section):
                    code += int(m.group(2), 16)
                else:
                    ram += int(m.group(2), 16)
            pending = None
    return ram, code


def scenario_bench(w):
    cert, key = w.pki.server("srv", NAME)
    w.broker(cert, key)
    n, k = w.args.burst, w.args.bursts
    rates = {}
    for mode in ("clear", "tls"):
        port = w.tls_port if mode == "tls" else w.plain_port
        q = w.gateway(port, extra=[f"burst={n}", f"bursts={k}", f"qos={w.args.qos}", "window=16"], icount=True,
                      tls=mode == "tls", pcap=False)
        ok = demo.wait_for(lambda: q.text().count("burst: ") >= k + (mode == "tls"), 300, 0.5)
        times = [int(t) for t in re.findall(r"burst: \d+ readings delivered in (\d+) us", q.text())]
        check(ok and len(times) == k, f"{mode}: {k} bursts of {n} readings took {times} us")
        if times:
            rates[mode] = n / (sorted(times)[len(times) // 2] / 1e6)  # the median burst
        if mode == "tls":
            m = re.search(r"handshake (\d+) ns of CPU, TLS heap (\d+) bytes now, (\d+) at most; "
                          r"stack of mqtt-pub: (\d+) bytes used", q.text())
            check(m is not None, "tls: " + (m.group(0) if m else "no handshake line"))
            if m:
                insns, heap_now, heap_peak, stack = (int(x) for x in m.groups())
                static, code = tls_bytes(w.args.elf)
                ram = heap_peak + static
                print(f"bench: tls_handshake_insns = {insns} instructions")
                print(f"bench: tls_heap_peak = {heap_peak} bytes")
                print(f"bench: tls_heap_session = {heap_now} bytes")
                print(f"bench: tls_static = {static} bytes")
                print(f"bench: tls_handshake_stack = {stack} bytes")
                print(f"bench: tls_session_ram = {ram} bytes")
                print(f"bench: tls_code_bytes = {code} bytes")
                check(code <= w.args.code_max, f"TLS layer and Mbed TLS code (text + rodata): "
                                               f"{code} bytes <= {w.args.code_max}")
                check(ram <= w.args.ram_max,
                      f"RAM of one TLS session (heap peak {heap_peak} + static {static}) = {ram} bytes "
                      f"<= {w.args.ram_max} (the thread's stack, {stack} bytes used, comes on top)")
                check(insns <= w.args.insns_max,
                      f"ECDHE-ECDSA P-256 handshake: {insns} instructions <= {w.args.insns_max}")
            m = re.search(r"TLS records: (\d+) ns of CPU per write", q.text())
            check(m is not None, "tls: " + (m.group(0) if m else "no record cost line"))
            if m:
                wr = int(m.group(1))
                print(f"bench: tls_write_insns_per_reading = {wr} instructions")
                check(wr <= w.args.write_insns_max,
                      f"TLS cost of one reading (one record written): {wr} instructions "
                      f"<= {w.args.write_insns_max}")
            m = re.search(r"TLS records: (\d+) ns of CPU per read", q.text())
            if m:  # QoS 1: a PUBACK per reading
                print(f"bench: tls_read_insns_per_record = {m.group(1)} instructions")
        q.stop()
        w.procs.remove(q)
    if len(rates) == 2:
        ratio = rates["tls"] / rates["clear"]
        print(f"bench: gateway_readings_per_s_clear = {rates['clear']:.0f} readings/s")
        print(f"bench: gateway_readings_per_s_tls = {rates['tls']:.0f} readings/s")
        print(f"bench: tls_throughput_ratio = {ratio:.2f}")
        check(ratio >= w.args.ratio_min,
              f"readings over TLS at {ratio:.2f} of the clear-text rate (floor {w.args.ratio_min}); "
              f"median of {k} bursts of {n} readings each, QoS {w.args.qos}, same test, virtual time "
              "under -icount shift=0")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--board", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--qemu-run", default=os.path.join(ROOT, "scripts", "qemu-run"))
    ap.add_argument("--burst", type=int, default=2000, help="bench: readings per burst")
    ap.add_argument("--bursts", type=int, default=5, help="bench: bursts per mode (median)")
    ap.add_argument("--qos", type=int, default=0, help="bench: QoS of the bursts (0: the uplink's CPU decides)")
    ap.add_argument("--write-insns-max", type=int, default=0, help="bench: ceiling per reading")
    ap.add_argument("--ram-max", type=int, default=16384, help="bench: ceiling, bytes")
    ap.add_argument("--code-max", type=int, default=0, help="bench: code ceiling, bytes")
    ap.add_argument("--insns-max", type=int, default=0, help="bench: handshake ceiling")
    ap.add_argument("--ratio-min", type=float, default=0.25, help="bench: TLS/clear floor")
    ap.add_argument("--record-max", type=int, default=RECORD_MAX, help="the build's VT_TLS_RECORD_MAX")
    a = ap.parse_args()
    globals()["RECORD_MAX"] = a.record_max
    fn = globals().get("scenario_" + a.scenario)
    if fn is None:
        sys.exit(f"unknown scenario {a.scenario}")
    if shutil.which("openssl") is None:
        sys.exit("openssl is missing (Debian: apt-get install openssl)")
    w = World(a)
    try:
        fn(w)
    finally:
        if w.qemu is not None and checks["failed"]:
            print("---- gateway output\n" + w.qemu.text())
        w.stop()
    print(f"{checks['passed']} passed, {checks['failed']} failed")
    sys.exit(0 if checks["failed"] == 0 and checks["passed"] > 0 else 1)


if __name__ == "__main__":
    main()
