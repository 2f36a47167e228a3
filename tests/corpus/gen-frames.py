#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# gen-frames.py - write the seed corpus of guest frames for fuzz-frame.c
import os
import struct

from corpuslib import GUEST_MAC, csum

SLIRP_MAC = bytes.fromhex("525500000002")
BCAST = b"\xff" * 6


def eth(dst, etype, payload):
    return dst + GUEST_MAC + struct.pack("!H", etype) + payload


def ip4(src, dst, proto, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0,
                      64, proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def l4sum4(src, dst, proto, seg):
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, proto, len(seg))
    return csum(pseudo + seg)


G = [10, 0, 2, 100]
H = [10, 0, 2, 2]
D = [10, 0, 2, 3]


def udp4(src, dst, sport, dport, data):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = l4sum4(src, dst, 17, seg)
    return ip4(src, dst, 17, seg[:6] + struct.pack("!H", c) + seg[8:])


def tcp4(src, dst, sport, dport, flags, data=b""):
    seg = struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, 5 << 4, flags,
                      65535, 0, 0) + data
    c = l4sum4(src, dst, 6, seg)
    return ip4(src, dst, 6, seg[:16] + struct.pack("!H", c) + seg[18:])


def icmp4_echo(src, dst):
    msg = struct.pack("!BBHHH", 8, 0, 0, 7, 1) + b"ping"
    msg = msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]
    return ip4(src, dst, 1, msg)


def arp_req(tip):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + GUEST_MAC + \
        bytes(G) + b"\0" * 6 + bytes(tip)


def dns_query(name):
    q = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack("!HH", 1, 1)


def dhcp_discover():
    bootp = struct.pack("!BBBBIHH", 1, 1, 6, 0, 0x1234, 0, 0x8000)
    bootp += b"\0" * 16 + GUEST_MAC + b"\0" * 10 + b"\0" * 192
    bootp += b"\x63\x82\x53\x63" + b"\x35\x01\x01" + b"\xff"
    return udp4([0, 0, 0, 0], [255] * 4, 68, 67, bootp)


def ip6(src, dst, nh, payload):
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, 255) + src + \
        dst + payload


def icmp6(src, dst, typ, body):
    msg = struct.pack("!BBH", typ, 0, 0) + body
    pseudo = src + dst + struct.pack("!IxxxB", len(msg), 58)
    c = csum(pseudo + msg)
    return ip6(src, dst, 58, msg[:2] + struct.pack("!H", c) + msg[4:])


LL = bytes.fromhex("fe800000000000000000000000000064")
G6 = bytes.fromhex("fd000000000000000000000000000100")
H6 = bytes.fromhex("fd000000000000000000000000000002")
ALLR = bytes.fromhex("ff020000000000000000000000000002")
F6 = bytes.fromhex("fd000000000000000000000000000050")
SNM50 = bytes.fromhex("ff0200000000000000000001ff000050")

frames = {
    "arp-gateway": eth(BCAST, 0x0806, arp_req(H)),
    "arp-dns": eth(BCAST, 0x0806, arp_req(D)),
    "icmp-echo-gateway": eth(SLIRP_MAC, 0x0800, icmp4_echo(G, H)),
    "tcp-syn-gateway": eth(SLIRP_MAC, 0x0800, tcp4(G, H, 40000, 80, 0x02)),
    "tcp-rst": eth(SLIRP_MAC, 0x0800, tcp4(G, H, 40000, 80, 0x04)),
    "udp-dns-query": eth(SLIRP_MAC, 0x0800,
                         udp4(G, D, 5353, 53, dns_query("example.test"))),
    "dhcp-discover": eth(BCAST, 0x0800, dhcp_discover()),
    "ipv6-router-solicit": eth(bytes.fromhex("333300000002"), 0x86DD,
                               icmp6(LL, ALLR, 133, b"\0" * 4)),
    "ipv6-echo-gateway": eth(SLIRP_MAC, 0x86DD,
                             icmp6(G6, H6, 128, struct.pack("!HH", 1, 1))),
    # remote forwards (fuzz-frame.c adds 10.0.2.50:80 and [fd00::50]:80)
    "arp-forward": eth(BCAST, 0x0806, arp_req([10, 0, 2, 50])),
    "ndp-ns-forward": eth(bytes.fromhex("3333ff000050"), 0x86DD,
                          icmp6(G6, SNM50, 135, b"\0" * 4 + F6 +
                                b"\x01\x01" + GUEST_MAC)),
    "tcp-syn-forward": eth(SLIRP_MAC, 0x0800,
                           tcp4(G, [10, 0, 2, 50], 40000, 80, 0x02)),
    "truncated-ip": eth(SLIRP_MAC, 0x0800, b"\x45\x00\x00\x54"),
    "short": b"\x00\x01\x02",
    "unknown-ethertype": eth(SLIRP_MAC, 0x88B5, b"hello"),
    "ip-fragment": eth(SLIRP_MAC, 0x0800,
                       ip4(G, H, 17, b"\0" * 16)[:6] + b"\x20\x00" +
                       ip4(G, H, 17, b"\0" * 16)[8:]),
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "frame")
os.makedirs(out, exist_ok=True)
for name, data in frames.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
