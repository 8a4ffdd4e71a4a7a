#!/usr/bin/python3
"""Malformed and hand-made packets from raw sockets, and a listener that
counts what arrives (tests only).

usage:
  rawprobe.py send SRC4 DST4 SRC6 DST6   send every probe once (root)
  rawprobe.py listen IFACE SECONDS        count the probe frames seen on IFACE
  rawprobe.py names                       the probes, one a line

Every probe carries the marker b"E7PROBE" and its own number; the listener
(an AF_PACKET socket, which sees frames before any protocol checks them)
prints how many distinct probes it saw and which.
"""
import socket
import struct
import sys
import time

MARK = b"E7PROBE"
IPV6_HDRINCL = 36


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, frag=0):
    """An IPv4 header (no options) and @payload; @frag is flags|offset."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234, frag,
                      64, proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nexthdr, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nexthdr, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def tcp(flags, n):
    """A whole TCP header (ports 40000 -> 7001) with the marker as data."""
    return struct.pack("!HHIIBBHHH", 40000, 7001, 1, 1, 5 << 4, flags, 512, 0,
                       0) + MARK + bytes([n])


def dstopts(nexthdr, more):
    """An 8-byte IPv6 destination options header (PadN)."""
    return struct.pack("!BBBB4s", nexthdr, 0, 1, 4, b"\0" * 4) + more


def probes(src4, dst4, src6, dst6):
    """(name, family, packet) of every probe, numbered by position."""
    out = []

    def v4(name, proto, payload, frag=0):
        n = len(out)
        out.append((name, socket.AF_INET,
                    ipv4(src4, dst4, proto, payload(n), frag)))

    def v6(name, nexthdr, payload):
        n = len(out)
        out.append((name, socket.AF_INET6, ipv6(src6, dst6, nexthdr, payload(n))))

    v4("v4-tcp-4-bytes", 6, lambda n: struct.pack("!HH", 40000, 7001) + MARK + bytes([n]))
    v4("v4-udp-6-bytes", 17, lambda n: struct.pack("!HHH", 40000, 7002, 0) + MARK + bytes([n]))
    v4("v4-sctp-6-bytes", 132, lambda n: struct.pack("!HHH", 40000, 7003, 0) + MARK + bytes([n]))
    v4("v4-tcp-ack", 6, lambda n: tcp(0x10, n))
    v4("v4-tcp-rst", 6, lambda n: tcp(0x04, n))
    v4("v4-tcp-fragment", 6, lambda n: MARK + bytes([n]) + b"\0" * 16, frag=0x2000 | 10)
    v4("v4-proto-253", 253, lambda n: MARK + bytes([n]))
    v6("v6-tcp-4-bytes", 6, lambda n: struct.pack("!HH", 40000, 7001) + MARK + bytes([n]))
    v6("v6-udp-6-bytes", 17, lambda n: struct.pack("!HHH", 40000, 7002, 0) + MARK + bytes([n]))

    def chain(n):
        body = tcp(0x10, n)
        nh = 6
        for _ in range(12):
            body = dstopts(nh, body)
            nh = 60
        return body
    v6("v6-12-dstopts-tcp-ack", 60, chain)
    # An extension header that claims 64 bytes but has 8.
    v6("v6-truncated-dstopts", 60,
       lambda n: struct.pack("!BBBB4s", 6, 7, 1, 4, b"\0" * 4) + MARK + bytes([n]))
    # A non-first fragment of a TCP packet.
    v6("v6-tcp-fragment", 44,
       lambda n: struct.pack("!BBHI", 6, 0, (10 << 3) | 1, 0xE7) + MARK + bytes([n]) + b"\0" * 16)
    v6("v6-proto-253", 253, lambda n: MARK + bytes([n]))
    return out


def send(src4, dst4, src6, dst6):
    s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s6.setsockopt(socket.IPPROTO_IPV6, IPV6_HDRINCL, 1)
    for name, family, pkt in probes(src4, dst4, src6, dst6):
        try:
            if family == socket.AF_INET:
                s4.sendto(pkt, (dst4, 0))
            else:
                s6.sendto(pkt, (dst6, 0))
            print("sent", name)
        except OSError as e:
            print("refused", name, e.strerror)
        time.sleep(0.05)


def listen(iface, seconds):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((iface, 0))
    s.settimeout(0.2)
    names = [p[0] for p in probes("198.18.0.1", "198.18.0.2", "::1", "::2")]
    seen = set()
    print("listening", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            frame = s.recv(65535)
        except socket.timeout:
            continue
        i = frame.find(MARK)
        if i >= 0 and i + len(MARK) < len(frame):
            seen.add(frame[i + len(MARK)])
    print("seen %d:%s" % (len(seen), "".join(" " + names[n] for n in sorted(seen)
                                              if n < len(names))))


def main():
    if sys.argv[1] == "send":
        send(*sys.argv[2:6])
    elif sys.argv[1] == "listen":
        listen(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1] == "names":
        for p in probes("198.18.0.1", "198.18.0.2", "::1", "::2"):
            print(p[0])


if __name__ == "__main__":
    main()
