#!/usr/bin/python3
"""Minimal generic netlink client for the eftirlit family (tests only).

Plain Python sockets, no pyroute2.  Its numbers are generated from
module/include/uapi/linux/eftirlit7.h (common/e7uapi.py in the build tree).

usage:
  e7nl.py mode [MODE]                 get or set the mode
  e7nl.py config [KEY=VALUE ...]      get config, or set profile/flags/nodaemon/
                                      timeout/overflow/unidentified/hold_timeout_ms/mode
  e7nl.py add KEY=VALUE ...           add a rule (action= path= proto= dir= addr=CIDR
                                      port=N[-M] uid= expire= lifetime= id=), prints its id
  e7nl.py del ID | get ID | rules | flush
  e7nl.py stats | entries | flows
  e7nl.py verdict FLOW_ID allow|block
  e7nl.py daemon [--answer allow|block|none] [--rule] [--count N] [--seconds S]
                 [--delay MS] [--match SUBSTR]
  e7nl.py bulk N PATTERN KEY=VALUE... add N rules, "{}" in the path PATTERN is the index
  e7nl.py malformed                   send malformed requests, expect EINVAL for each
  e7nl.py raw CMD [TYPE:FMT:VALUE ...] send one request (FMT: u8 u16 u32 u64 str hex)
"""
import errno
import os
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000

# The schema's numbers, generated from the header at build time
# (common/gen-uapi-py, in the build tree's common/).
sys.path.insert(0, os.path.join(os.environ.get("E7_BUILDDIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."), "common"))
from e7uapi import (ACTIONS, ATTRS, CMDS, DIRS, ENTRY_ATTRS, FLAGS,  # noqa: E402
                    FLOW_ATTRS, LIFETIMES, MODES, PROFILES, PROTOS, RULE_ATTRS,
                    STATS)

C = {n: i for i, n in enumerate(CMDS)}
A = {n: i for i, n in enumerate(ATTRS)}
R = {n: i for i, n in enumerate(RULE_ATTRS)}
U8, U16, U32, U64 = "B", "H", "I", "Q"


class NlError(Exception):
    def __init__(self, err, msg):
        super().__init__(f"{errno.errorcode.get(err, err)}: {msg}")
        self.errno = err
        self.msg = msg


def attr(atype, payload):
    hdr = struct.pack("HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def a_int(atype, fmt, value):
    return attr(atype, struct.pack(fmt, value))


def a_str(atype, s):
    return attr(atype, s.encode() + b"\0")


def parse_attrs(data):
    out = {}
    off = 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("HH", data, off)
        if alen < 4:
            break
        out[atype & 0x3FFF] = data[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def as_int(b):
    return int.from_bytes(b, "little")


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = int(time.time())
        self.family, self.groups = self.resolve("eftirlit")

    def send(self, ftype, cmd, payload, flags=NLM_F_REQUEST | NLM_F_ACK, version=1):
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + payload
        msg = struct.pack("IHHII", 16 + len(body), ftype, flags, self.seq, 0) + body
        self.sock.send(msg)
        return self.seq

    def recv_msgs(self, timeout=None):
        self.sock.settimeout(timeout)
        data = self.sock.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            mlen, mtype, mflags, mseq, mpid = struct.unpack_from("IHHII", data, off)
            yield mtype, mflags, mseq, data[off + 16:off + mlen]
            off += (mlen + 3) & ~3

    def request(self, ftype, cmd, payload=b"", dump=False):
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        seq = self.send(ftype, cmd, payload, flags)
        replies = []
        while True:
            for mtype, mflags, mseq, body in self.recv_msgs(10):
                if mseq != seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("i", body, 0)[0]
                    if err == 0:
                        return replies
                    msg = ""
                    olen = struct.unpack_from("I", body, 4)[0]
                    tl = parse_attrs(body[4 + olen:]) if err else {}
                    if NLMSGERR_ATTR_MSG in tl:
                        msg = tl[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
                    raise NlError(err, msg)
                if mtype == NLMSG_DONE:
                    return replies
                replies.append((body[0], parse_attrs(body[4:])))

    def resolve(self, name):
        replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                               a_str(CTRL_ATTR_FAMILY_NAME, name))
        attrs = replies[0][1]
        groups = {}
        for g in parse_attrs(attrs.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
            ga = parse_attrs(g)
            groups[ga[1].rstrip(b"\0").decode()] = as_int(ga[2])
        return as_int(attrs[CTRL_ATTR_FAMILY_ID]), groups

    def cmd(self, name, payload=b"", dump=False):
        return self.request(self.family, C[name], payload, dump)

    def subscribe(self, group="events"):
        self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, self.groups[group])


def show_rule(ra):
    r = parse_attrs(ra)
    out = []
    for k, v in sorted(r.items()):
        n = RULE_ATTRS[k] if k < len(RULE_ATTRS) else str(k)
        if n == "PATH":
            out.append("path=" + v.rstrip(b"\0").decode())
        elif n in ("ADDR4", "ADDR6"):
            fam = socket.AF_INET if n == "ADDR4" else socket.AF_INET6
            out.append(f"addr={socket.inet_ntop(fam, v)}")
        else:
            out.append(f"{n.lower()}={as_int(v)}")
    return " ".join(out)


def flow_dict(fa):
    f = {}
    for k, v in parse_attrs(fa).items():
        n = FLOW_ATTRS[k] if k < len(FLOW_ATTRS) else str(k)
        if n == "PATH":
            f["path"] = v.rstrip(b"\0").decode(errors="replace")
        elif n == "CMDLINE":
            f["cmdline"] = v.rstrip(b"\0").replace(b"\0", b" ").decode(errors="replace")
        elif n in ("LOCAL_ADDR", "REMOTE_ADDR"):
            fam = socket.AF_INET if len(v) == 4 else socket.AF_INET6
            f[n.lower()] = socket.inet_ntop(fam, v)
        else:
            f[n.lower()] = as_int(v)
    return f


def fmt_flow(f):
    keys = ["id", "pid", "tgid", "uid", "proto", "dir", "local_addr", "local_port",
            "remote_addr", "remote_port", "action", "reason", "rule_id", "flags",
            "netns_ino", "exe_dev", "exe_ino", "exe_ctime", "path", "cmdline"]
    return " ".join(f"{k}={f[k]}" if k != "cmdline" else f"cmdline='{f[k]}'"
                    for k in keys if k in f)


def entry_value(k, v):
    if ENTRY_ATTRS[k] == "PATH":
        return v.rstrip(b"\0").decode(errors="replace")
    if ENTRY_ATTRS[k] == "ADDR":
        return socket.inet_ntop(socket.AF_INET if len(v) == 4 else socket.AF_INET6, v)
    return str(as_int(v))


def rule_payload(args):
    body = b""
    for kv in args:
        k, _, v = kv.partition("=")
        if k == "action":
            body += a_int(R["ACTION"], U8, ACTIONS[v])
        elif k == "path":
            body += a_str(R["PATH"], v)
        elif k == "proto":
            body += a_int(R["PROTO"], U8, PROTOS[v] if v in PROTOS else int(v))
        elif k == "dir":
            body += a_int(R["DIR"], U8, DIRS[v])
        elif k == "addr":
            ip, _, plen = v.partition("/")
            if ":" in ip:
                body += attr(R["ADDR6"], socket.inet_pton(socket.AF_INET6, ip))
            else:
                body += attr(R["ADDR4"], socket.inet_pton(socket.AF_INET, ip))
            if plen:
                body += a_int(R["PREFIX_LEN"], U8, int(plen))
        elif k == "port":
            lo, _, hi = v.partition("-")
            body += a_int(R["PORT_MIN"], U16, int(lo))
            if hi:
                body += a_int(R["PORT_MAX"], U16, int(hi))
        elif k == "uid":
            body += a_int(R["UID"], U32, int(v))
        elif k == "expire":
            body += a_int(R["EXPIRE"], U32, int(v))
        elif k == "lifetime":
            body += a_int(R["LIFETIME"], U8, LIFETIMES[v])
        elif k == "id":
            body += a_int(R["ID"], U64, int(v))
        else:
            raise SystemExit(f"unknown rule key {k}")
    return attr(A["RULE"] | NLA_F_NESTED, body)


def cmd_config(g, args):
    pol = {"nodaemon": "POLICY_NODAEMON", "timeout": "POLICY_TIMEOUT",
           "overflow": "POLICY_OVERFLOW", "unidentified": "POLICY_UNIDENTIFIED",
           "unparsed": "POLICY_UNPARSED"}
    if not args:
        for _, a in g.cmd("GET_CONFIG"):
            for k, v in sorted(a.items()):
                print(f"{ATTRS[k].lower()}={as_int(v)}")
        return
    body = b""
    for kv in args:
        k, _, v = kv.partition("=")
        if k in pol:
            body += a_int(A[pol[k]], U8, ACTIONS[v])
        elif k == "profile":
            body += a_int(A["PROFILE"], U8, PROFILES[v])
        elif k == "mode":
            body += a_int(A["MODE"], U8, MODES[v])
        elif k == "hold_timeout_ms":
            body += a_int(A["HOLD_TIMEOUT_MS"], U32, int(v))
        elif k == "flags":
            m = 0
            for f in filter(None, v.split(",")):
                m |= FLAGS[f] if f in FLAGS else int(f, 0)
            body += a_int(A["FLAGS"], U32, m)
        else:
            raise SystemExit(f"unknown config key {k}")
    g.cmd("SET_CONFIG", body)


def cmd_daemon(g, args):
    answer, rule, count, seconds, delay, match = "allow", False, 0, 30.0, 0, None
    i = 0
    while i < len(args):
        if args[i] == "--answer":
            answer = args[i + 1]
            i += 1
        elif args[i] == "--rule":
            rule = True
        elif args[i] == "--count":
            count = int(args[i + 1])
            i += 1
        elif args[i] == "--seconds":
            seconds = float(args[i + 1])
            i += 1
        elif args[i] == "--delay":
            delay = int(args[i + 1])
            i += 1
        elif args[i] == "--match":
            match = args[i + 1]
            i += 1
        i += 1
    ev = Genl()
    # Room for bursts of events (SO_RCVBUFFORCE: we are privileged anyway).
    ev.sock.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)
    ev.subscribe()
    print("ready", flush=True)
    answered = 0
    end = time.time() + seconds
    while time.time() < end and (not count or answered < count):
        try:
            msgs = list(ev.recv_msgs(max(0.05, end - time.time())))
        except socket.timeout:
            break
        for mtype, _, _, body in msgs:
            if mtype != ev.family:
                continue
            cmd, attrs = body[0], parse_attrs(body[4:])
            if A["FLOW"] in attrs:
                f = flow_dict(attrs[A["FLOW"]])
                print(f"{CMDS[cmd]} {fmt_flow(f)}", flush=True)
            else:
                print(CMDS[cmd], " ".join(f"{ATTRS[k].lower()}={as_int(v)}"
                                          for k, v in sorted(attrs.items())), flush=True)
            if cmd != C["EV_PENDING"] or answer == "none":
                continue
            if match and match not in f.get("path", ""):
                continue
            if delay:
                time.sleep(delay / 1000)
            body = a_int(A["FLOW_ID"], U64, f["id"]) + a_int(A["ACTION"], U8, ACTIONS[answer])
            if rule and "path" in f:
                body += rule_payload([f"action={answer}", f"path={f['path']}"])
            t0 = time.monotonic()
            try:
                g.cmd("VERDICT", body)
                print(f"VERDICT id={f['id']} {answer} ok {1e6 * (time.monotonic() - t0):.0f}us",
                      flush=True)
            except NlError as e:
                print(f"VERDICT id={f['id']} {answer} error {e}", flush=True)
            answered += 1


def cmd_bulk(g, n, pattern, extra, batch=1000):
    """Adds n rules, "{}" in the path pattern becoming the index.

    Many requests go in one send() (the kernel handles every message of a
    datagram in turn), without NLM_F_ACK: each request is answered by its
    reply (the new rule) or by an error, so one message per rule comes back.
    """
    g.sock.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
    g.sock.setsockopt(socket.SOL_SOCKET, 32, 4 << 20)  # SO_SNDBUFFORCE
    rest = rule_payload(extra)[4:]  # the nest's other attributes
    head, tail = pattern.split("{}", 1) if "{}" in pattern else (pattern, None)
    genl = struct.pack("BBH", C["NEW_RULE"], 1, 0)
    for start in range(0, n, batch):
        msgs = []
        first = g.seq + 1
        for i in range(start, min(n, start + batch)):
            path = (head + str(i) + tail if tail is not None else head).encode() + b"\0"
            pa = struct.pack("HH", 4 + len(path), R["PATH"]) + path + \
                b"\0" * ((4 - len(path) % 4) % 4)
            nest = pa + rest
            body = genl + struct.pack("HH", 4 + len(nest), A["RULE"] | NLA_F_NESTED) + nest
            g.seq += 1
            msgs.append(struct.pack("IHHII", 16 + len(body), g.family, NLM_F_REQUEST,
                                    g.seq, 0) + body)
        g.sock.send(b"".join(msgs))
        left = len(msgs)
        while left:
            for mtype, _, mseq, body in g.recv_msgs(10):
                if not first <= mseq <= g.seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("i", body, 0)[0]
                    if err:
                        raise NlError(err, f"rule {start + mseq - first}")
                left -= 1


MALFORMED = [
    ("SET_MODE", lambda: a_int(A["MODE"], U8, 99), "mode out of range", errno.ERANGE),
    ("SET_MODE", lambda: a_int(A["MODE"], U32, 1), "mode with wrong size"),
    ("SET_MODE", lambda: b"", "mode missing"),
    ("SET_FLAGS", lambda: a_int(A["FLAGS"], U32, 0x100), "unknown flag bit"),
    ("SET_CONFIG", lambda: a_int(A["HOLD_TIMEOUT_MS"], U32, 5), "timeout too short",
     errno.ERANGE),
    ("SET_CONFIG", lambda: a_int(A["POLICY_TIMEOUT"], U8, 3), "policy out of range",
     errno.ERANGE),
    ("SET_CONFIG", lambda: a_int(A["VERSION"], U32, 1), "read-only attribute"),
    ("SET_CONFIG", lambda: a_int(77, U32, 1), "unknown attribute"),
    ("NEW_RULE", lambda: b"", "rule missing"),
    ("NEW_RULE", lambda: rule_payload(["path=/usr/bin/x"]), "rule without action"),
    ("NEW_RULE", lambda: rule_payload(["action=allow", "path=relative"]), "relative path"),
    ("NEW_RULE", lambda: rule_payload(["action=allow", "port=90-80"]), "reversed ports"),
    ("NEW_RULE", lambda: rule_payload(["action=allow", "addr=198.18.0.0/40"]),
     "prefix too long"),
    ("NEW_RULE", lambda: attr(A["RULE"] | NLA_F_NESTED, a_int(R["ACTION"], U8, 3)), "bad action",
     errno.ERANGE),
    ("NEW_RULE", lambda: attr(A["RULE"], a_int(R["ACTION"], U8, 1)), "nest without NLA_F_NESTED"),
    ("NEW_RULE", lambda: attr(A["RULE"] | NLA_F_NESTED, a_int(R["ACTION"], U8, 1) + attr(R["ADDR4"], b"\1\2\3")),
     "short IPv4 address", (errno.EINVAL, errno.ERANGE)),
    ("NEW_RULE", lambda: attr(A["RULE"] | NLA_F_NESTED, a_int(R["ACTION"], U8, 1) + attr(R["PATH"], b"/x")),
     "path without NUL"),
    ("NEW_RULE", lambda: attr(A["RULE"] | NLA_F_NESTED, a_int(R["ACTION"], U8, 1) +
                              a_str(R["PATH"], "/" + "a" * 5000)), "path too long"),
    ("NEW_RULE", lambda: rule_payload(["action=allow", f"id={1 << 63 | 5}"]),
     "kernel id from userspace"),
    ("NEW_RULE", lambda: rule_payload(["action=allow", "proto=icmp", "port=5"]),
     "port on icmp"),
    ("NEW_RULE", lambda: attr(A["RULE"] | NLA_F_NESTED, a_int(R["ACTION"], U8, 1) + a_int(R["HITS"], U64, 1)),
     "read-only rule attribute"),
    ("VERDICT", lambda: a_int(A["FLOW_ID"], U64, 1), "verdict without action"),
    ("VERDICT", lambda: a_int(A["FLOW_ID"], U64, 1) + a_int(A["ACTION"], U8, 0),
     "verdict action 0", errno.ERANGE),
    ("DEL_RULE", lambda: a_int(A["RULE_ID"], U32, 1), "rule id with wrong size"),
]


def cmd_malformed(g):
    bad = 0
    for cmd, payload, what, *want in MALFORMED:
        want = want[0] if want else errno.EINVAL
        try:
            g.cmd(cmd, payload())
            print(f"FAIL {what}: accepted")
            bad += 1
        except NlError as e:
            ok = e.errno in (want if isinstance(want, tuple) else (want,))
            print(f"{'ok' if ok else 'FAIL'} {what}: {e}")
            bad += 0 if ok else 1
    return 1 if bad else 0


def cmd_raw(g, args):
    body = b""
    for spec in args[1:]:
        t, fmt, val = spec.split(":", 2)
        t = int(t)
        if fmt == "str":
            body += a_str(t, val)
        elif fmt == "hex":
            body += attr(t, bytes.fromhex(val))
        else:
            body += a_int(t, {"u8": U8, "u16": U16, "u32": U32, "u64": U64}[fmt], int(val, 0))
    for c, a in g.cmd(args[0], body):
        print(CMDS[c], {ATTRS[k]: v.hex() for k, v in a.items()})


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    g = Genl()
    op, args = argv[0], argv[1:]
    if op == "mode":
        if args:
            g.cmd("SET_MODE", a_int(A["MODE"], U8, MODES[args[0]]))
        else:
            mode = as_int(g.cmd("GET_MODE")[0][1][A["MODE"]])
            print({v: k for k, v in MODES.items()}[mode])
    elif op == "config":
        cmd_config(g, args)
    elif op == "add":
        for _, a in g.cmd("NEW_RULE", rule_payload(args)):
            print(as_int(parse_attrs(a[A["RULE"]])[R["ID"]]))
    elif op == "del":
        g.cmd("DEL_RULE", a_int(A["RULE_ID"], U64, int(args[0])))
    elif op == "get":
        for _, a in g.cmd("GET_RULE", a_int(A["RULE_ID"], U64, int(args[0]))):
            print(show_rule(a[A["RULE"]]))
    elif op == "rules":
        for _, a in g.cmd("GET_RULE", dump=True):
            print(show_rule(a[A["RULE"]]))
    elif op == "flush":
        g.cmd("FLUSH_RULES")
    elif op == "stats":
        for _, a in g.cmd("GET_STATS"):
            for k, v in sorted(parse_attrs(a[A["STATS"]]).items()):
                print(f"{STATS[k].lower()}={as_int(v)}")
    elif op == "entries":
        for _, a in g.cmd("GET_STATS", dump=True):
            e = parse_attrs(a[A["ENTRY"]])
            print(" ".join(ENTRY_ATTRS[k].lower() + "=" + entry_value(k, v)
                           for k, v in sorted(e.items())))
    elif op == "flows":
        for _, a in g.cmd("GET_FLOW", dump=True):
            print(fmt_flow(flow_dict(a[A["FLOW"]])))
    elif op == "verdict":
        g.cmd("VERDICT", a_int(A["FLOW_ID"], U64, int(args[0])) +
              a_int(A["ACTION"], U8, ACTIONS[args[1]]))
    elif op == "reset":
        g.cmd("RESET_STATS")
    elif op == "daemon":
        cmd_daemon(g, args)
    elif op == "bulk":
        cmd_bulk(g, int(args[0]), args[1], args[2:])
    elif op == "malformed":
        return cmd_malformed(g)
    elif op == "raw":
        cmd_raw(g, args)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except NlError as e:
        print(f"error: {errno.errorcode.get(e.errno, e.errno)}: {e.msg}", file=sys.stderr)
        sys.exit(3)
