#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A newcomer's first firmware, checked the way a newcomer meets it.

    run.py --vthread REPO --kind add_subdirectory|fetchcontent --board B
           --build-type Debug|Release --work DIR
    run.py --vthread REPO --check-guide

The first form makes a project outside the repository (DIR/src: the
CMakeLists.txt of tests/outoftree/<kind>/ and tests/outoftree/main.c, the
gateway of docs/getting-started.md), configures and builds it for board B
against vthread (add_subdirectory of REPO, or FetchContent of REPO's
committed HEAD), runs it (host: the program itself; other boards: QEMU,
scripts/qemu-run) with its ports forwarded, and talks to it as the guide
says: readings with nc -u to UDP 9000, curl to HTTP 8080, then the datagram
"quit", after which the firmware must end by itself with exit code 0.

The second form checks that every file the guide shows
(`<!-- file: tests/outoftree/... -->` before a code block) is the file in
the repository, so the guide cannot drift from what CI builds.

Prints one line per check and "N passed, N failed"; exit code 0 only when
all passed.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "net"))
from qemu_net import Guest, check, checks  # noqa: E402  (the network tests' helpers)


def finish():
    print(f"{checks['passed']} passed, {checks['failed']} failed", flush=True)
    sys.exit(0 if checks["failed"] == 0 and checks["passed"] > 0 else 1)


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, log, **kw):
    """Run @p cmd, its output appended to @p log; True when it succeeded."""
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, **kw)
    return r.returncode == 0


def tail(path, n=40):
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-n:])


def check_guide(repo):
    guide = os.path.join(repo, "docs", "getting-started.md")
    text = open(guide).read()
    blocks = re.findall(r"<!-- file: (\S+) -->\s*\n```[a-z]*\n(.*?)```", text, re.S)
    check(len(blocks) >= 3, f"the guide shows {len(blocks)} files of tests/outoftree/")
    for path, body in blocks:
        with open(os.path.join(repo, path)) as f:
            same = f.read() == body
        check(same, f"the guide's {path} is the file CI builds")


class Firmware(Guest):
    """The gateway running (qemu-run: QEMU, or the host program itself),
    its ports 8080 and 9000 forwarded; output collected as Guest does."""

    def __init__(self, args, elf, tcp_port, udp_port):
        fwd = (f"hostfwd=tcp:127.0.0.1:{tcp_port}-10.0.2.15:8080,"
               f"hostfwd=udp:127.0.0.1:{udp_port}-10.0.2.15:9000")
        # restrict=off: slirp in restricted mode delivers the forwarded
        # datagrams to the firmware but drops its UDP answers (seen in a
        # capture: the answer leaves the guest, no client gets it)
        env = dict(os.environ, VT_QEMU_NET=fwd, VT_QEMU_RESTRICT="off")
        qemu_run = os.path.join(args.vthread, "scripts", "qemu-run")
        self.proc = subprocess.Popen([qemu_run, args.board, elf], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        self.out = b""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._reader, daemon=True)
        self.reader.start()

    def cpu_seconds(self):
        """User + system time of the process (the host board: the firmware itself)."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def udp_ask(port, msg, tries=5):
    """Send a datagram and wait for the answer (resent: UDP may be lost)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        for _ in range(tries):
            s.sendto(msg, ("127.0.0.1", port))
            try:
                return s.recvfrom(256)[0]
            except socket.timeout:
                continue
    return b""


def build_and_run(args):
    here = os.path.dirname(os.path.abspath(__file__))
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    src = os.path.join(work, "src")
    os.makedirs(src)
    shutil.copy(os.path.join(here, args.kind, "CMakeLists.txt"), src)
    shutil.copy(os.path.join(here, "main.c"), src)
    log = os.path.join(work, "build.log")
    build = os.path.join(work, "build")
    cfg = ["cmake", "-S", src, "-B", build, f"-DVT_BOARD={args.board}",
           f"-DCMAKE_BUILD_TYPE={args.build_type}",
           # the lwIP and Mbed TLS the repository's own build fetched (a user's
           # first configure fetches them)
           f"-DVT_LWIP_CACHE={os.path.join(args.vthread, 'build', '_lwip')}",
           f"-DVT_MBEDTLS_CACHE={os.path.join(args.vthread, 'build', '_mbedtls')}"]
    what = f"{args.kind} project for {args.board}, {args.build_type}"
    if args.kind == "add_subdirectory":
        cfg.append(f"-DVTHREAD_DIR={args.vthread}")
    else:
        head = subprocess.run(["git", "-C", args.vthread, "rev-parse", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", args.vthread, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        if dirty:
            print(f"note: FetchContent builds the committed {head[:12]}, not the working tree's changes")
        cfg += [f"-DVTHREAD_GIT={args.vthread}", f"-DVTHREAD_TAG={head}",
                f"-DFETCHCONTENT_BASE_DIR={os.path.join(work, 'deps')}"]
        what += f" (vthread {head[:12]})"
    if not check(run(cfg, log), f"configure the {what}"):
        print(tail(log))
        return
    if not check(run(["cmake", "--build", build, "-j2"], log), f"build the {what}"):
        print(tail(log))
        return
    elf = os.path.join(build, "gateway")
    tcp_port, udp_port = free_port(), free_port(socket.SOCK_DGRAM)
    fw = Firmware(args, elf, tcp_port, udp_port)
    try:
        ready = check(fw.wait_for(r"UDP on port 9000, HTTP on port 8080", 60), "the firmware starts")
        if not ready:
            return
        got = udp_ask(udp_port, b"t1 21.5")
        check(got == b"ok t1\n", f"a reading on UDP 9000 is processed by a worker: {got!r}")
        got = udp_ask(udp_port, b"!!")
        check(got == b"bad reading\n", f"a bad reading is answered so: {got!r}")
        if shutil.which("nc"):
            r = subprocess.run(["nc", "-u", "-w", "3", "127.0.0.1", str(udp_port)], input=b"t2 7\n",
                               capture_output=True, timeout=30)
            check(r.stdout == b"ok t2\n", f"nc -u gets the answer: {r.stdout!r}")
        if shutil.which("curl"):
            r = subprocess.run(["curl", "-s", "--max-time", "20", f"http://127.0.0.1:{tcp_port}/"],
                               capture_output=True, timeout=30)
            check(re.match(rb'\{"datagrams":\d+,"processed":[1-9]', r.stdout) is not None,
                  f"curl gets the counters from HTTP 8080: {r.stdout.strip()!r}")
        check(fw.wait_for(r"heartbeat: \d+ datagrams", 10), "the heartbeat prints")
        if args.board == "host":
            # idle, the process sleeps in the scheduler's wait: a busy loop
            # would burn the whole interval
            c0 = fw.cpu_seconds()
            time.sleep(2)
            used = fw.cpu_seconds() - c0
            check(used < 0.2, f"idle for 2 s, the host firmware used {used:.2f} s of CPU")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"quit", ("127.0.0.1", udp_port))
        try:
            code = fw.proc.wait(60)
            # the process has ended; its last lines may still be in the pipe
            fw.reader.join(10)
        except subprocess.TimeoutExpired:
            code = None
        check(code == 0 and b"clean shutdown (0 sockets were left open)" in fw.output(),
              f"'quit' ends the firmware by itself, exit code {code}")
    finally:
        if fw.proc.poll() is None:
            fw.proc.kill()
        print(fw.output().decode(errors="replace").strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vthread", required=True, help="the vthread repository")
    ap.add_argument("--check-guide", action="store_true")
    ap.add_argument("--kind", choices=["add_subdirectory", "fetchcontent"])
    ap.add_argument("--board")
    ap.add_argument("--build-type")
    ap.add_argument("--work")
    args = ap.parse_args()
    args.vthread = os.path.abspath(args.vthread)
    if args.check_guide:
        check_guide(args.vthread)
    else:
        build_and_run(args)
    finish()


if __name__ == "__main__":
    main()
