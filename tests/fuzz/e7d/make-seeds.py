#!/usr/bin/python3
# Writes the seed corpora of the netlink decoder targets (corpus-nl-*/):
# well-formed module messages built after module/include/uapi/linux/eftirlit7.h.
# The attribute numbers below follow that header; stale numbers only make
# weaker seeds.
import os
import struct

CMD = dict(PENDING=15, FLOW=16, RULE_EXPIRED=17, MODE=18, RESOLVED=19)
A = dict(MODE=2, RULE=16, RULE_ID=17, FLOW=18, FLOW_ID=19, ACTION=20,
         REASON=21, STATS=22, EVENTS_LOST=24)
RULE = dict(ID=1, ACTION=2, PROG_MATCH=3, PATH=4, PROTO=5, DIR=6, ADDR4=7,
            ADDR6=8, PREFIX_LEN=9, PORT_MIN=10, PORT_MAX=11, UID=12,
            LIFETIME=13, EXPIRE=14, HITS=15)
FLOW = dict(ID=1, PID=2, TGID=3, UID=4, PATH=5, CMDLINE=6, PROTO=7, DIR=8,
            FAMILY=9, LOCAL_ADDR=10, REMOTE_ADDR=11, LOCAL_PORT=12,
            REMOTE_PORT=13, ACTION=20, REASON=21, RULE_ID=22)
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
