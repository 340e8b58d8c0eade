#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The gateway demo, end to end (what scripts/gateway-demo and the ctest run).

    demo.py --elf gateway.elf [--board mps2-an385] [--sensors 1000|auto] [--readings 3] [--tls]

1. starts Mosquitto bound to 127.0.0.1 on a free port (generated config,
   stopped at the end) and `mosquitto_sub -t 'sensors/#' -v`, subscribed
   before anything is published (a marker message proves it);
2. starts the gateway firmware in QEMU (scripts/qemu-run) with ports 5000
   and 80 forwarded and broker=10.0.2.2:<port>; --sensors auto: as many
   sensors as the firmware holds (its /stats sensors_max, less the silent
   ones), for a part sized by its own options header (lm3s6965evb);
3. runs the sensor simulator (sensors.py: ramped connections, a few
   readings each, some malformed and oversized lines, one silent sensor),
   printing progress from the gateway's /stats once a second;
4. checks that every reading the gateway accepted (answered OK) reached the
   broker, with topic and payload, and that every bad line was answered
   with an error and counted; prints a summary; exit code 0 on success.

With --tls the uplink is MQTT over TLS 1.2: a CA, a broker certificate for
broker.vthread.test and a client certificate are made with openssl
(tls_pki.py), Mosquitto gets a TLS listener that requires the client
certificate (mosquitto_sub stays on a plain listener bound to 127.0.0.1),
and the gateway is given the CA, its certificate and key at boot, the
broker's name, the time and (boards without a random generator) a test
seed (docs/tls.md).
"""
import argparse
import asyncio
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sensors  # noqa: E402
import tls_pki  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A child process whose output lines are collected by a thread."""

    def __init__(self, argv, env=None, name=""):
        self.name = name
        self.lines = []
        self.lock = threading.Lock()
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                  start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.p.stdout:
            with self.lock:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    def text(self):
        with self.lock:
            return "\n".join(self.lines)

    def count(self):
        with self.lock:
            return len(self.lines)

    def snapshot(self):
        with self.lock:
            return list(self.lines)

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def wait_for(pred, timeout, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def get(port, path, timeout=5):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return r.read().decode()


def print_checks(checks):
    """Print each (good, text) as ok/FAIL; True when all are good."""
    ok = True
    for good, text in checks:
        ok &= bool(good)
        print(("ok   " if good else "FAIL ") + text)
    return ok


def stop_all(procs, tmp):
    """Stop the processes, newest first, and remove the temporary directory."""
    for p in reversed(procs):
        p.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def stats(port):
    try:
        return json.loads(get(port, "/stats"))
    except (OSError, ValueError):
        return None


def find_mosquitto():
    """The broker's executable; exits with what to install if it is missing."""
    for tool in ("mosquitto", "mosquitto_sub", "mosquitto_pub"):
        if shutil.which(tool) is None and not os.path.exists("/usr/sbin/" + tool):
            sys.exit(f"demo: {tool} is missing (Debian: apt-get install mosquitto mosquitto-clients)")
    return shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def start_broker(tmp, procs, listeners=""):
    """Mosquitto on a free 127.0.0.1 port (config in @p tmp; @p listeners:
    more of its configuration, a TLS listener) and `mosquitto_sub -t
    'sensors/#' -v` on that port, proven subscribed by a marker message.
    Both are appended to @p procs. Returns (port, subscriber)."""
    mosq_bin = find_mosquitto()
    bport = free_port()
    conf = os.path.join(tmp, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write("per_listener_settings false\nallow_anonymous true\npersistence false\n"
                "max_queued_messages 1000000\nmax_inflight_messages 100\n" + listeners
                + f"listener {bport} 127.0.0.1\n")
    os.chmod(tmp, 0o755)
    for name in os.listdir(tmp):  # the broker may run as another user
        os.chmod(os.path.join(tmp, name), 0o644)
    broker = Proc([mosq_bin, "-c", conf], name="mosquitto")
    procs.append(broker)
    if not wait_for(lambda: port_open(bport), 10):
        sys.exit("demo: mosquitto did not start:\n" + broker.text())
    print(f"demo: mosquitto listening on 127.0.0.1:{bport}", flush=True)
    sub = Proc(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(bport), "-q", "1", "-v",
                "-t", "sensors/#"], name="mosquitto_sub")
    procs.append(sub)

    def marker_seen():
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(bport), "-q", "1",
                        "-t", "sensors/_ready", "-m", "ready"], capture_output=True, timeout=10)
        return wait_for(lambda: "sensors/_ready ready" in sub.text(), 1)

    if not wait_for(marker_seen, 15, 0):
        sys.exit("demo: mosquitto_sub did not subscribe:\n" + sub.text())
    return bport, sub


def start_gateway(qemu_run, board, elf, fw_args, procs):
    """The gateway in QEMU with ports 5000 and 80 forwarded to free local
    ports, waiting until it listens and its MQTT uplink is connected.
    Appended to @p procs. Returns (sensor port, http port, process)."""
    sport, hport = free_port(), free_port()
    env = dict(os.environ,
               VT_QEMU_NET=f"hostfwd=tcp:127.0.0.1:{sport}-10.0.2.15:5000,"
                           f"hostfwd=tcp:127.0.0.1:{hport}-10.0.2.15:80",
               VT_QEMU_RESTRICT="off")  # the guest reaches the broker at 10.0.2.2
    qemu = Proc([qemu_run, board, elf, *fw_args], env=env, name="qemu")
    procs.append(qemu)
    wait_for(lambda: "listening" in qemu.text() or qemu.p.poll() is not None, 30)
    if "listening" not in qemu.text():
        sys.exit("demo: the gateway did not start:\n" + qemu.text())
    print("demo: " + qemu.text().splitlines()[-1], flush=True)
    if not wait_for(lambda: (stats(hport) or {}).get("mqtt", {}).get("connected") == 1, 15, 0.3):
        sys.exit(f"demo: the gateway did not connect to the broker: {stats(hport)}\n{qemu.text()}")
    return sport, hport, qemu


class Proxy:
    """A TCP proxy from a free 127.0.0.1 port to 127.0.0.1:@p target, between
    the gateway and the broker. cut(): end every connection open now (the
    gateway sees the end of the stream, the broker its client leave); the
    first @p cut_first connections are cut by themselves after the target's
    first reply (the broker's first TLS flight: a handshake cut in the
    middle). conns: connections accepted so far."""

    def __init__(self, target, cut_first=0):
        self.target, self.cut_first, self.conns = target, cut_first, 0
        self.open = []
        self.lock = threading.Lock()
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(8)
        self.port = self.ls.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            self.conns += 1
            threading.Thread(target=self._serve, args=(c, self.conns <= self.cut_first),
                             daemon=True).start()

    @staticmethod
    def _end(*socks):
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _serve(self, c, cut):
        b = socket.create_connection(("127.0.0.1", self.target))
        with self.lock:
            self.open.append((c, b))

        def pump(src, dst, once):
            try:
                while True:
                    d = src.recv(65536)
                    if not d:
                        break
                    dst.sendall(d)
                    if once:
                        time.sleep(0.3)  # the rest of the flight, if it was split
                        break
            except OSError:
                pass
            self._end(src, dst)

        threading.Thread(target=pump, args=(c, b, False), daemon=True).start()
        pump(b, c, cut)
        with self.lock:
            self.open.remove((c, b))
        c.close()
        b.close()

    def cut(self):
        """End every connection open now; returns how many there were."""
        with self.lock:
            pairs = list(self.open)
        for c, b in pairs:
            self._end(c, b)
        return len(pairs)

    def close(self):
        self.ls.close()
        self.cut()


TLS_NAME = "broker.vthread.test"


def tls_uplink(tmp, board):
    """Certificates for a TLS uplink, made with openssl in @p tmp (tls_pki):
    a CA, a broker certificate for TLS_NAME and a client certificate.
    Returns (port, the Mosquitto lines of a TLS listener on 127.0.0.1:port
    that requires the client certificate, the gateway's options: files,
    name, time and on boards without a random generator a test seed)."""
    pki = tls_pki.Pki(tmp)
    srv = pki.server("broker", TLS_NAME)
    cli = pki.client("gateway", "vthread-gateway")
    port = free_port()
    fw = ["tls=1", f"ca={pki.ca}", f"cert={cli[0]}", f"key={cli[1]}", f"tls_name={TLS_NAME}",
          f"time={int(time.time())}"]
    if not board.startswith("riscv"):  # no random generator in the model
        fw.append(f"seed={os.urandom(32).hex()}")
    return port, tls_pki.mosquitto_tls_listener(port, pki.ca, *srv), fw


def at_broker(sub):
    """What mosquitto_sub received: a Counter of (topic, payload), the marker left out."""
    c = collections.Counter()
    for line in sub.snapshot():
        topic, _, payload = line.partition(" ")
        if topic.startswith("sensors/") and topic != "sensors/_ready":
            c[(topic, payload)] += 1
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--board", default="mps2-an385")
    ap.add_argument("--qemu-run", default=os.path.join(ROOT, "scripts", "qemu-run"))
    ap.add_argument("--sensors", default="1000",
                    help="simulated sensors, or auto: as many as the firmware holds")
    ap.add_argument("--readings", type=int, default=3, help="readings per sensor")
    ap.add_argument("--bad-every", type=int, default=100,
                    help="every Nth sensor also sends 3 bad lines (0: none)")
    ap.add_argument("--silent", type=int, default=1, help="sensors that never speak")
    ap.add_argument("--timeout-ms", type=int, default=0,
                    help="gateway's silence timeout (0: 5 s + 10 ms per sensor)")
    ap.add_argument("--keepalive", type=int, default=4, help="MQTT keep-alive, seconds")
    ap.add_argument("--qos", type=int, default=1)
    ap.add_argument("--fw-arg", action="append", default=[], help="extra firmware option")
    ap.add_argument("--tls", action="store_true", help="the uplink over TLS (certificates made here)")
    ap.add_argument("--limit", type=float, default=170.0, help="give up after this many seconds")
    a = ap.parse_args()

    find_mosquitto()
    auto = a.sensors == "auto"
    a.sensors = 0 if auto else int(a.sensors)
    # the silence timeout must outlast the ramp: the first sensors wait for the last
    # (auto: the firmware's capacity is known only once it runs; a few hundred at most)
    timeout_ms = a.timeout_ms or 5000 + 10 * (300 if auto else a.sensors)
    t_start = time.time()
    procs = []
    ok = True
    tmp = tempfile.mkdtemp(prefix="vt-gateway-")
    try:
        tls_lines, fw_tls, tport = "", [], 0
        os.chmod(tmp, 0o755)
        if a.tls:  # the gateway's listener over TLS; the subscriber's stays plain
            tport, tls_lines, fw_tls = tls_uplink(tmp, a.board)
        bport, sub = start_broker(tmp, procs, tls_lines)
        if a.tls:
            print(f"demo: TLS on 127.0.0.1:{tport} (client certificate required)", flush=True)
        fw_args = [f"broker=10.0.2.2:{tport if a.tls else bport}", f"timeout={timeout_ms}",
                   f"qos={a.qos}", f"keepalive={a.keepalive}", *fw_tls, *a.fw_arg]
        if not auto:
            fw_args.append(f"max={a.sensors + a.silent + 8}")
        sport, hport, qemu = start_gateway(a.qemu_run, a.board, a.elf, fw_args, procs)
        if auto:
            a.sensors = stats(hport)["sensors_max"] - a.silent
            print(f"demo: the firmware holds {a.sensors + a.silent} sensors: "
                  f"{a.sensors} talking, {a.silent} silent", flush=True)

        # ---- progress, once a second, from /stats and the subscriber
        marker_lines = sub.count()
        last = {"st": None, "ramped": 0}
        done = threading.Event()

        def progress():
            while not done.wait(1.0):
                st = stats(hport)
                if st is None:
                    continue
                last["st"] = st
                e = st["errors_by_kind"]
                print(f"[{time.time() - t_start:5.1f} s] sensors ramped {last['ramped']:4d}/{a.sensors}"
                      f"  connections open {st['connections']:4d}  readings in {st['messages_in']:5d}"
                      f"  published {st['messages_out']:5d}  at broker {sub.count() - marker_lines:5d}"
                      f"  errors {sum(e.values()):3d}  queue {st['queue_len']}/{st['queue_cap']}",
                      flush=True)

        threading.Thread(target=progress, daemon=True).start()

        def ramped(i):
            last["ramped"] = i
            if i == a.sensors:  # everybody connected: what the threads look like now
                try:
                    last["dump"] = get(hport, "/threads", 10)
                except OSError as e:
                    last["dump"] = f"GET /threads failed: {e}"

        res = asyncio.run(asyncio.wait_for(
            sensors.run(sport, a.sensors, a.readings, a.bad_every, a.silent, progress=ramped,
                        timeout_wait=timeout_ms / 1000 + 30),
            a.limit))
        expected = collections.Counter(res["accepted"])
        want = sum(expected.values())

        # ---- every accepted reading at the broker?
        wait_for(lambda: not (expected - at_broker(sub)), 30, 0.5)
        done.set()
        got = at_broker(sub)
        missing = expected - got
        extra = got - expected  # duplicates (QoS 1 resends) or strangers
        st = stats(hport) or last["st"] or {}
        wall = time.time() - t_start
        time.sleep(0.2)

        bad_sensors = len([i for i in range(a.sensors) if a.bad_every and i % a.bad_every == a.bad_every // 2])
        e = st.get("errors_by_kind", {})
        checks = [
            (not res["failed"], f"{a.sensors - len(res['failed'])}/{a.sensors} sensors completed"
                                + (f" (first failures: {res['failed'][:3]})" if res["failed"] else "")),
            (res["ok"] == a.sensors * a.readings,
             f"{res['ok']}/{a.sensors * a.readings} readings answered OK"),
            (not missing, f"{want - sum(missing.values())}/{want} accepted readings reached the broker "
                          f"(topic and payload checked with mosquitto_sub)"
                          + (f"; missing e.g. {list(missing)[:3]}" if missing else "")),
            (st.get("messages_in") == want,
             f"gateway counted {st.get('messages_in')} readings in, {st.get('messages_out')} published"),
            (res["err_expected"] == 3 * bad_sensors and not res["err_unexpected"],
             f"{res['err_expected']}/{3 * bad_sensors} bad lines answered with ERR"
             + (f"; unexpected {res['err_unexpected'][:3]}" if res["err_unexpected"] else "")),
            (e.get("malformed") == 2 * bad_sensors and e.get("oversized") == bad_sensors,
             f"gateway counted {e.get('malformed')} malformed and {e.get('oversized')} oversized lines"),
            (res["silent_cut"] == a.silent,
             f"{res['silent_cut']}/{a.silent} silent sensors disconnected by the {timeout_ms} ms timeout"
             f" (gateway counted {e.get('timeout')})"),
        ]
        mq = st.get("mqtt", {})
        if wall > 2 * a.keepalive:
            checks.append((mq.get("pongs", 0) > 0,
                           f"MQTT keep-alive: {mq.get('pings')} PINGREQ, {mq.get('pongs')} PINGRESP"))
        dump = last.get("dump", "").splitlines()
        checks.append((len(dump) > a.sensors,
                       f"GET /threads with every sensor connected listed {max(len(dump) - 2, 0)} threads"))
        print()
        print("thread dump (GET /threads), first lines:")
        for line in dump[:8]:
            print("  " + line)
        print()
        ok &= print_checks(checks)
        print()
        print("summary")
        print(f"  board                  {a.board} (QEMU), gateway firmware {os.path.getsize(a.elf)} bytes of ELF")
        print(f"  sensors                {a.sensors} (+{a.silent} silent), most connections at once "
              f"{st.get('connections_max')}, ramp-up {res['ramp_s']} s")
        print(f"  readings               {res['ok']} accepted, {sum(got.values())} at the broker"
              f" ({sum(extra.values())} duplicates), QoS {a.qos}")
        print(f"  errors                 {e} (queue full retries by sensors: {res['queue_full_retries']})")
        print(f"  mqtt                   {st.get('mqtt')}")
        if a.tls:
            line = next((l for l in qemu.snapshot() if l.startswith("tls: connected")), "no TLS session")
            print(f"  uplink                 {line}")
        print(f"  RAM per connection     {st.get('bytes_per_connection')} bytes (thread "
              f"{st.get('thread_bytes')} + stack {st.get('stack_bytes')}, deepest use "
              f"{st.get('stack_used_max')}, + socket + lwIP pcb)")
        print(f"  threads now            {st.get('threads')}")
        if "mem" in st:
            print(f"  memory                 {st['mem']}")
        print(f"  wall time              {wall:.1f} s (sensors {res['wall_s']} s)")
        if not ok:
            lines = qemu.text().splitlines()
            # the firmware's own messages, without the rows of thread dumps
            # (a dump of 100 sensors would push them out of view)
            said = [l for l in lines if not l.startswith("  ") and not l.startswith("    ")]
            print("firmware messages (thread dumps left out):")
            print("\n".join(said[-40:]))
            print("firmware output, last lines:")
            print("\n".join(lines[-40:]))
        print("demo " + ("OK" if ok else "FAILED"), flush=True)
    finally:
        stop_all(procs, tmp)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
