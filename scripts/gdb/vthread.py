# SPDX-License-Identifier: MIT
"""GDB support for vthread firmware: list the virtual threads and show the
backtrace of any suspended one.

    (gdb) source scripts/gdb/vthread.py
    (gdb) vt threads              # every thread (needs VT_CONFIG_REGISTRY,
                                  # the debug default; else the ready ones)
    (gdb) vt bt sleeper           # backtrace of a thread, by name,
    (gdb) vt bt 3                 #   by number from `vt threads`,
    (gdb) vt bt 0x20001234        #   or by address of its vt_thread_t
    (gdb) vt bt all               # every thread

A suspended thread's registers live in the switch frame arch_switch pushed on
its stack (layouts: the diagrams at the top of arch/<arch>/switch.S). `vt bt`
loads them into the CPU registers (sp, pc and the callee-saved ones), runs
GDB's own `bt`, and puts the real registers back, so it works on a live
target (QEMU's gdbstub, a debug probe) and on a native host process alike.
The target must be stopped. Works with gdb-multiarch on Cortex-M (ARMv6-M,
ARMv7-M, ARMv8-M, with or without FPU), RISC-V RV32 and the x86-64 host port.
"""
import re
import struct

import gdb

# ---------------------------------------------------------------------------
# Switch frame layouts, one entry per port variant: register -> byte offset
# from the thread's saved sp; "resume" is the slot holding the address the
# thread resumes at (the return address of its arch_switch call); "size" is
# how many bytes arch_switch pops, so saved sp + size is the caller's sp.
# A new port adds one entry here and one rule in detect_layout().
W = 4
LAYOUTS = {
    # push {r4-r11, lr}
    "armv7m": dict(regs=[("r%d" % r, (r - 4) * W) for r in range(4, 12)], resume=32, size=36),
    # push {r4-r11, lr}; vpush {s16-s31}: the FP words lie below
    "armv7m-fp": dict(regs=[("r%d" % r, 64 + (r - 4) * W) for r in range(4, 12)], resume=96,
                      size=100),
    # push {psplim, r4-r11, lr}
    "armv8m": dict(regs=[("r%d" % r, 4 + (r - 4) * W) for r in range(4, 12)], resume=36, size=40),
    "armv8m-fp": dict(regs=[("r%d" % r, 68 + (r - 4) * W) for r in range(4, 12)], resume=100,
                      size=104),
    # push {r4-r7, lr}; push {r8-r11 (through r4-r7)}
    "armv6m": dict(regs=[("r8", 0), ("r9", 4), ("r10", 8), ("r11", 12), ("r4", 16),
                         ("r5", 20), ("r6", 24), ("r7", 28)], resume=32, size=36),
    # addi sp, sp, -N; sw ra, 0(sp); sw s0..s11, 4..48(sp); N from the prologue
    "riscv32": dict(regs=[("s0", 4), ("s1", 8)] + [("s%d" % r, 4 + r * W) for r in range(2, 12)],
                    resume=0, size=None),
    "riscv32e": dict(regs=[("s0", 4), ("s1", 8)], resume=0, size=None),
    # pushq rbp, rbx, r12, r13, r14, r15
    "x86-64": dict(regs=[("r15", 0), ("r14", 8), ("r13", 16), ("r12", 24), ("rbx", 32),
                         ("rbp", 40)], resume=48, size=56),
    # sub sp, sp, #160; stp x19..x30 at 0..88, d8..d15 at 96..152
    "aarch64": dict(regs=[("x%d" % r, (r - 19) * 8) for r in range(19, 30)], resume=88, size=160),
}

FALLBACK_STATES = ["free", "ready", "sleep", "join", "mutex", "sem", "event", "cond",
                   "chan-recv", "chan-send", "pool", "group", "wait", "mempool", "exited",
                   "suspended"]


def _disas(sym, n):
    try:
        return gdb.execute("x/%di %s" % (n, sym), to_string=True)
    except gdb.error:
        return ""


def detect_layout():
    """Which switch frame this firmware uses, from its arch_switch code."""
    arch = gdb.selected_inferior().architecture().name()
    if "x86-64" in arch:
        return dict(LAYOUTS["x86-64"], name="x86-64", ptr=8, lr=None)
    if "aarch64" in arch:
        return dict(LAYOUTS["aarch64"], name="aarch64", ptr=8, lr="x30")
    code = _disas("arch_switch", 24)
    if "riscv" in arch:
        m = re.search(r"addi?\s+sp,\s*sp,\s*-(\d+)", code)  # c.addi16sp shows as add
        if not m:
            raise gdb.GdbError("vthread: cannot read arch_switch's frame size")
        name = "riscv32" if re.search(r"\bs2\b", code) else "riscv32e"
        return dict(LAYOUTS[name], name=name, size=int(m.group(1)), ptr=4, lr="ra")
    if "arm" in arch:
        head = "\n".join(code.splitlines()[:6])
        fp = "vpush" in head
        if "psplim" in head.lower():
            name = "armv8m"
        elif re.search(r"push\s+\{r4,\s*r5,\s*r6,\s*r7,\s*lr\}", head):
            name = "armv6m"
        else:
            name = "armv7m"
        if fp and name != "armv6m":
            name += "-fp"
        return dict(LAYOUTS[name], name=name, ptr=4, lr="lr")
    raise gdb.GdbError("vthread: no switch frame layout for architecture %s" % arch)


def _word(addr, size):
    mem = gdb.selected_inferior().read_memory(addr, size)
    return struct.unpack("<Q" if size == 8 else "<I", bytes(mem))[0]


def _state_names():
    try:
        arr = gdb.parse_and_eval("state_names")
        lo, hi = arr.type.range()
        return [arr[i].string() for i in range(lo, hi + 1)]
    except gdb.error:
        return FALLBACK_STATES


def kernel():
    try:
        return gdb.parse_and_eval("vt_kernel")
    except gdb.error:
        raise gdb.GdbError("vthread: no symbol `vt_kernel` (is this a vthread firmware with "
                           "debug info?)")


def threads():
    """Every thread: the registry when built with it, else the ready ring."""
    k = kernel()
    ttype = gdb.lookup_type("vt_thread_t")
    out = []
    if any(f.name == "reg_next" for f in ttype.strip_typedefs().fields()):
        t = k["registry"]
        while int(t) != 0 and len(out) < 100000:
            out.append(t)
            t = t["reg_next"]
        return out, True
    c = k["current"]
    if int(c) != 0:
        t = c
        while True:
            out.append(t)
            t = t["next"]
            if int(t) == int(c) or len(out) > 100000:
                break
    return out, False


def is_running(t):
    k = kernel()
    return int(k["in_thread"]) != 0 and int(k["current"]) == int(t)


def thread_name(t):
    try:
        return t["name"].string() if int(t["name"]) != 0 else "?"
    except gdb.error:
        return "?"


def stack_used(t):
    lo, size = int(t["stack_lo"]), int(t["stack_units"]) * 8
    try:
        mem = bytes(gdb.selected_inferior().read_memory(lo + 4, size - 4))
    except gdb.error:
        return -1
    n = 0
    while n < len(mem) and mem[n] == 0xA5:
        n += 1
    return len(mem) - n


def _static(name):
    try:
        sym = gdb.lookup_static_symbol(name)
        return sym.value() if sym is not None else None
    except (gdb.error, AttributeError):
        return None


def _ip4(v):
    a = int(v)
    return "%d.%d.%d.%d" % (a & 255, (a >> 8) & 255, (a >> 16) & 255, a >> 24)


def net_wait(addr):
    """What a thread blocked in vt_waitq_wait() waits for when the queue is a
    socket's or a listener's (net/tcp.c, net/udp.c), as vt_dump() says it
    (vt_waitq_describe); None otherwise."""
    for name in ("socks", "listeners", "udps"):
        arr = _static(name)
        if arr is None:
            continue
        base, size = int(arr.address), arr.type.sizeof
        if not base <= addr < base + size:
            continue
        item = arr[(addr - base) // arr[0].type.sizeof]
        pcb = item["pcb"]
        if name == "udps":
            return "udp-recv :%d" % int(pcb["local_port"]) if int(pcb) else "udp-recv (closed)"
        if name == "listeners":
            return "tcp-accept :%d" % int(pcb["local_port"]) if int(pcb) else "tcp-accept (closed)"
        what = "tcp-read" if addr == int(item["rq"].address) else "tcp-write"
        if int(pcb) == 0:
            return what + " (closed)"
        if what == "tcp-write" and str(pcb["state"]) == "SYN_SENT":
            what = "tcp-connect"
        return "%s %s:%d" % (what, _ip4(pcb["remote_ip"]["addr"]), int(pcb["remote_port"]))
    return None


def describe(t, names):
    st = int(t["state"])
    state = names[st] if st < len(names) else str(st)
    wait = ""
    if state == "sleep":
        # F_TIMER (kernel/kernel.h): a deadline; none for vt_sleep(VT_FOREVER)
        wait = "until %d ms" % int(t["u"]["deadline"]) if int(t["flags"]) & 0x04 else "forever"
    elif state == "join":
        wait = "thread %s" % thread_name(t["w"]["wait_obj"].cast(t.type))
    elif state == "exited":
        wait = "code %d" % int(t["w"]["exit_code"])
    elif state not in ("free", "ready", "suspended"):
        obj = int(t["w"]["wait_obj"])
        wait = (net_wait(obj) if state == "wait" else None) or "%s 0x%x" % (state, obj)
    if is_running(t):
        state = "running"
    return state, wait


class VtPrefix(gdb.Command):
    """vthread commands: `vt threads`, `vt bt <thread|all>`."""

    def __init__(self):
        super().__init__("vt", gdb.COMMAND_USER, prefix=True)


class VtThreads(gdb.Command):
    """List the vthreads: number, name, address, state, what each waits on,
    stack high-water mark / size. `*` marks the running one."""

    def __init__(self):
        super().__init__("vt threads", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        ts, complete = threads()
        names = _state_names()
        k = kernel()
        print("vthreads: %d alive, %d switches%s" % (int(k["alive"]), int(k["switches"]),
              "" if complete else " (no registry: ready threads only)"))
        print("   %-3s %-16s %-12s %-9s %-28s %s" % ("#", "name", "address", "state",
                                                     "waits on", "stack used/size"))
        for i, t in enumerate(ts, 1):
            state, wait = describe(t, names)
            print(" %s %-3d %-16s 0x%-10x %-9s %-28s %d/%d" % (
                "*" if state == "running" else " ", i, thread_name(t), int(t), state, wait,
                stack_used(t), int(t["stack_units"]) * 8))


def find_thread(spec):
    ts, _ = threads()
    spec = spec.strip()
    if re.fullmatch(r"\d+", spec) and 1 <= int(spec) <= len(ts):
        return ts[int(spec) - 1]
    if spec.startswith("0x"):
        for t in ts:
            if int(t) == int(spec, 16):
                return t
        return gdb.Value(int(spec, 16)).cast(gdb.lookup_type("vt_thread_t").pointer())
    for t in ts:
        if thread_name(t) == spec:
            return t
    raise gdb.GdbError("vthread: no thread %r (see `vt threads`)" % spec)


def backtrace(t, bt_args=""):
    """Run `bt` with the CPU registers temporarily set from t's switch frame."""
    if is_running(t):
        gdb.execute("bt " + bt_args)
        return
    if int(t["state"]) == 0:
        raise gdb.GdbError("vthread: thread 0x%x is free (no context)" % int(t))
    lay = detect_layout()
    ptr = lay["ptr"]
    sp = int(t["sp"])
    values = {reg: _word(sp + off, ptr) for reg, off in lay["regs"]}
    resume = _word(sp + lay["resume"], ptr)
    touched = [reg for reg, _ in lay["regs"]] + ["sp", "pc"] + ([lay["lr"]] if lay["lr"] else [])
    saved = {reg: int(gdb.parse_and_eval("$" + reg)) for reg in touched}
    frame = gdb.selected_frame()
    try:
        gdb.execute("select-frame 0", to_string=True)
        for reg, v in values.items():
            gdb.execute("set $%s = %#x" % (reg, v), to_string=True)
        gdb.execute("set $sp = %#x" % (sp + lay["size"]), to_string=True)
        if lay["lr"]:
            gdb.execute("set $%s = %#x" % (lay["lr"], resume), to_string=True)
        pc = resume & ~1 if lay["name"].startswith("arm") else resume
        gdb.execute("set $pc = %#x" % pc, to_string=True)
        gdb.execute("bt " + bt_args)
    finally:
        gdb.execute("select-frame 0", to_string=True)
        for reg in touched:
            if reg not in ("sp", "pc"):
                gdb.execute("set $%s = %#x" % (reg, saved[reg]), to_string=True)
        gdb.execute("set $sp = %#x" % saved["sp"], to_string=True)
        gdb.execute("set $pc = %#x" % saved["pc"], to_string=True)
        try:
            frame.select()
        except gdb.error:
            pass


class VtBt(gdb.Command):
    """Backtrace of a vthread: `vt bt <name | number | 0xaddress | all> [bt options]`.
    A suspended thread is unwound from the switch frame on its stack."""

    def __init__(self):
        super().__init__("vt bt", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        args = arg.split(None, 1)
        if not args:
            raise gdb.GdbError("usage: vt bt <name | number | 0xaddress | all>")
        rest = args[1] if len(args) > 1 else ""
        if args[0] == "all":
            names = _state_names()
            for i, t in enumerate(threads()[0], 1):
                state, wait = describe(t, names)
                print("\nvthread %d %s (%s%s):" % (i, thread_name(t), state,
                                                  " " + wait if wait else ""))
                if state not in ("free",):
                    backtrace(t, rest)
            return
        backtrace(find_thread(args[0]), rest)


VtPrefix()
VtThreads()
VtBt()
