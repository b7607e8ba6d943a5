#!/usr/bin/env python3
"""bench/floor.py - the floor of a reference conformance run: the same work done bare.

For every scenario the harness ran (the lines of its text report), and with the
same number of workers, this does what the run did on the wire and no more:

  - a fresh network namespace (unshare(CLONE_NEWNET) through libc), lo brought up;
  - the same reference server with the same arguments (harness/scenario/lab.c's variant
    arguments, --table for dns, --name for name-echo, the docroot copied and
    dated for http), waited for by asking sock_diag for the namespace's sockets;
  - the same bytes: replayed from the harness's own capture of that scenario
    (every datagram and TCP payload the harness sent, in capture order, each
    reply read to its captured length; connects, half-closes and resets as
    captured); pieces of a `segments`/`bytewise` send each wait until the
    server has read them, as the harness does;
  - a client scenario: the reference server on its default port and the
    reference client with the scenario's standard input, until the client ends;
  - the waits the scenario itself asks for (`expect NAME none`: its timeout,
    unless the server ended; `expect exit`: until the program ends);
  - teardown: TERM, wait, KILL; the namespace goes with the worker.

It leaves out (so the floor is what the harness cannot do without): parsing
the scenarios (the replay plan is built before the clock starts), the capture
(libpcap ring, pcap file, reading it back), the checks and the reports; the
PID namespace and init process, the unprivileged user, rlimits and the private
folder copy; the nftables redirect of client scenarios (the floor's client
aims at the server's default port); the veth pair of the one two-host scenario
(replayed on lo); the harness's `slow` reader (read normally here).

Usage: floor.py --report REPORT.txt --captures DIR --bin build/bin [-j 2]\nPrints one JSON object: {"wall_s": ..., "scenarios": N, "failed": [...], "per": {label: ms}}.
"""
import argparse
import ctypes
import errno
import fcntl
import json
import multiprocessing
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1

# harness/scenario/lab.c: the reference programs and each variant's arguments
LABS = {
    "udp-echo": ("udp", "udp-echo-server", "udp-echo-client",
                 {"plain": ("", ""), "quit": ("--quit", "--loop --ask-name")}),
    "tcp-echo": ("tcp", "tcp-echo-server", "tcp-echo-client",
                 {"oneshot": ("--variant oneshot", ""),
                  "session": ("--variant session", "--loop"),
                  "concurrent": ("--variant concurrent --concurrency epoll", "--loop"),
                  "concurrent-threads": ("--variant concurrent --concurrency threads", "--loop"),
                  "concurrent-fork": ("--variant concurrent --concurrency fork", "--loop")}),
    "name-echo": ("tcp", "name-echo-server", "name-echo-client", {"plain": ("", "")}),
    "http": ("tcp", "http-server", "http-client", {"plain": ("", "")}),
    "dns": ("udp", "dns-server", "dns-client", {"plain": ("--table {lab}/table", "")}),
}
DOCROOT_MTIME = 1704164645  # Tue, 02 Jan 2024 03:04:05 GMT (harness: WC_DOCROOT_MTIME)


# ---------- the plan, built before the clock starts ----------

def read_pcap(path):
    """Yields (src, sport, dst, dport, proto, flags, seq, payload) per IP packet."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    linktype = struct.unpack(end + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:
            etype, ip = struct.unpack("!H", pkt[12:14])[0], pkt[14:]
        elif linktype == 113:
            etype, ip = struct.unpack("!H", pkt[14:16])[0], pkt[16:]
        elif linktype == 276:
            etype, ip = struct.unpack("!H", pkt[0:2])[0], pkt[20:]
        else:
            raise SystemExit(f"{path}: link type {linktype} not handled")
        if etype == 0x0800:
            ihl = (ip[0] & 15) * 4
            total = struct.unpack("!H", ip[2:4])[0]
            proto, src, dst, l4 = ip[9], socket.inet_ntop(socket.AF_INET, ip[12:16]), \
                socket.inet_ntop(socket.AF_INET, ip[16:20]), ip[ihl:total]
        elif etype == 0x86dd:
            plen = struct.unpack("!H", ip[4:6])[0]
            proto, src, dst, l4 = ip[6], socket.inet_ntop(socket.AF_INET6, ip[8:24]), \
                socket.inet_ntop(socket.AF_INET6, ip[24:40]), ip[40:40 + plen]
        else:
            continue
        if proto == 17:
            sport, dport = struct.unpack("!HH", l4[:4])
            yield src, sport, dst, dport, "udp", 0, 0, l4[8:]
        elif proto == 6:
            sport, dport, seq = struct.unpack("!HHI", l4[:8])
            doff, flags = (l4[12] >> 4) * 4, l4[13]
            yield src, sport, dst, dport, "tcp", flags, seq, l4[doff:]


FIN, SYN, RST = 1, 2, 4


def server_actions(pcap, proto, port):
    """The harness's side of a server scenario, from its capture: a list of
    (op, endpoint, arg). Endpoints are the harness's (addr, port) pairs."""
    acts, nxt, seen_fin = [], {}, set()
    for src, sport, dst, dport, p, flags, seq, payload in read_pcap(pcap):
        if p != proto:
            continue
        if dport == port:  # harness -> server
            ep = (src, sport)
            if p == "udp":
                acts.append(("usend", ep, payload))
                continue
            if flags & SYN:
                acts.append(("connect", ep, None))
                nxt[ep] = seq + 1
                continue
            if payload and ep in nxt:
                # retransmissions and overlaps: only the bytes not sent yet
                skip = (nxt[ep] - seq) & 0xffffffff
                if skip < len(payload):
                    acts.append(("tsend", ep, payload[skip:]))
                    nxt[ep] = (seq + len(payload)) & 0xffffffff
                elif skip > 0x7fffffff:
                    acts.append(("tsend", ep, payload))
                    nxt[ep] = (seq + len(payload)) & 0xffffffff
            if flags & RST:
                acts.append(("reset", ep, None))
            elif flags & FIN and ("c", ep) not in seen_fin:
                seen_fin.add(("c", ep))
                acts.append(("shut", ep, None))
        elif sport == port:  # server -> harness
            ep = (dst, dport)
            if p == "udp":
                acts.append(("urecv", ep, len(payload)))
                continue
            if payload:
                acts.append(("trecv", ep, len(payload)))
            if flags & FIN and ("s", ep) not in seen_fin:
                seen_fin.add(("s", ep))
                acts.append(("eof", ep, None))
    # coalesce the replies one after another on one endpoint
    out = []
    for a in acts:
        if out and a[0] == "trecv" and out[-1][:2] == a[:2]:
            out[-1] = (a[0], a[1], out[-1][2] + a[2])
        else:
            out.append(a)
    return out


def unquote(text):
    """A payload of quoted parts with the escapes of fixtures/README.md; $name is Ali."""
    out, i = bytearray(), 0
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"|\$name', text):
        if m.group(0) == "$name":
            out += b"Ali"
            continue
        s, j = m.group(1), 0
        while j < len(s):
            c = s[j]
            if c == "\\":
                e = s[j + 1]
                if e == "x":
                    out.append(int(s[j + 2:j + 4], 16))
                    j += 4
                    continue
                out += {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0"}.get(e, e.encode())
                j += 2
                continue
            out += c.encode()
            j += 1
    return bytes(out)


def plan(args, sc):
    lab = sc["lab"]
    proto, srv, cli, variants = LABS[lab]
    sargs, cargs = variants[sc["variant"]]
    labdir = os.path.abspath(os.path.join(args.fixtures, lab))
    sargs = sargs.replace("{lab}", labdir)
    text = open(sc["scenario"]).read()
    role = re.search(r"^test\s+(\w+)", text, re.M).group(1)
    timeout = re.search(r"^timeout\s+(\d+)", text, re.M)
    p = {"label": f"{lab}/{sc['label']}", "lab": lab, "proto": proto, "role": role,
         "timeout": int(timeout.group(1)) / 1000 if timeout else 2.0,
         "expect_none": bool(re.search(r"^\s*expect\s+\S+\s+none\b", text, re.M)) and role == "server",
         "expect_exit": bool(re.search(r"^\s*expect\s+exit\b", text, re.M)),
         "pieces": bool(re.search(r"\b(segments\s+\d+|bytewise)\b", text)),
         "docroot": os.path.join(labdir, "docroot") if lab == "http" else None}
    name = ["--name", "Ali"] if lab == "name-echo" else []
    server = [os.path.join(args.bin, srv)] + sargs.split() + name
    if role == "server":
        p["server"] = server
        p["port"] = 12000
        p["acts"] = server_actions(sc["capture"], proto, 12000)
    else:
        p["server"] = server + ["--bind", "::", "--verbose"]
        p["port"] = 12000
        p["client"] = [os.path.join(args.bin, cli)] + cargs.split()
        p["stdin"] = b"".join(unquote(m.group(1)) for m in re.finditer(r"^\s*stdin\s+(.*)$", text, re.M))
    return p


# ---------- the timed part ----------

libc = ctypes.CDLL(None, use_errno=True)


def netns():
    if libc.unshare(CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "unshare(CLONE_NEWNET): " + os.strerror(e))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ifr = struct.pack("16sH14x", b"lo", 0)
    flags = struct.unpack("16sH14x", fcntl.ioctl(s, SIOCGIFFLAGS, ifr))[1]
    fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))
    s.close()


# The harness reads its namespace's sockets through sock_diag (as ss(8) does),
# so the floor does too: a dump of the LISTEN (TCP) or all (UDP) sockets, and
# one connection looked up by its addresses.
NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY = 4, 20
NLM_F_REQUEST, NLM_F_DUMP, NLMSG_ERROR, NLMSG_DONE = 1, 0x300, 2, 3
TCP_LISTEN = 10


def diag(family, proto, states, dump, sport=0, dport=0, src=b"", dst=b""):
    """The inet_diag_msg answers: [(state, sport, rqueue)]."""
    req = struct.pack("=BBBBI", family, proto, 0, 0, states)
    req += struct.pack("!HH", sport, dport) + src.ljust(16, b"\0") + dst.ljust(16, b"\0")
    req += struct.pack("=III", 0, 0xffffffff, 0xffffffff)
    flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else 0)
    msg = struct.pack("=IHHII", 16 + len(req), SOCK_DIAG_BY_FAMILY, flags, 1, 0) + req
    out = []
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG) as s:
        s.send(msg)
        while True:
            buf, off = s.recv(65536), 0
            while off + 16 <= len(buf):
                ln, typ = struct.unpack_from("=IH", buf, off)
                if typ in (NLMSG_DONE, NLMSG_ERROR) or ln < 16:
                    return out
                state = buf[off + 17]
                sp = struct.unpack_from("!H", buf, off + 20)[0]
                rq = struct.unpack_from("=I", buf, off + 16 + 56)[0]
                out.append((state, sp, rq))
                off += (ln + 3) & ~3
                if not dump:
                    return out


def bound(proto, port):
    ipp, states = (socket.IPPROTO_TCP, 1 << TCP_LISTEN) if proto == "tcp" else (socket.IPPROTO_UDP, 0xffffffff)
    return any(sp == port for fam in (socket.AF_INET, socket.AF_INET6)
               for _, sp, _ in diag(fam, ipp, states, True))


def wait_bound(proc, proto, port, limit=5.0):
    until, pause = time.monotonic() + limit, 0.001
    while not bound(proto, port):
        if proc.poll() is not None or time.monotonic() > until:
            return False
        time.sleep(pause)
        pause = 0.002  # as the harness: 1 ms, then 2 ms
    return True


def rx_queue_empty(s):
    """Has the server read all that the connected socket s sent?"""
    fam = s.family
    mine, peer = s.getsockname(), s.getpeername()
    packed = socket.inet_pton(fam, peer[0]), socket.inet_pton(fam, mine[0])
    got = diag(fam, socket.IPPROTO_TCP, 0xffffffff, False, peer[1], mine[1], *packed)
    return not got or got[0][2] == 0


def stop(proc, grace=0.3):
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGTERM)
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def replay(p):
    socks, got, eof, ugot = {}, {}, set(), [0]
    proto, port, tmo = p["proto"], p["port"], p["timeout"]
    target = ("127.0.0.1", port)

    def pump(s, ep, until_len=None, until_eof=False, deadline=None):
        """Reads what the server sends on ep until the count or EOF is reached."""
        while True:
            if until_len is not None and got[ep] >= until_len:
                return
            if until_eof and ep in eof:
                return
            r, _, _ = select.select([s], [], [], max(0, deadline - time.monotonic()))
            if not r:
                return
            try:
                b = s.recv(262144)
            except ConnectionResetError:
                eof.add(ep)
                return
            if not b:
                eof.add(ep)
                return
            got[ep] += len(b)

    acts = p["acts"]
    need = {}  # bytes each TCP endpoint should have read by each trecv
    for i, (op, ep, arg) in enumerate(acts):
        if op == "usend":
            if ep not in socks:
                socks[ep] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            socks[ep].sendto(arg, target)
        elif op == "urecv":
            s = socks[ep]
            if select.select([s], [], [], tmo)[0]:
                ugot[0] += len(s.recvfrom(65536)[0])
        elif op == "connect":
            s = socket.create_connection(target, timeout=tmo)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.setblocking(False)
            socks[ep], got[ep], need[ep] = s, 0, 0
        elif op == "tsend":
            s, view = socks[ep], memoryview(arg)
            deadline = time.monotonic() + tmo
            while view:
                r, w, _ = select.select([s], [s], [], max(0, deadline - time.monotonic()))
                if not (r or w):
                    break
                if r:
                    pump(s, ep, until_len=got[ep] + 1, deadline=time.monotonic())
                if w:
                    try:
                        view = view[s.send(view):]
                    except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                        if ep in eof:
                            break
            nx = acts[i + 1] if i + 1 < len(acts) else None
            if p["pieces"] and nx and nx[0] == "tsend" and nx[1] == ep:
                until = time.monotonic() + tmo
                while not rx_queue_empty(s) and time.monotonic() < until:
                    time.sleep(0.0005)
        elif op == "trecv":
            need[ep] += arg
            pump(socks[ep], ep, until_len=need[ep], deadline=time.monotonic() + tmo)
        elif op == "shut":
            try:
                socks[ep].shutdown(socket.SHUT_WR)
            except OSError:
                pass
        elif op == "reset":
            socks[ep].setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            socks[ep].close()
            socks.pop(ep)
        elif op == "eof":
            if ep in socks:
                pump(socks[ep], ep, until_eof=True, deadline=time.monotonic() + tmo)
    want = sum(a[2] for a in acts if a[0] in ("urecv", "trecv"))
    if ugot[0] + sum(got.values()) < want:
        sys.stderr.write(f"floor: {p['label']}: read {ugot[0] + sum(got.values())} of {want} bytes\n")
    return socks


def run_scenario(p):
    """In a child: namespace, programs, bytes, teardown. Returns ms."""
    t0 = time.monotonic()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        rc = 0
        try:
            one(p)
        except Exception as e:  # reported, and counted
            sys.stderr.write(f"floor: {p['label']}: {e!r}\n")
            rc = 1
        os._exit(rc)
    os.close(w)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    return p["label"], (time.monotonic() - t0) * 1000, os.waitstatus_to_exitcode(status)


def one(p):
    netns()
    tmp = tempfile.mkdtemp(prefix="wc-floor-")
    try:
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        if p["docroot"]:
            shutil.copytree(p["docroot"], work, symlinks=True, dirs_exist_ok=True)
            for d, _, files in os.walk(work):
                for f in files:
                    os.utime(os.path.join(d, f), (DOCROOT_MTIME, DOCROOT_MTIME), follow_symlinks=False)
            open(os.path.join(tmp, "secret.html"), "w").write("canary\n")
        null = subprocess.DEVNULL
        out = open(os.path.join(tmp, "server.out"), "wb")  # its output, kept as the harness does
        srv = subprocess.Popen(p["server"], cwd=work, stdin=null, stdout=out, stderr=out)
        out.close()
        procs = [srv]
        try:
            if not wait_bound(srv, p["proto"], p["port"]):
                raise RuntimeError("the server did not bind")
            if p["role"] == "server":
                socks = replay(p)
                if p["expect_exit"] or p["expect_none"]:
                    try:
                        srv.wait(p["timeout"])
                    except subprocess.TimeoutExpired:
                        pass
                for s in socks.values():
                    s.close()
            else:
                cli = subprocess.Popen(p["client"], cwd=work, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                procs.append(cli)
                try:
                    cli.communicate(p["stdin"], timeout=p["timeout"])
                except subprocess.TimeoutExpired:
                    pass
        finally:
            for pr in reversed(procs):
                stop(pr)
                for f in (pr.stdout, pr.stderr, pr.stdin):
                    if f:
                        f.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


FIRST_VARIANT = {lab: next(iter(v[3])) for lab, v in LABS.items()}


def scenarios_of(report, captures, fixtures):
    """The scenarios a text report lists, with each one's variant and capture."""
    out = []
    for line in open(report):
        m = re.match(r"(PASS|FAIL|ERROR|INFO|info)\s+([\w.-]+)/(\S+)\s", line)
        if not m:
            continue
        lab, label = m.group(2), m.group(3)
        sid, _, variant = label.partition("@")
        path = os.path.join(fixtures, lab, sid + ".scn")
        if not variant:
            v = re.search(r"^variant\s+(\S+)", open(path).read(), re.M)
            variant = v.group(1) if v else FIRST_VARIANT[lab]
        out.append({"lab": lab, "label": label, "variant": variant, "scenario": path,
                    "capture": os.path.join(captures, "reference", lab, label + ".pcap")})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", required=True, help="the harness run's text report")
    ap.add_argument("--captures", required=True, help="the harness run's --captures folder")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--fixtures", default="fixtures")
    ap.add_argument("-j", type=int, default=2)
    args = ap.parse_args()
    args.bin = os.path.abspath(args.bin)
    plans = [plan(args, sc) for sc in scenarios_of(args.report, args.captures, args.fixtures)]
    if not plans:
        raise SystemExit("floor: no scenario in " + args.report)
    # the clock starts here: the plans are made
    t0 = time.monotonic()
    with multiprocessing.Pool(args.j) as pool:
        res = list(pool.imap_unordered(run_scenario, plans, chunksize=1))
    wall = time.monotonic() - t0
    failed = [lbl for lbl, _, rc in res if rc]
    print(json.dumps({"wall_s": wall, "scenarios": len(plans), "failed": failed,
                      "per": {lbl: round(ms, 1) for lbl, ms, _ in res}}))


if __name__ == "__main__":
    main()
