#!/usr/bin/python3
# Writes the seed corpora of the netlink decoder targets (corpus-nl-*/):
# well-formed module messages, with the numbers of
# module/include/uapi/linux/eftirlit7.h (generated into the build tree's
# common/e7uapi.py by make).
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.environ.get("E7_BUILDDIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."), "common"))
import e7uapi  # noqa: E402 (common/gen-uapi-py: the header's numbers)

CMD = {n[3:]: i for i, n in enumerate(e7uapi.CMDS) if n.startswith("EV_")}
A = {n: i for i, n in enumerate(e7uapi.ATTRS)}
RULE = {n: i for i, n in enumerate(e7uapi.RULE_ATTRS)}
FLOW = {n: i for i, n in enumerate(e7uapi.FLOW_ATTRS)}
NESTED = 0x8000


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def u8(t, v): return attr(t, struct.pack("=B", v))
def u16(t, v): return attr(t, struct.pack("=H", v))
def u32(t, v): return attr(t, struct.pack("=I", v))
def u64(t, v): return attr(t, struct.pack("=Q", v))
def s(t, v): return attr(t, v.encode() + b"\0")


def msg(cmd, payload):
    gen = struct.pack("=BBH", cmd, 1, 0)
    body = gen + payload
    return struct.pack("=IHHII", 16 + len(body), 0x20, 0, 0, 0) + body


rules = {
    "tcp-v4": u64(RULE["ID"], 7) + u8(RULE["ACTION"], 1) +
    s(RULE["PATH"], "/usr/bin/curl") + u8(RULE["PROTO"], 6) +
    u8(RULE["DIR"], 0) + attr(RULE["ADDR4"], bytes([198, 18, 1, 0])) +
    u8(RULE["PREFIX_LEN"], 24) + u16(RULE["PORT_MIN"], 80) +
    u16(RULE["PORT_MAX"], 443) + u32(RULE["UID"], 1500) +
    u8(RULE["LIFETIME"], 2) + u32(RULE["EXPIRE"], 300),
    "v6-any": u64(RULE["ID"], 1 << 63 | 3) + u8(RULE["ACTION"], 2) +
    attr(RULE["ADDR6"], bytes([0x20, 1, 0, 2] + [0] * 12)) +
    u8(RULE["PREFIX_LEN"], 48) + u64(RULE["HITS"], 12),
    "dir-prefix": u64(RULE["ID"], 9) + u8(RULE["ACTION"], 1) +
    s(RULE["PATH"], "/opt/") + u8(RULE["PROG_MATCH"], 1),
}
flows = {
    "pending": u64(FLOW["ID"], 42) + u32(FLOW["PID"], 100) +
    u32(FLOW["TGID"], 100) + u32(FLOW["UID"], 1500) +
    s(FLOW["PATH"], "/usr/bin/curl") +
    attr(FLOW["CMDLINE"], b"curl\0-s\0https://198.18.1.2/\0") +
    u8(FLOW["PROTO"], 6) + u8(FLOW["DIR"], 0) + u8(FLOW["FAMILY"], 2) +
    attr(FLOW["LOCAL_ADDR"], bytes([198, 18, 1, 1])) +
    attr(FLOW["REMOTE_ADDR"], bytes([198, 18, 1, 2])) +
    u16(FLOW["LOCAL_PORT"], 40000) + u16(FLOW["REMOTE_PORT"], 443),
    "verdict-v6": u64(FLOW["ID"], 43) + u8(FLOW["FAMILY"], 10) +
    attr(FLOW["REMOTE_ADDR"], bytes([0x20, 1, 0, 2] + [0] * 11 + [2])) +
    u8(FLOW["ACTION"], 2) + u8(FLOW["REASON"], 1) + u64(FLOW["RULE_ID"], 7),
}
stats = {"all": b"".join(u64(i, i * 1000) for i in range(1, 26))}
events = {
    "pending": msg(CMD["PENDING"], attr(A["FLOW"] | NESTED, flows["pending"]) +
                   u64(A["EVENTS_LOST"], 0)),
    "flow": msg(CMD["FLOW"], attr(A["FLOW"] | NESTED, flows["verdict-v6"])),
    "expired": msg(CMD["RULE_EXPIRED"], u64(A["RULE_ID"], 7)),
    "mode": msg(CMD["MODE"], u8(A["MODE"], 2)),
    "resolved": msg(CMD["RESOLVED"], u64(A["FLOW_ID"], 42) +
                    u8(A["ACTION"], 2) + u8(A["REASON"], 3) +
                    u64(A["EVENTS_LOST"], 5)),
}

here = os.path.dirname(os.path.abspath(__file__))
for name, seeds in (("rule", rules), ("flow", flows), ("stats", stats),
                    ("event", events)):
    d = os.path.join(here, "corpus-nl-" + name)
    os.makedirs(d, exist_ok=True)
    for k, v in seeds.items():
        with open(os.path.join(d, k + ".bin"), "wb") as f:
            f.write(v)
