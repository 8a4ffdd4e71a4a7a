#!/usr/bin/python3
"""Test client: one flow, prints the outcome and how long it took.

usage:
  e7client.py tcp HOST PORT [TIMEOUT]        connect, send, expect the echo
  e7client.py udp HOST PORT [TIMEOUT]        unconnected sendto, expect the echo
  e7client.py cudp HOST PORT [TIMEOUT]       connected UDP
  e7client.py cudpto HOST PORT OTHER         connected UDP, echo from PORT, then
                                             sendto() port OTHER on the same socket
  e7client.py stream HOST PORT SECONDS       keep a TCP flow busy, report when it breaks
  e7client.py connects HOST PORT N           N sequential connects, prints mean us
  e7client.py many HOST PORT N [TIMEOUT]     N concurrent connects, prints how many succeeded
  e7client.py ping HOST 0 [TIMEOUT]          one ICMP/ICMPv6 echo over a raw socket
  e7client.py dping HOST 0 [TIMEOUT]         the same over an ICMP datagram (ping) socket
  e7client.py sctp HOST PORT [TIMEOUT]       SCTP connect, send, expect the echo
  e7client.py udplite HOST PORT [TIMEOUT]    UDP-Lite sendto, expect the echo
  e7client.py serve sctp|udplite PORT        echo server (IPv4 and IPv6), runs until killed
  e7client.py short HOST PORT                non-blocking TCP connect, exit at once; prints the pid
  e7client.py pass tcp|udp HOST PORT EXE     this process makes the socket (and connects, for
                                             tcp), a child run by EXE sends on it (SCM_RIGHTS)
  e7client.py passlearned LPORT HOST PORT EXE
                                             this process listens on TCP LPORT and holds an
                                             unconnected UDP socket; after one incoming
                                             connection, a child run by EXE sends on it
  e7client.py waitgone FILE OP ARGS...       print "waiting", wait until FILE is gone, run OP
Output: "ok <ms>" or "error <ERRNO> <ms>"; exit 0 when ok, 1 otherwise.
"""
import errno
import os
import selectors
import socket
import struct
import sys
import time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def outcome(t0, err=None):
    ms = (time.monotonic() - t0) * 1000
    if err is None:
        print(f"ok {ms:.1f}", flush=True)
        return 0
    name = errno.errorcode.get(err.errno, type(err).__name__) if getattr(err, "errno", None) \
        else type(err).__name__
    print(f"error {name} {ms:.1f}", flush=True)
    return 1


def tcp(host, port, timeout):
    t0 = time.monotonic()
    try:
        with socket.socket(family(host), socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect((host, port))
            s.sendall(b"e7\n")
            if s.recv(16) != b"e7\n":
                raise OSError(errno.EIO, "bad echo")
    except OSError as e:
        return outcome(t0, e)
    return outcome(t0)


def udp(host, port, timeout, connected, other=None):
    """With other, the outcome is that of a sendto() to port other
    after the echo, on the same (connected) socket."""
    t0 = time.monotonic()
    try:
        with socket.socket(family(host), socket.SOCK_DGRAM) as s:
            s.settimeout(timeout)
            if connected:
                s.connect((host, port))
                s.send(b"e7")
            else:
                s.sendto(b"e7", (host, port))
            if s.recv(16) != b"e7":
                raise OSError(errno.EIO, "bad echo")
            if other is not None:
                t0 = time.monotonic()
                s.sendto(b"e7", (host, other))
    except OSError as e:
        return outcome(t0, e)
    return outcome(t0)


def stream(host, port, seconds):
    t0 = time.monotonic()
    n = 0
    try:
        with socket.socket(family(host), socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect((host, port))
            print("connected", flush=True)
            while time.monotonic() - t0 < seconds:
                s.sendall(b"x\n")
                if s.recv(16) != b"x\n":
                    raise OSError(errno.EIO, "bad echo")
                n += 1
                time.sleep(0.05)
    except OSError as e:
        print(f"broken after {n} round trips", flush=True)
        return outcome(t0, e)
    return outcome(t0)


def connects(host, port, n):
    t0 = time.monotonic()
    for _ in range(n):
        with socket.socket(family(host), socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect((host, port))
    us = (time.monotonic() - t0) * 1e6 / n
    print(f"ok {us:.1f} us/connect", flush=True)
    return 0


def many(host, port, n, timeout):
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(n):
        s = socket.socket(family(host), socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((host, port))
        sel.register(s, selectors.EVENT_WRITE)
        socks.append(s)
    good = bad = 0
    end = time.monotonic() + timeout
    while good + bad < n and time.monotonic() < end:
        for key, _ in sel.select(max(0.01, end - time.monotonic())):
            s = key.fileobj
            sel.unregister(s)
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                good += 1
            else:
                bad += 1
    for s in socks:
        s.close()
    print(f"connected {good} failed {bad} pending {n - good - bad}", flush=True)
    return 0 if good == n else 1


def echo(s, t0, dgram_to=None):
    try:
        if dgram_to:
            s.sendto(b"e7", dgram_to)
        else:
            s.sendall(b"e7")
        if s.recv(16) != b"e7":
            raise OSError(errno.EIO, "bad echo")
    except OSError as e:
        return outcome(t0, e)
    return outcome(t0)


def sctp(host, port, timeout):
    t0 = time.monotonic()
    try:
        s = socket.socket(family(host), socket.SOCK_STREAM, socket.IPPROTO_SCTP)
        s.settimeout(timeout)
        s.connect((host, port))
    except OSError as e:
        return outcome(t0, e)
    with s:
        return echo(s, t0)


def udplite(host, port, timeout):
    t0 = time.monotonic()
    with socket.socket(family(host), socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE) as s:
        s.settimeout(timeout)
        return echo(s, t0, (host, port))


def serve(proto, port):
    if proto == "sctp":
        srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
    else:
        srv = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)
    srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("::", port))
    print("listening", flush=True)
    if proto != "sctp":
        while True:
            data, peer = srv.recvfrom(2048)
            srv.sendto(data, peer)
    srv.listen(16)
    while True:
        c, _ = srv.accept()
        with c:
            c.settimeout(5)
            try:
                data = c.recv(2048)
                if data:
                    c.sendall(data)
            except OSError:
                pass


def short(host, port):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.setblocking(False)
    s.connect_ex((host, port))
    print(os.getpid(), flush=True)
    os._exit(0)


def pass_fd(proto, host, port, exe):
    """The socket is made here, used by a child running another program."""
    t0 = time.monotonic()
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(family(host), kind)
    s.settimeout(5)
    if proto == "tcp":
        try:
            s.connect((host, port))
        except OSError as e:
            return outcome(t0, e)
    parent, child = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        parent.close()
        os.set_inheritable(child.fileno(), True)
        os.execv(exe, [exe, __file__, "recvfd", str(child.fileno()), proto, host, str(port)])
    child.close()
    socket.send_fds(parent, [b"s"], [s.fileno()])
    s.close()
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def pass_learned(lport, host, port, exe):
    """An unconnected UDP socket whose owner the module learned in the walk
    for an incoming connection to this process's listener, then passed."""
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("0.0.0.0", lport))
    lst.listen(1)
    u = socket.socket(family(host), socket.SOCK_DGRAM)
    lst.settimeout(10)
    print("listening", flush=True)
    conn, _ = lst.accept()
    with conn:
        conn.sendall(conn.recv(16))
    lst.close()
    parent, child = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        parent.close()
        os.set_inheritable(child.fileno(), True)
        os.execv(exe, [exe, __file__, "recvfd", str(child.fileno()), "udp", host, str(port)])
    child.close()
    socket.send_fds(parent, [b"s"], [u.fileno()])
    u.close()
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def recvfd(fd, proto, host, port):
    with socket.socket(fileno=fd) as p:
        _, fds, _, _ = socket.recv_fds(p, 16, 1)
    t0 = time.monotonic()
    with socket.socket(fileno=fds[0]) as s:
        s.settimeout(3)
        return echo(s, t0, (host, port) if proto == "udp" else None)


def dping(host, timeout):
    t0 = time.monotonic()
    v6 = ":" in host
    try:
        if v6:
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_ICMPV6)
            pkt = struct.pack("!BBHHH", 128, 0, 0, 0, 1) + b"e7ping"
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
            pkt = struct.pack("!BBHHH", 8, 0, 0, 0, 1) + b"e7ping"
        with s:
            s.settimeout(timeout)
            s.sendto(pkt, (host, 0))
            data = s.recv(2048)
            if data[0] != (129 if v6 else 0):
                raise OSError(errno.EIO, "not an echo reply")
    except OSError as e:
        return outcome(t0, e)
    return outcome(t0)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ping(host, timeout):
    t0 = time.monotonic()
    v6 = ":" in host
    ident = os.getpid() & 0xFFFF
    try:
        if v6:
            s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
            pkt = struct.pack("!BBHHH", 128, 0, 0, ident, 1) + b"e7ping"
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            pkt = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + b"e7ping"
            pkt = pkt[:2] + struct.pack("!H", csum(pkt)) + pkt[4:]
        with s:
            s.settimeout(timeout)
            s.sendto(pkt, (host, 0))
            while True:
                data = s.recv(2048)
                if not v6:
                    data = data[(data[0] & 0xF) * 4:]
                rtype, _, _, rid = struct.unpack_from("!BBHH", data)
                if rtype == (129 if v6 else 0) and rid == ident:
                    break
    except OSError as e:
        return outcome(t0, e)
    return outcome(t0)


def main(a):
    if a[0] == "waitgone":
        print("waiting", flush=True)
        for _ in range(500):
            if not os.path.exists(a[1]):
                break
            time.sleep(0.02)
        return main(a[2:])
    if a[0] == "serve":
        return serve(a[1], int(a[2]))
    if a[0] == "recvfd":
        return recvfd(int(a[1]), a[2], a[3], int(a[4]))
    if a[0] == "pass":
        return pass_fd(a[1], a[2], int(a[3]), a[4])
    if a[0] == "passlearned":
        return pass_learned(int(a[1]), a[2], int(a[3]), a[4])
    op, host, port = a[0], a[1], int(a[2])
    if op == "short":
        return short(host, port)
    if op == "sctp":
        return sctp(host, port, float(a[3]) if len(a) > 3 else 2)
    if op == "udplite":
        return udplite(host, port, float(a[3]) if len(a) > 3 else 2)
    if op == "dping":
        return dping(host, float(a[3]) if len(a) > 3 else 2)
    if op == "tcp":
        return tcp(host, port, float(a[3]) if len(a) > 3 else 5)
    if op in ("udp", "cudp"):
        return udp(host, port, float(a[3]) if len(a) > 3 else 2, op == "cudp")
    if op == "cudpto":
        return udp(host, port, 2, True, int(a[3]))
    if op == "stream":
        return stream(host, port, float(a[3]))
    if op == "connects":
        return connects(host, port, int(a[3]))
    if op == "ping":
        return ping(host, float(a[3]) if len(a) > 3 else 2)
    if op == "many":
        return many(host, port, int(a[3]), float(a[4]) if len(a) > 4 else 20)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
