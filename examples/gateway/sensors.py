#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sensor simulator for the gateway (Python standard library only).

    sensors.py --port P [-n 1000] [--readings 3] [--bad-every 100] [--silent 0]

Each sensor is one TCP connection sending lines `<id> <temperature> <humidity>`
and reading the gateway's answer to each (`OK` or `ERR <reason>`).

Connections ramp up one at a time: QEMU's user networking (slirp) accepts one
forwarded connection per main-loop turn, so sensor i+1 connects once sensor i
got the OK for its first reading. When all are connected, every sensor sends
its remaining readings (at small random intervals), then closes. Readings
refused with `ERR queue full` are sent again a little later (and counted).
Every --bad-every-th sensor also sends a malformed and an oversized line,
which must be answered with an error; --silent sensors connect and say
nothing, and must be disconnected by the gateway's timeout.

As a module: `await run(...)` returns a dict with the accepted readings
(topic, payload) and the counters; main() prints them as JSON.
"""
import argparse
import asyncio
import json
import random
import sys
import time


def reading(i, k):
    """Sensor i's k-th reading: id, temperature, humidity (strings, as sent)."""
    sid = f"s-{i:04d}" if i % 2 else f"room_{i:04d}"
    t = f"{-5 + (i % 40) + k}.{i % 10}"
    h = f"{30 + (i * 7 + k) % 60}"
    return sid, t, h


async def run(port, n=1000, readings=3, bad_every=100, silent=0, host="127.0.0.1",
              progress=None, reply_timeout=60.0, timeout_wait=None):
    res = {"sensors": n, "connected": 0, "accepted": [], "ok": 0, "err_expected": 0,
           "err_unexpected": [], "queue_full_retries": 0, "failed": [], "silent_cut": 0,
           "silent": silent, "ramp_s": 0.0}
    all_connected = asyncio.Event()
    rng = random.Random(1)

    async def ask(reader, writer, line):
        writer.write(line)
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), reply_timeout)

    async def send_reading(reader, writer, i, k):
        sid, t, h = reading(i, k)
        line = f"{sid} {t} {h}\n".encode()
        while True:
            ans = await ask(reader, writer, line)
            if ans == b"OK\n":
                res["ok"] += 1
                res["accepted"].append((f"sensors/{sid}", f'{{"t":{t},"h":{h}}}'))
                return
            if ans == b"ERR queue full\n":
                res["queue_full_retries"] += 1
                await asyncio.sleep(0.2)
                continue
            raise RuntimeError(f"reading {k}: answer {ans!r}")

    async def sensor(i, first_ok):
        writer = None
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 30)
            await send_reading(reader, writer, i, 0)
            res["connected"] += 1
            first_ok.set()
            if bad_every and i % bad_every == bad_every // 2:
                for bad, want in ((b"this is not a reading\n", b"ERR "),
                                  (b"t-1 hot 40\n", b"ERR bad temperature"),
                                  (b"x" * 300 + b"\n", b"ERR line too long")):
                    ans = await ask(reader, writer, bad)
                    if ans.startswith(want):
                        res["err_expected"] += 1
                    else:
                        res["err_unexpected"].append((i, bad[:40].decode(), ans.decode()))
            await all_connected.wait()
            for k in range(1, readings):
                await asyncio.sleep(rng.random() * 0.5)
                await send_reading(reader, writer, i, k)
        except Exception as e:  # noqa: BLE001 - every failure is reported
            res["failed"].append((i, f"{type(e).__name__}: {e}"))
            first_ok.set()
        finally:
            if writer is not None:
                writer.close()

    async def silent_sensor():
        reader, writer = await asyncio.open_connection(host, port)
        t0 = time.time()
        try:
            data = await asyncio.wait_for(reader.read(), timeout_wait or 120)
            if data.startswith(b"ERR timeout"):
                res["silent_cut"] += 1
                res.setdefault("silent_cut_after_s", round(time.time() - t0, 1))
        except asyncio.TimeoutError:
            pass
        writer.close()

    t0 = time.time()
    tasks = [asyncio.create_task(silent_sensor()) for _ in range(silent)]
    for i in range(n):
        first_ok = asyncio.Event()
        tasks.append(asyncio.create_task(sensor(i, first_ok)))
        await first_ok.wait()
        if progress:
            progress(i + 1)
    res["ramp_s"] = round(time.time() - t0, 1)
    all_connected.set()
    await asyncio.gather(*tasks)
    res["wall_s"] = round(time.time() - t0, 1)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--readings", type=int, default=3)
    ap.add_argument("--bad-every", type=int, default=100)
    ap.add_argument("--silent", type=int, default=0)
    a = ap.parse_args()
    res = asyncio.run(run(a.port, a.n, a.readings, a.bad_every, a.silent, a.host))
    res["accepted"] = len(res["accepted"])
    print(json.dumps(res, indent=1))
    sys.exit(0 if not res["failed"] and not res["err_unexpected"] else 1)


if __name__ == "__main__":
    main()
