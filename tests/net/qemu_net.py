#!/usr/bin/env python3
"""Network tests against firmware running in QEMU with user-mode networking.

    qemu_net.py <scenario> --board B --elf FIRMWARE [--qemu-run scripts/qemu-run]

QEMU forwards 127.0.0.1 ports (chosen free at start) to the guest's ports;
the peers are programs nobody here wrote: Python's standard library
sockets, nc, curl, wrk. Each scenario prints one line per check and ends
with "N passed, N failed"; the exit code is 0 only when all passed.
"""
import argparse
import hashlib
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import socket
import subprocess
import statistics
import sys
import threading
import time

checks = {"passed": 0, "failed": 0}


def check(ok, what):
    checks["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Guest:
    """QEMU running a firmware, with host ports forwarded to guest ports."""

    def __init__(self, args, guest_ports, fw_args=(), ready=b"listening", gdb=False):
        self.ports = {gp: free_port() for gp in guest_ports}
        fwd = ",".join(f"hostfwd=tcp:127.0.0.1:{hp}-10.0.2.15:{gp}" for gp, hp in self.ports.items())
        env = dict(os.environ, VT_QEMU_NET=fwd)
        self.gdb_port = None
        if gdb:  # QEMU's gdbstub on a free local port, the firmware running
            self.gdb_port = free_port()
            env["VT_QEMU_EXTRA"] = f"-gdb tcp:127.0.0.1:{self.gdb_port}"
        # stdin: the firmware's console UART (QEMU -serial stdio)
        self.proc = subprocess.Popen([args.qemu_run, args.board, args.elf, *fw_args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=env)
        self.out = b""
        self.lock = threading.Lock()
        threading.Thread(target=self._reader, daemon=True).start()
        deadline = time.time() + 30
        while ready not in self.output() and time.time() < deadline:
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if ready not in self.output():
            print(self.output().decode(errors="replace"))
            raise SystemExit("firmware did not get ready")

    def _reader(self):
        for line in self.proc.stdout:
            with self.lock:
                self.out += line

    def output(self):
        with self.lock:
            return self.out

    def type(self, text):
        """Type @p text on the firmware's console."""
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_for(self, pattern, timeout=10):
        """Wait until the output matches the regular expression @p pattern."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.output().decode(errors="replace"), re.S):
                return True
            time.sleep(0.05)
        return False

    def port(self, guest_port):
        return self.ports[guest_port]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.output().decode(errors="replace")


def connect(port, timeout=20):
    """Connect and wait until the guest really took the connection: slirp's
    connect() succeeds before the guest accepts, so a first exchange is the
    proof (the caller does it)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def stats(guest, port=9):
    for attempt in range(20):
        try:
            with connect(guest.port(port), 10) as s:
                data = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            return json.loads(data)
        except (OSError, ValueError):
            time.sleep(0.5)
    raise SystemExit("no stats from the firmware")


def wait_quiet(guest, pred, timeout=30):
    deadline = time.time() + timeout
    st = stats(guest)
    while not pred(st) and time.time() < deadline:
        time.sleep(0.5)
        st = stats(guest)
    return st


def echo_bytes(port, data, chunk=16384):
    """Send data and read the echo concurrently; return what came back."""
    s = connect(port)
    got = bytearray()
    sent = 0
    s.setblocking(False)
    deadline = time.time() + 120
    while len(got) < len(data) and time.time() < deadline:
        want_w = [s] if sent < len(data) else []
        r, w, _ = select.select([s], want_w, [], 1.0)
        if w:
            try:
                sent += s.send(data[sent:sent + chunk])
            except BlockingIOError:
                pass
        if r:
            part = s.recv(65536)
            if not part:
                break
            got += part
    s.close()
    return bytes(got)


# ----------------------------------------------------------------- scenarios

def scenario_echo(args):
    g = Guest(args, [7, 9])
    try:
        results = {}

        def one(i):
            data = random.Random(i).randbytes(1 << 20)
            back = echo_bytes(g.port(7), data)
            results[i] = hashlib.sha256(back).hexdigest() == hashlib.sha256(data).hexdigest()

        t0 = time.time()
        threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        dt = time.time() - t0
        check(all(results.get(i) for i in range(4)),
              f"4 connections echo 1 MB of random bytes each, sha256 equal ({dt:.1f} s)")
        if shutil.which("nc"):
            out = subprocess.run(["nc", "-q", "2", "127.0.0.1", str(g.port(7))], input=b"hello nc\n",
                                 capture_output=True, timeout=20).stdout
            check(out == b"hello nc\n", "nc gets its line back")
        st = wait_quiet(g, lambda s: s["connections"] == 0 and s["tcp_sockets"] <= 1)
        check(st["connections"] == 0 and st["errors"] == 0, f"threads ended, no errors: {st}")
        print(f"bench: echo_stack_used_max = {st['stack_used_max']} bytes")
    finally:
        g.stop()


def gdb_threads(args, guest):
    """`vt threads` of scripts/gdb/vthread.py, from gdb-multiarch attached to
    the running firmware (it halts while attached and runs on after)."""
    script = os.path.join(os.path.dirname(__file__), "../../scripts/gdb/vthread.py")
    r = subprocess.run(["gdb-multiarch", "-nx", "-batch", "-ex", "set pagination off",
                        "-ex", "source " + script,
                        "-ex", f"target remote 127.0.0.1:{guest.gdb_port}",
                        "-ex", "vt threads", args.elf],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    return r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")


def scenario_console(args):
    """The console on the UART: a thread dump and the counters on command,
    while a connection is open; and the same names from GDB."""
    g = Guest(args, [7, 9], gdb=True)
    try:
        with connect(g.port(7)) as s:
            check(roundtrip(s, b"hello\n"), "a connection is open and echoes")
            g.type("threads\n")
            check(g.wait_for(r"vthread dump at \d+ ms.*\n  console +0x[0-9a-f]+ .*\(running\)"),
                  "'threads' prints the dump, the console thread in it")
            check(g.wait_for(r"vthread dump at \d+ ms.*\n  conn +0x[0-9a-f]+ wait +tcp-read 10\.0\.2\.2:\d+"),
                  "the connection thread is in the dump, waiting in a TCP read from its peer")
            check(g.wait_for(r"\n  echo +0x[0-9a-f]+ wait +tcp-accept :7"),
                  "the server thread waits in accept on port 7")
            g.type("stats\n")
            check(g.wait_for(r'\{"connections":1,'), "'stats' prints the counters (1 connection)")
            g.type("bogus\n")
            check(g.wait_for(r"unknown command 'bogus'"), "an unknown command is named, not ignored")
            out = gdb_threads(args, g)
            print(out.strip())
            check(re.search(r"conn +0x[0-9a-f]+ +wait +tcp-read 10\.0\.2\.2:\d+", out) is not None,
                  "GDB's 'vt threads' names the connection's wait too")
            check(roundtrip(s, b"still here\n"), "the connection still echoes")
    finally:
        out = g.stop()
    print(out[out.find("vthread dump"):].strip())


def roundtrip(s, msg):
    s.sendall(msg)
    got = b""
    while len(got) < len(msg):
        part = s.recv(256)
        if not part:
            break
        got += part
    return got == msg


def scenario_many(args):
    n = args.n
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 2 * n + 256)), hard))
    g = Guest(args, [7, 9], fw_args=args.fw)
    try:
        socks = []
        t0 = time.time()
        # ramp up: slirp's listener has a backlog of 1 and accepts one
        # connection per main-loop turn, so open the next connection once
        # the previous one has proved it reached its own thread
        first = 0
        for i in range(n):
            try:
                s = connect(g.port(7), 30)
                first += roundtrip(s, f"hello {i}\n".encode())
                socks.append(s)
            except OSError as e:
                print(f"  connection {i}: {e}")
        dt_open = time.time() - t0
        st = stats(g)
        check(first == n, f"{first}/{n} connections opened, each echoed once ({dt_open:.1f} s)")
        check(st["connections"] == n, f"{st['connections']} connection threads alive at once")
        # all still open: every one echoes again
        # (in groups: QEMU's LAN9118 model has no back-pressure and drops
        # what does not fit its FIFO when slirp delivers a burst; slirp then
        # retransmits only after a second)
        again = 0
        for lo in range(0, n, 50):
            group = socks[lo:lo + 50]
            for i, s in enumerate(group, lo):
                s.sendall(f"again {i}\n".encode())
            for i, s in enumerate(group, lo):
                msg = f"again {i}\n".encode()
                got = b""
                try:
                    while len(got) < len(msg):
                        part = s.recv(64)
                        if not part:
                            break
                        got += part
                except OSError:
                    pass
                again += got == msg
        check(again == n, f"{again}/{n} concurrent connections echoed a second time")
        mode = "shared" if st.get("shared_runstacks") else "dedicated"
        print(f"bench: tcp_conns_held = {st['connections']} connections ({mode} stacks)")
        print(f"bench: tcp_conn_bytes = {st['bytes_per_connection']} bytes "
              f"({mode}: thread slot + {'saved stack' if mode == 'shared' else 'stack'} + socket + lwIP pcb)")
        for i, s in enumerate(socks):
            s.close()
            if i % 50 == 49:
                time.sleep(0.02)
        st = wait_quiet(g, lambda s: s["connections"] == 0 and s["tcp_pcbs"] <= 1, 60)
        check(st["connections"] == 0 and st["tcp_sockets"] <= 1 and st["tcp_pcbs"] <= 1,
              f"all threads ended, sockets and pcbs freed: {st}")
    finally:
        g.stop()


def scenario_hostile(args):
    g = Guest(args, [7, 9])
    try:
        base = stats(g)
        # 1. connect and send nothing; others must still be served
        idle = [connect(g.port(7)) for _ in range(5)]
        back = echo_bytes(g.port(7), b"still served\n")
        check(back == b"still served\n", "served while 5 idle peers hold connections")
        # 2. reset in the middle of a transfer
        s = connect(g.port(7))
        s.sendall(os.urandom(200000)[:50000])
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()  # RST
        # 3. half-close: send, shut down writing, read the echo to EOF
        s = connect(g.port(7))
        data = os.urandom(100000)
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            part = s.recv(65536)
            if not part:
                break
            got += part
        s.close()
        check(got == data, "half-closed peer gets every byte back, then EOF")
        # 4. slow reader: sends a lot, never reads; the server blocks in
        # write for that peer only
        slow = connect(g.port(7))
        slow.setblocking(False)
        pushed = 0
        try:
            for _ in range(200):
                pushed += slow.send(os.urandom(65536))
        except BlockingIOError:
            pass
        back = echo_bytes(g.port(7), b"others fine\n")
        check(back == b"others fine\n", f"served while a slow reader is stuck ({pushed} bytes pushed)")
        # 5. garbage: binary junk is just data for echo
        junk = bytes(range(256)) * 100
        check(echo_bytes(g.port(7), junk) == junk, "binary garbage echoed intact")
        for s in idle:
            s.close()
        slow.close()
        st = wait_quiet(g, lambda s: s["connections"] == 0 and s["tcp_pcbs"] <= 1, 60)
        check(st["connections"] == 0, f"every connection's thread ended: {st['connections']} left")
        check(st["tcp_sockets"] <= 1 and st["tcp_pcbs"] <= 1,
              f"sockets and pcbs came back (sockets {st['tcp_sockets']}, pcbs {st['tcp_pcbs']})")
        check(st["threads"] == base["threads"], f"thread count back to {base['threads']}")
    finally:
        g.stop()


def http_get(port, path, conn=None, headers=None):
    import http.client
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    return c, r.status, body


def raw_exchange(port, data, timeout=10):
    s = connect(port, timeout)
    s.sendall(data)
    got = b""
    try:
        while True:
            part = s.recv(4096)
            if not part:
                break
            got += part
    except OSError:
        pass
    s.close()
    return got


def scenario_http(args):
    g = Guest(args, [80, 9])
    try:
        port = g.port(80)
        if shutil.which("curl"):
            out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                                  f"http://127.0.0.1:{port}/"], capture_output=True, timeout=30).stdout
            check(out == b"200 1751", f"curl GET / -> {out.decode()}")
            out = subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/stats"],
                                 capture_output=True, timeout=30).stdout
            try:
                st = json.loads(out)
                check("connections" in st and "threads" in st and "bytes_per_connection" in st,
                      "curl GET /stats is JSON with connections, threads, memory")
            except ValueError:
                check(False, f"/stats is not JSON: {out[:80]!r}")
            v = subprocess.run(["curl", "-sv", f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/stats"],
                               capture_output=True, timeout=30).stderr
            check(b"Re-using existing connection" in v, "curl reuses the connection (keep-alive)")
        conn, st1, _ = http_get(port, "/")
        ok = st1 == 200
        for _ in range(19):
            conn, st2, _ = http_get(port, "/stats", conn)
            ok = ok and st2 == 200
        conn.close()
        check(ok, "20 requests on one keep-alive connection (http.client)")
        _, code, _ = http_get(port, "/nothing")
        check(code == 404, f"unknown path -> {code}")
        got = raw_exchange(port, b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        check(got.startswith(b"HTTP/1.1 405"), "POST -> 405")
        got = raw_exchange(port, bytes(random.Random(1).randbytes(300)) + b"\r\n\r\n")
        check(got.startswith(b"HTTP/1.1 400"), "garbage -> 400 and close")
        got = raw_exchange(port, b"GET / HTTP/1.1\r\nX: " + b"a" * 2000 + b"\r\n\r\n")
        check(got.startswith(b"HTTP/1.1 431"), "oversized request -> 431 and close")
        idle = [connect(port) for _ in range(5)]
        _, code, body = http_get(port, "/")
        check(code == 200 and len(body) == 1751, "served while 5 idle clients hold connections")
        for s in idle:
            s.close()
        st = wait_quiet(g, lambda s: s["connections"] == 0, 30)
        check(st["connections"] == 0 and st["tcp_sockets"] <= 1,
              f"every connection's thread ended, sockets back: {st['connections']}, {st['tcp_sockets']}")
    finally:
        g.stop()


def wrk_rps(port, path, close, seconds=5, conns=8):
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s"]
    if close:
        cmd += ["-H", "Connection: close"]
    out = subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], capture_output=True,
                         timeout=seconds + 60).stdout.decode()
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1]), out
    return 0.0, out


def scenario_http_bench(args):
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed")
    httpd_elf = args.elf.replace("http_server.elf", "lwip_httpd_fw.elf")
    # the same page (1,751 bytes), the same board, driver and poller; each
    # server measured three times, interleaved, the median kept: QEMU runs on
    # the host's clock, so a busy host shows up as noise
    runs = {}
    for rnd in range(3):
        for name, elf in (("http_server", args.elf), ("lwip_httpd", httpd_elf)):
            a = argparse.Namespace(**vars(args))
            a.elf = elf
            g = Guest(a, [80], ready=b"listening")
            try:
                port = g.port(80)
                wrk_rps(port, "/index.html", True, 1)  # warm up (ARP, caches)
                runs.setdefault((name, "close"), []).append(wrk_rps(port, "/index.html", True)[0])
                if name == "http_server":
                    runs.setdefault((name, "keepalive"), []).append(
                        wrk_rps(port, "/index.html", False)[0])
            finally:
                g.stop()
    res = {k: sorted(v)[len(v) // 2] for k, v in runs.items()}
    for (name, mode), rps in res.items():
        print(f"  {name} {mode}: {', '.join(f'{x:.0f}' for x in runs[name, mode])} requests/s")
        print(f"bench: {name}_rps_{mode} = {rps:.0f} requests/s")
    ratio = res["http_server", "close"] / res["lwip_httpd", "close"] if res["lwip_httpd", "close"] else 0
    print(f"bench: http_server_vs_lwip_httpd = {ratio:.2f} ratio (same work: one request per connection)")
    check(res["http_server", "close"] > 0 and res["lwip_httpd", "close"] > 0, "wrk measured both servers")


def scenario_client(args):
    """1,000 vthreads each fetch from a host server that waits 100 ms."""
    import http.server
    import socketserver

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(0.1)
            # one write, as an API server answers a small request
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\n"
                             b"slow hello\n")
            self.close_connection = True

        def log_message(self, *a):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    srv = Server(("127.0.0.1", 0), Slow)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    # the guest reaches the host's loopback as 10.0.2.2: that needs slirp
    # without restrict=on (nothing else is reachable from this machine)
    env = dict(os.environ, VT_QEMU_NET="hostfwd=tcp:127.0.0.1:0-10.0.2.15:1", VT_QEMU_RESTRICT="off")
    walls = []
    for run in range(args.runs):
        t0 = time.time()
        p = subprocess.run([args.qemu_run, args.board, args.elf, "host=10.0.2.2", f"port={port}",
                            f"n={args.n}", *args.fw], capture_output=True, env=env, timeout=300)
        dt = time.time() - t0
        out = p.stdout.decode(errors="replace")
        print(out.strip())
        drops = p.stderr.decode(errors="replace").count("Failed to send packet")
        if drops:
            print(f"  ({drops} frames dropped by the NIC model: its receive FIFO was full;"
                  " the peer resends them after its retransmission timeout)")
        m = re.search(r"wall time (\d+) ms", out)
        if m:
            walls.append(int(m.group(1)))
        check(p.returncode == 0 and f"{args.n} of {args.n} fetches succeeded" in out,
              f"run {run + 1}: {args.n} vthreads each fetched from a 100 ms server (QEMU process {dt:.1f} s)")
    srv.shutdown()
    if walls:
        print(f"  wall times: {', '.join(map(str, walls))} ms")
        print(f"bench: http_client_{args.n}_wall_ms = {statistics.median(walls):.0f} ms (median of {len(walls)})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("--board", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--qemu-run", default=os.path.join(os.path.dirname(__file__), "../../scripts/qemu-run"))
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fw", nargs="*", default=[], help="firmware options (key=value)")
    args = ap.parse_args()
    fn = globals().get("scenario_" + args.scenario)
    if fn is None:
        raise SystemExit("unknown scenario " + args.scenario)
    try:
        fn(args)
    except SystemExit as e:
        if e.code not in (None, 0):
            check(False, str(e.code))
    print(f"{checks['passed']} passed, {checks['failed']} failed", flush=True)
    sys.exit(0 if checks["failed"] == 0 and checks["passed"] > 0 else 1)


if __name__ == "__main__":
    main()
