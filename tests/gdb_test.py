#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drive GDB in batch mode against a vthread firmware and check what
scripts/gdb/vthread.py shows: the listed threads and the function names in
suspended threads' backtraces.

    gdb_test.py --gdb gdb-multiarch --script scripts/gdb/vthread.py \
        --elf gdb_target.elf -- scripts/qemu-run mps2-an385
    gdb_test.py --gdb gdb --script ... --elf gdb_target        (host: native)

With an emulator command after `--`, the firmware runs in it halted, with a
gdbstub on a free local port (VT_QEMU_EXTRA="-S -gdb tcp:..."); GDB attaches
with `target remote`. Every step has a timeout and the emulator is killed at
the end, so the test cannot hang.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listening(port):
    """True once some socket listens on the port (read /proc, no connect:
    QEMU's gdbstub takes one client only)."""
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                for line in f.readlines()[1:]:
                    parts = line.split()
                    if int(parts[1].split(":")[1], 16) == port and parts[3] == "0A":
                        return True
        except OSError:
            pass
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gdb", required=True)
    ap.add_argument("--script", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--qemu-user", action="store_true", help="the emulator is qemu-user")
    ap.add_argument("emulator", nargs="*")
    a = ap.parse_args()

    cmds = ["set pagination off", "set confirm off", "source " + a.script]
    emu = None
    if a.emulator:
        port = free_port()
        env = dict(os.environ, VT_QEMU_EXTRA="-S -gdb tcp:127.0.0.1:%d" % port)
        # qemu-user stops at the first instruction with -g; scripts/qemu-run
        # (system emulation) takes VT_QEMU_EXTRA
        emu = subprocess.Popen(a.emulator + (["-g", str(port)] if a.qemu_user else []) + [a.elf],
                               env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while not listening(port):
            if emu.poll() is not None or time.time() > deadline:
                print(emu.communicate()[0].decode(errors="replace"))
                print("FAIL: the emulator's gdbstub did not come up")
                return 1
            time.sleep(0.05)
        cmds.append("target remote 127.0.0.1:%d" % port)
        gdb_cmd = [a.gdb, "-nx", "-batch"]
    else:
        gdb_cmd = [a.gdb, "-nx", "-batch"]
        cmds.append("starti")
    cmds += ["break gdb_checkpoint", "continue", "vt threads", "vt bt sleeper",
             "vt bt consumer", "vt bt 2", "echo ---- after\\n", "bt", "info registers pc",
             "kill"]
    args = gdb_cmd + sum((["-ex", c] for c in cmds), []) + [a.elf]
    try:
        r = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=a.timeout)
        out = r.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") + "\nFAIL: gdb timed out"
    finally:
        if emu is not None:
            emu.kill()
            try:
                emu.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                pass
    print(out)

    checks = [
        ("stopped at the checkpoint", re.search(r"gdb_checkpoint", out)),
        ("thread list header", re.search(r"vthreads: \d+ alive", out)),
        ("checker running", re.search(r"\*\s+\d+\s+checker\s+0x[0-9a-f]+\s+running", out)),
        ("sleeper asleep", re.search(r"sleeper\s+0x[0-9a-f]+\s+sleep\s+until \d+ ms", out)),
        ("consumer on a semaphore", re.search(r"consumer\s+0x[0-9a-f]+\s+sem\s+sem 0x", out)),
        ("yielder ready", re.search(r"yielder\s+0x[0-9a-f]+\s+ready", out)),
        ("sleeper's backtrace", re.search(
            r"nap_inner.*\n(.*\n)*?.*nap_outer.*\n(.*\n)*?.*sleeper_main", out)),
        ("consumer's backtrace", re.search(r"consume_wait.*\n(.*\n)*?.*consumer_main", out)),
        ("yielder's backtrace (thread 2)", re.search(r"yield_loop.*\n(.*\n)*?.*yielder_main",
                                                     out)),
        ("unwinding stops at the thread's entry", not re.search(r"#\d+\s+0x[0-9a-f]+ in \?\? \(\)", out)),
        ("registers restored", re.search(r"---- after\s*\n#0\s+(0x[0-9a-f]+ in )?gdb_checkpoint",
                                         out)),
    ]
    bad = [name for name, ok in checks if not ok]
    for name, ok in checks:
        print("%s %s" % ("ok  " if ok else "FAIL", name))
    print("%d passed, %d failed" % (len(checks) - len(bad), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
