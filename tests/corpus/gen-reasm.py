#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# gen-reasm.py - write the seed corpus of fragment sequences: reasm/ for
# fuzz-reasm.c (records of clock advance, length, frame) and, for
# fuzz-frame.c, issue 15's crashing pair as two frames replayed in order
import os
import struct

from corpuslib import GUEST_MAC, csum

SLIRP_MAC = bytes.fromhex("52550a000202")
here = os.path.dirname(os.path.abspath(__file__))


def frag4(dst, proto, ident, off, more, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                      off // 8 | (0x2000 if more else 0), 64, proto, 0,
                      bytes([10, 0, 2, 100]), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return SLIRP_MAC + GUEST_MAC + b"\x08\x00" + hdr + payload


def frag6(ident, off, more, payload, dstopts=False):
    src = bytes.fromhex("fd000000000000000000000000000100")
    dst = bytes.fromhex("fd000000000000000000000000000002")
    fh = struct.pack("!BBHI", 17, 0, off | (1 if more else 0), ident)
    ext = b""
    nh = 44
    if dstopts:
        ext = bytes([44, 0, 1, 4, 0, 0, 0, 0])
        nh = 60
    body = ext + fh + payload
    hdr = struct.pack("!IHBB16s16s", 0x60000000, len(body), nh, 64, src, dst)
    return SLIRP_MAC + GUEST_MAC + b"\x86\xdd" + hdr + body


def seq(*frames):
    out = b""
    for adv, f in frames:
        out += struct.pack("!BH", adv, len(f)) + f
    return out


def write(d, name, data):
    os.makedirs(os.path.join(here, d), exist_ok=True)
    with open(os.path.join(here, d, name), "wb") as fh:
        fh.write(data)


DNS = [10, 0, 2, 3]
GW = [10, 0, 2, 2]
A, B = b"A" * 8, b"B" * 100
udp = struct.pack("!HHHH", 40000, 53, 8 + 1200, 0) + bytes(range(200)) * 6

write("reasm", "issue15-overlap", seq((0, frag4(DNS, 1, 7, 185 * 8, True, A)),
                                      (0, frag4(DNS, 1, 7, 184 * 8, False, B))))
write("reasm", "issue15-late", seq((0, frag4(DNS, 1, 8, 0, True, A)),
                                   (200, frag4(DNS, 1, 8, 8, False, B))))
write("reasm", "v4-out-of-order",
      seq((0, frag4(GW, 17, 9, 1024, False, udp[1024:])),
          (0, frag4(GW, 17, 9, 512, True, udp[512:1024])),
          (0, frag4(GW, 17, 9, 512, True, udp[512:1024])),
          (1, frag4(GW, 17, 9, 0, True, udp[:512]))))
write("reasm", "v6-dstopts",
      seq((0, frag6(5, 512, False, udp[512:], True)),
          (0, frag6(5, 0, True, udp[:512], True))))
write("reasm", "v6-atomic", seq((0, frag6(6, 0, False, udp[:64]))))
write("reasm", "v6-overlap",
      seq((0, frag6(7, 0, True, udp[:64])),
          (0, frag6(7, 56, False, udp[:64]))))
write("frame", "issue15-overlap-1", frag4(DNS, 1, 7, 185 * 8, True, A))
write("frame", "issue15-overlap-2", frag4(DNS, 1, 7, 184 * 8, False, B))
