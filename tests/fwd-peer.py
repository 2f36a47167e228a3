#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/fwd-peer.py - the port forward tests' own ends (test-fwd.sh); the
# transfers themselves are tests/tcp-peer.py's, whose servers run in the
# guest and whose clients run on the host here.
#
# Copyright (C) 2026 The slirp4netns authors
#
#   whoami ADDR PORT               server: send each client "ADDR PORT" of
#                                  its peer, then close; prints "listening"
#   ask ADDR PORT [SRC]            client, bound to SRC if given: print the
#                                  server's line
#   refused ADDR PORT SECS         client: connect (the daemon accepts),
#                                  then print how the connection ended:
#                                  "closed", "reset", "data" or "open" if
#                                  it is still open after SECS
#   serial ADDR PORT N             N connections one after another: read
#                                  the server's first line, close; print
#                                  "ok N" or how many failed
#   mixed ADDR UP DOWN COUNT N ROUNDS
#                                  COUNT clients at once, half sending N
#                                  bytes to the sink server on port UP,
#                                  half reading N from the source server on
#                                  DOWN, ROUNDS times; print "ok TOTAL" or
#                                  what failed: each failed client's round,
#                                  direction, bytes moved, seconds since it
#                                  last moved any, and the error
import hashlib
import importlib.util
import os
import socket
import sys
import threading
import time

_spec = importlib.util.spec_from_file_location(
    "tcp_peer", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "tcp-peer.py"))
tp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tp)


def whoami(addr, port):
    ls = socket.socket(tp.family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(64)
    print("listening", flush=True)
    while True:
        c, peer = ls.accept()
        c.sendall(("%s %d\n" % (peer[0], peer[1])).encode())
        c.close()


def ask(addr, port, src):
    s = socket.socket(tp.family(addr), socket.SOCK_STREAM)
    s.settimeout(20)
    if src:
        s.bind((src, 0))
    s.connect((addr, port))
    print(s.makefile().readline().strip())
    return 0


def refused(addr, port, secs):
    s = tp.connect(addr, port)
    s.settimeout(secs)
    try:
        print("data" if s.recv(1) else "closed")
    except ConnectionResetError:
        print("reset")
    except socket.timeout:
        print("open")
    return 0


def serial(addr, port, n):
    bad, why = 0, ""
    for _ in range(n):
        try:
            with tp.connect(addr, port) as s:
                s.settimeout(10)
                if not s.makefile().readline().strip():
                    bad, why = bad + 1, "no line"
        except OSError as e:
            bad, why = bad + 1, str(e)
    print("ok %d" % n if not bad else "failed %d of %d: %s" % (bad, n, why))
    return 1 if bad else 0


class Progress:
    """What one client of mixed() moved, and when it last moved any."""

    def __init__(self):
        self.n = 0
        self.t0 = self.last = time.monotonic()

    def add(self, k):
        self.n += k
        self.last = time.monotonic()


def up(addr, port, n, pr):
    with tp.connect(addr, port) as s:
        mine = tp.send_pattern(s, n, pr.add)
        s.shutdown(socket.SHUT_WR)
        theirs = s.makefile().readline().strip()
    if theirs != mine:
        return "the server's hash differs (%r)" % theirs
    return None


def down(addr, port, n, pr):
    h = hashlib.sha256()
    with tp.connect(addr, port) as s:
        tp.read_all(s, h, progress=pr.add)
    if pr.n != n or h.hexdigest() != tp.digest(n):
        return "got %d bytes of %d%s" % (
            pr.n, n, ", hash differs" if pr.n == n else "")
    return None


def mixed(addr, uport, dport, count, n, rounds):
    fails = []
    slowest = 0.0

    def one(r, i, fn, port):
        pr = Progress()
        try:
            err = fn(addr, port, n, pr)
        except OSError as e:
            err = str(e) or type(e).__name__
        if err:
            now = time.monotonic()
            fails.append("round %d client %d %s: %d bytes moved, the last "
                         "%.1f s ago, after %.1f s: %s" % (
                             r, i, fn.__name__, pr.n, now - pr.last,
                             now - pr.t0, err))
        return pr

    for r in range(rounds):
        t0 = time.monotonic()
        ts = [threading.Thread(target=one, args=(r, i, down, dport) if i % 2
                               else (r, i, up, uport)) for i in range(count)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        slowest = max(slowest, time.monotonic() - t0)
        if fails:
            break
    if fails:
        print("failed %d: %s" % (len(fails), fails[0]))
        for f in fails[1:5]:
            print("  also %s" % f)
        print("  the slowest round took %.1f s" % slowest)
        return 1
    print("ok %d" % (count * rounds))
    return 0


def main(argv):
    cmd, addr, port = argv[1], argv[2], int(argv[3])
    rest = argv[4:]
    if cmd == "whoami":
        whoami(addr, port)
        return 0
    if cmd == "ask":
        return ask(addr, port, rest[0] if rest else None)
    if cmd == "refused":
        return refused(addr, port, float(rest[0]))
    if cmd == "serial":
        return serial(addr, port, int(rest[0]))
    if cmd == "mixed":
        return mixed(addr, port, int(rest[0]), int(rest[1]), int(rest[2]),
                     int(rest[3]))
    print("unknown command %s" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
