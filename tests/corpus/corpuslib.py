# SPDX-License-Identifier: GPL-2.0-or-later
# corpuslib.py - what gen-frames.py and gen-reasm.py share: the guest's MAC
# address and the Internet checksum
import struct

GUEST_MAC = bytes.fromhex("020000000064")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
