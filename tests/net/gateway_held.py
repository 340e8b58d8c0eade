#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""How many sensor connections the gateway holds at once, each still
delivering, with its MQTT uplink up (the benchmarks sensor_conns_held_64k
and, with --tls, sensor_conns_held_64k_tls).

    gateway_held.py --board lm3s6965evb --elf gateway.elf [--floor 100]
    gateway_held.py --board lm3s6965evb --elf gateway_tls.elf --tls --cut-uplink 3 [--floor N]

1. Mosquitto and mosquitto_sub (examples/gateway/demo.py's), the gateway in
   QEMU with its own defaults: its max= is what the firmware is sized for.
2. Sensors connect one at a time, each sending a reading and waiting for its
   OK, until the gateway answers a new one `ERR full`: those answered OK are
   held at once.
3. Checks: the refused sensor got `ERR full` and then a clean end of stream;
   every held sensor is still connected and delivers a second reading; every
   reading reached the broker (topic and payload); the uplink stayed
   connected (one CONNACK, no disconnect); the network lost no frame
   (rx_dropped 0); and the gateway keeps running: 5 held sensors leave, 5 new
   ones connect and deliver, /stats and /threads answer.
4. Prints `bench: <name> = <held> connections` (the test fails below
   --floor), `bench: sensor_conn_heap_bytes` (malloc per held sensor, from
   the firmware's counters; fails above --heap-ceiling) and the other RAM
   figures the running firmware reports.

--tls: the uplink is MQTT over TLS 1.2 to a Mosquitto TLS listener that
requires a client certificate (certificates made with openssl,
demo.tls_uplink); every reading reaches the broker over TLS.
--cut-uplink N: the uplink goes through a proxy that ends its connection, N
times, once every sensor is held: each time the gateway must connect again
at full load (with --tls: a whole handshake, its memory and stack, beside
every sensor) and each held sensor deliver one more reading.
"""
import argparse
import collections
import os
import shutil
import socket
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "examples", "gateway"))
import demo  # noqa: E402
import sensors  # noqa: E402

checks = {"passed": 0, "failed": 0}


def check(ok, what):
    checks["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    return ok


def stats(port):
    """The gateway's /stats, or SystemExit when it does not answer."""
    st = demo.stats(port)
    if st is None:
        raise SystemExit("the gateway does not answer GET /stats")
    return st


class Sensor:
    """One sensor connection, reading by reading (blocking, with a timeout)."""

    def __init__(self, port, i):
        self.i = i
        self.s = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.s.settimeout(30)
        self.buf = b""

    def answer(self):
        while b"\n" not in self.buf:
            part = self.s.recv(256)
            if not part:
                return None  # end of stream
            self.buf += part
        line, _, self.buf = self.buf.partition(b"\n")
        return line

    def send(self, k):
        """Send reading k; returns (answer, (topic, payload))."""
        sid, t, h = sensors.reading(self.i, k)
        self.s.sendall(f"{sid} {t} {h}\n".encode())
        return self.answer(), (f"sensors/{sid}", f'{{"t":{t},"h":{h}}}')

    def end(self):
        """Wait for the end of stream: 'eof', 'reset' or 'timeout'."""
        try:
            while True:
                if not self.s.recv(256):
                    return "eof"
        except ConnectionResetError:
            return "reset"
        except socket.timeout:
            return "timeout"

    def close(self):
        self.s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--qemu-run", default=os.path.join(ROOT, "scripts", "qemu-run"))
    ap.add_argument("--name", default="sensor_conns_held_64k")
    ap.add_argument("--floor", type=int, default=100)
    ap.add_argument("--heap-ceiling", type=float, default=176.0,
                    help="most heap bytes a held sensor may cost")
    ap.add_argument("--limit", type=int, default=2000, help="stop connecting after this many")
    ap.add_argument("--fw", nargs="*", default=[], help="extra firmware options (key=value)")
    ap.add_argument("--tls", action="store_true", help="the uplink over TLS (a TLS gateway firmware)")
    ap.add_argument("--cut-uplink", type=int, default=0, metavar="N",
                    help="end the uplink's connection N times at full load: it must come back")
    a = ap.parse_args()

    procs, tmp = [], tempfile.mkdtemp(prefix="vt-held-")
    held, expected = [], collections.Counter()
    proxy = None
    try:
        tls_lines, fw_tls = "", []
        if a.tls:
            tport, tls_lines, fw_tls = demo.tls_uplink(tmp, a.board)
        bport, sub = demo.start_broker(tmp, procs, tls_lines)
        uplink = tport if a.tls else bport
        if a.cut_uplink > 0:
            proxy = demo.Proxy(uplink)
            uplink = proxy.port
        sport, hport, qemu = demo.start_gateway(
            a.qemu_run, a.board, a.elf, [f"broker=10.0.2.2:{uplink}", "timeout=600000", *fw_tls, *a.fw],
            procs)
        if a.tls:
            check("tls: connected" in qemu.text(), "the uplink is over TLS: " + next(
                (l for l in qemu.snapshot() if l.startswith("tls: connected")), "no TLS session"))
        st0 = stats(hport)
        capacity = st0["sensors_max"]
        print(f"the firmware is sized for {capacity} sensors; "
              f"malloc in use with none: {st0['mem']['malloc_in_use']} bytes", flush=True)

        # ---- connect until refused
        refused, t0 = None, time.time()
        for i in range(a.limit):
            s = Sensor(sport, i)
            ans, msg = s.send(0)
            if ans == b"OK":
                held.append(s)
                expected[msg] += 1
                continue
            refused = (i, ans, s.end())
            s.close()
            break
        ramp = time.time() - t0
        st = stats(hport)
        n = len(held)
        check(refused is not None and refused[1] == b"ERR full" and refused[2] == "eof",
              f"sensor {n} was refused cleanly: answer {refused and refused[1]}, then "
              f"{refused and refused[2]} ({n} held, ramp {ramp:.1f} s)")
        check(st["connections"] == n and st["refused"] >= 1,
              f"the gateway counts {st['connections']} sensors connected, {st['refused']} refused")

        # ---- every held sensor delivers again
        again = 0
        for s in held:
            ans, msg = s.send(1)
            if ans == b"OK":
                again += 1
                expected[msg] += 1
        check(again == n, f"{again}/{n} held sensors delivered a second reading (none was dropped)")
        demo.wait_for(lambda: not (expected - demo.at_broker(sub)), 30, 0.5)
        missing = expected - demo.at_broker(sub)
        check(not missing, f"{sum(expected.values()) - sum(missing.values())}/{sum(expected.values())}"
                           " readings reached the broker (topic and payload, mosquitto_sub)")
        full = stats(hport)

        # ---- the gateway keeps running: some leave, new ones come and deliver
        for s in held[:5]:
            s.close()
        demo.wait_for(lambda: (demo.stats(hport) or {}).get("connections") == n - 5, 20, 0.2)
        fresh = 0
        for j in range(5):
            s = Sensor(sport, a.limit + j)
            ans, msg = s.send(0)
            if ans == b"OK":
                fresh += 1
                expected[msg] += 1
                held.append(s)
            else:
                s.close()
        demo.wait_for(lambda: not (expected - demo.at_broker(sub)), 30, 0.5)
        missing = expected - demo.at_broker(sub)
        check(fresh == 5 and not missing, f"after 5 sensors left, {fresh}/5 new ones connected and "
                                          "their readings reached the broker")
        dump = demo.get(hport, "/threads", 20)
        check(dump.count("\n  conn ") >= n - 1, f"GET /threads lists {dump.count(chr(10) + '  conn ')} "
                                                "sensor threads")
        end = stats(hport)
        mq = end["mqtt"]
        check(mq["connected"] == 1 and mq["connects"] == 1 and mq["disconnects"] == 0,
              f"MQTT uplink connected throughout: {mq['connects']} CONNACK, "
              f"{mq['disconnects']} disconnects, {mq['delivered']} delivered")
        check(end["rx_dropped"] == 0, f"no frame lost: rx_dropped {end['rx_dropped']}, "
                                      f"{end['rx_frames']} frames received")

        # ---- the uplink lost at full load: it must come back beside every sensor
        for r in range(a.cut_uplink):
            cut = proxy.cut()

            def up_again():
                mq = (demo.stats(hport) or {}).get("mqtt", {})
                return mq.get("connects") == r + 2 and mq.get("connected") == 1

            back = demo.wait_for(up_again, 90, 0.5)
            mq = (demo.stats(hport) or {}).get("mqtt", {})
            line = [l for l in qemu.snapshot() if l.startswith("tls: connected")][r + 1:r + 2]
            if not check(cut == 1 and back, f"uplink cut at full load ({cut} connection ended): "
                                             f"connected again, {mq.get('connects')} CONNACKs, "
                                             f"{mq.get('disconnects')} disconnects"
                                             + (f"; {line[0]}" if line else "")):
                break
            again = 0
            for s in held[5:]:
                ans, msg = s.send(2 + r)
                if ans == b"OK":
                    again += 1
                    expected[msg] += 1
            demo.wait_for(lambda: not (expected - demo.at_broker(sub)), 30, 0.5)
            missing = expected - demo.at_broker(sub)
            check(again == n and not missing,
                  f"after the reconnection {again}/{n} held sensors delivered reading {3 + r}; "
                  f"{sum(expected.values()) - sum(missing.values())}/{sum(expected.values())} readings "
                  "at the broker")
            end = stats(hport)

        # ---- figures: the heap a held (idle) sensor costs, from the firmware's
        # malloc counters with none and with all held (before the second
        # readings); what is left at the end, after every burst
        mem0, mem, last = st0["mem"], st["mem"], end["mem"]
        heap_per = (mem["malloc_in_use"] - mem0["malloc_in_use"]) / max(n, 1)
        print(f"  malloc in use: {mem0['malloc_in_use']} bytes with no sensor (connection slots "
              f"allocated), {mem['malloc_in_use']} with {n} held: {heap_per:.1f} per sensor "
              f"(its saved stack); saved stacks {mem['saved_stack_bytes']} bytes in "
              f"{mem['saved_threads']} threads")
        print(f"  at the end: malloc in use {last['malloc_in_use']}, free {last['malloc_free']}; "
              f"lwIP heap peak {last['lwip_heap_max']}, TCP segments peak {last['tcp_segs_max']}, "
              f"pcbs peak {last['tcp_pcbs_max']}")
        print(f"  the firmware's own count per connection: {full['bytes_per_connection']} bytes "
              f"(slot + saved stack + socket + lwIP pcb)")
        print(f"bench: sensor_conn_heap_bytes = {heap_per:.1f} bytes")
        print(f"bench: {a.name} = {n} connections")
        check(heap_per <= a.heap_ceiling, f"{heap_per:.1f} bytes of heap per held sensor "
                                          f"(ceiling {a.heap_ceiling})")
        check(n >= a.floor, f"{n} sensor connections held at once (floor {a.floor})")
    except (SystemExit, OSError) as e:  # the firmware stopped answering: say so, show its output
        check(False, f"{type(e).__name__}: {e}")
    finally:
        for s in held:
            s.close()
        if proxy is not None:
            proxy.close()
        if checks["failed"]:
            print("firmware output, last lines (the sensor threads of a dump left out):")
            for p in procs:
                if p.name == "qemu":
                    lines = [l for l in p.text().splitlines()
                             if not l.startswith(("  conn ", "    (shared stack: 1"))]
                    print("\n".join(lines[-40:]))
        for p in reversed(procs):
            p.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{checks['passed']} passed, {checks['failed']} failed", flush=True)
    sys.exit(0 if checks["failed"] == 0 else 1)


if __name__ == "__main__":
    main()
