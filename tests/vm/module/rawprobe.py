#!/usr/bin/python3
"""Malformed and hand-made packets from raw sockets, and a listener that
counts what arrives (tests only).

usage:
  rawprobe.py send SRC4 DST4 SRC6 DST6   send every probe once (root)
  rawprobe.py listen IFACE SECONDS        count the probe frames seen on IFACE
  rawprobe.py names                       the probes, one a line
  rawprobe.py tcp IFACE MAC SRC4 DST4 PORT syn|ack SEQ
                                          one TCP segment (port 40001 -> PORT)
                                          in a frame on IFACE to MAC, from
                                          AF_PACKET: no hook sees it leave

Every probe is marked in its IP header, so that a truncated one needs no
payload: IPv4 identification 0xE700 + its number, IPv6 flow label
0xE7000 + its number. The listener (an AF_PACKET socket, which sees frames
before any protocol checks them) prints how many distinct probes it saw
and which.
"""
import socket
import struct
import sys
import time

MARK = 0xE7
IPV6_HDRINCL = 36


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ipv4(n, src, dst, proto, payload, frag=0):
    """Probe @n's IPv4 header (no options) and @payload; @frag is
    flags|offset."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), MARK << 8 | n, frag,
                      64, proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(n, src, dst, nexthdr, payload):
    return struct.pack("!IHBB16s16s", 6 << 28 | MARK << 12 | n, len(payload), nexthdr, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def tcp(flags):
    """A whole TCP header (ports 40000 -> 7001) and a little data."""
    return struct.pack("!HHIIBBHHH", 40000, 7001, 1, 1, 5 << 4, flags, 512, 0,
                       0) + b"e7"


def dstopts(nexthdr, more):
    """An 8-byte IPv6 destination options header (PadN)."""
    return struct.pack("!BBBB4s", nexthdr, 0, 1, 4, b"\0" * 4) + more


def probes(src4, dst4, src6, dst6):
    """(name, family, first header, packet) of every probe, numbered by
    position."""
    out = []

    def v4(name, proto, payload, frag=0):
        out.append((name, socket.AF_INET, proto,
                    ipv4(len(out), src4, dst4, proto, payload, frag)))

    def v6(name, nexthdr, payload):
        out.append((name, socket.AF_INET6, nexthdr,
                    ipv6(len(out), src6, dst6, nexthdr, payload)))

    # Transport headers cut short: the ports and no more.
    v4("v4-tcp-4-bytes", 6, struct.pack("!HH", 40000, 7001))
    v4("v4-udp-6-bytes", 17, struct.pack("!HHH", 40000, 7002, 6))
    v4("v4-sctp-6-bytes", 132, struct.pack("!HHH", 40000, 7003, 0))
    v4("v4-tcp-ack", 6, tcp(0x10))
    v4("v4-tcp-rst", 6, tcp(0x04))
    v4("v4-tcp-fragment", 6, b"\0" * 24, frag=0x2000 | 10)
    v4("v4-proto-253", 253, b"e7")
    v6("v6-tcp-4-bytes", 6, struct.pack("!HH", 40000, 7001))
    v6("v6-udp-6-bytes", 17, struct.pack("!HHH", 40000, 7002, 6))

    body = tcp(0x10)
    nh = 6
    for _ in range(12):
        body = dstopts(nh, body)
        nh = 60
    v6("v6-12-dstopts-tcp-ack", 60, body)
    # An extension header that claims 64 bytes but has 8.
    v6("v6-truncated-dstopts", 60, struct.pack("!BBBB4s", 6, 7, 1, 4, b"\0" * 4))
    # A non-first fragment of a TCP packet.
    v6("v6-tcp-fragment", 44,
       struct.pack("!BBHI", 6, 0, (10 << 3) | 1, 0xE7) + b"\0" * 24)
    v6("v6-proto-253", 253, b"e7")
    return out


def send(src4, dst4, src6, dst6):
    s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s6.setsockopt(socket.IPPROTO_IPV6, IPV6_HDRINCL, 1)
    for name, family, _, pkt in probes(src4, dst4, src6, dst6):
        try:
            if family == socket.AF_INET:
                s4.sendto(pkt, (dst4, 0))
            else:
                s6.sendto(pkt, (dst6, 0))
            print("sent", name)
        except OSError as e:
            print("refused", name, e.strerror)
        time.sleep(0.05)


def probe_of(frame, table):
    """The number of the probe in an Ethernet @frame, or None."""
    etype = struct.unpack_from("!H", frame, 12)[0]
    ip = frame[14:]
    if etype == 0x0800 and len(ip) >= 20:
        ident, first = struct.unpack_from("!H", ip, 4)[0], ip[9]
        n = ident & 0xFF if ident >> 8 == MARK else None
    elif etype == 0x86DD and len(ip) >= 40:
        word, first = struct.unpack_from("!I", ip, 0)[0], ip[6]
        n = word & 0xFFF if (word >> 12) & 0xFF == MARK else None
    else:
        return None
    if n is None or n >= len(table) or table[n][2] != first:
        return None
    return n


def listen(iface, seconds):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((iface, 0))
    s.settimeout(0.2)
    table = probes("198.18.0.1", "198.18.0.2", "::1", "::2")
    seen = set()
    print("listening", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            frame = s.recv(65535)
        except socket.timeout:
            continue
        n = probe_of(frame, table)
        if n is not None:
            seen.add(n)
    print("seen %d:%s" % (len(seen), "".join(" " + table[n][0] for n in sorted(seen))))


def mac_bytes(text):
    """"02:ab:..." as 6 bytes."""
    return bytes.fromhex(text.strip().replace(":", ""))


def mac_of(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        return mac_bytes(f.read())


def segment(iface, mac, src, dst, port, kind, seq):
    """A TCP SYN or ACK from @src to @dst, in an Ethernet frame to @mac (the
    peer's address: TCP drops frames not sent to it)."""
    flags = {"syn": 0x02, "ack": 0x10}[kind]
    th = struct.pack("!HHIIBBHHH", 40001, int(port), int(seq), 0, 5 << 4, flags, 65535, 0, 0)
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(src), socket.inet_aton(dst), 0, 6,
                         len(th))
    th = th[:16] + struct.pack("!H", csum(pseudo + th)) + th[18:]
    frame = mac_bytes(mac) + mac_of(iface) + b"\x08\x00" + ipv4(0, src, dst, 6, th)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(frame)


def main():
    if sys.argv[1] == "tcp":
        segment(*sys.argv[2:9])
    elif sys.argv[1] == "send":
        send(*sys.argv[2:6])
    elif sys.argv[1] == "listen":
        listen(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1] == "names":
        for p in probes("198.18.0.1", "198.18.0.2", "::1", "::2"):
            print(p[0])


if __name__ == "__main__":
    main()
