#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/tcp-peer.py - both ends of the TCP path's tests (test-tcp.sh)
#
# Copyright (C) 2026 The slirp4netns authors
#
# Server (on the host side), one mode per process, a thread per connection;
# prints "listening" once it is:
#   serve ADDR PORT sink           read to EOF, answer the SHA-256 of it
#                                  (so it sends after the client's FIN)
#   serve ADDR PORT source N END   send N bytes of the test pattern, then
#                                  END: close, or reset (SO_LINGER 0)
#   serve ADDR PORT greet          say "hello" at once, then read to EOF
#   serve ADDR PORT hostfin FILE   shut down its sending side at once,
#                                  then read a length-prefixed pattern and
#                                  add "hostfin ok N" or "hostfin bad" to
#                                  FILE
#   serve ADDR PORT slowread SECS  sink, after SECS without reading
#   serve ADDR PORT trickle        sink, reading 64 KiB every 2 ms at most:
#                                  the sender's socket buffer fills
#   serve ADDR PORT slowaccept SECS  greet, but the first SECS the accept
#                                  queue is full: SYNs to it are dropped
#   serve ADDR PORT save FILE      read to EOF into FILE (replaced)
# Client (in the guest); exit 0 only if all is well:
#   send ADDR PORT N               send N pattern bytes, FIN, compare the
#                                  server's SHA-256 with ours
#   recv ADDR PORT N [PAUSE]       read to EOF (after 64 KiB, stop reading
#                                  for PAUSE s); compare with the pattern;
#                                  prints "ok N" or "ok N reset"
#   hostfin ADDR PORT N            wait for the server's FIN, then send
#   greet ADDR PORT                print the server's first line
#   connect ADDR PORT              print "connected", or the error's name
#   many ADDR PORT COUNT N         COUNT "send N" at once
#   reuse ADDR PORT LPORT          to a source server from local port
#                                  LPORT: read to its FIN and close, again
#                                  at once, read a little and reset, again
#   keepalive ADDR PORT            to a greet server: idle 4 s with a
#                                  keep-alive probe every second, 2 lost
#                                  ones reset; then send and get EOF
import errno
import fcntl
import hashlib
import os
import random
import socket
import struct
import sys
import termios
import threading
import time

CHUNK = 65536
# The pattern: a fixed random block, each 64 KiB chunk stamped with its
# number, so that a chunk that comes twice or out of place changes the hash.
BLOCK = random.Random(17).randbytes(CHUNK)


def chunk(i, size=CHUNK):
    return (struct.pack(">Q", i) + BLOCK[8:])[:size]


def pattern(n):
    i = 0
    while n > 0:
        c = chunk(i, min(n, CHUNK))
        yield c
        n -= len(c)
        i += 1


def digest(n):
    h = hashlib.sha256()
    for c in pattern(n):
        h.update(c)
    return h.hexdigest()


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def read_all(s, h=None, pace=0, progress=None):
    n = 0
    while True:
        if pace:
            time.sleep(pace)
        b = s.recv(1 << 16 if pace else 1 << 20)
        if not b:
            return n
        n += len(b)
        if h:
            h.update(b)
        if progress:
            progress(len(b))


def send_pattern(s, n, progress=None):
    h = hashlib.sha256()
    for c in pattern(n):
        s.sendall(c)
        h.update(c)
        if progress:
            progress(len(c))
    return h.hexdigest()


def serve_one(c, mode, args):
    try:
        if mode in ("sink", "slowread", "trickle"):
            if mode == "slowread":
                time.sleep(float(args[0]))
            h = hashlib.sha256()
            read_all(c, h, 0.002 if mode == "trickle" else 0)
            c.sendall((h.hexdigest() + "\n").encode())
        elif mode == "source":
            send_pattern(c, int(args[0]))
            if args[1] == "reset":
                # all delivered first: a reset drops what is unsent
                for _ in range(1000):
                    q = fcntl.ioctl(c, termios.TIOCOUTQ, b"\0" * 4)
                    if struct.unpack("i", q)[0] == 0:
                        break
                    time.sleep(0.01)
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        elif mode in ("greet", "slowaccept"):
            c.sendall(b"hello\n")
            read_all(c)
        elif mode == "save":
            with open(args[0], "wb") as f:
                while True:
                    b = c.recv(1 << 16)
                    if not b:
                        break
                    f.write(b)
        elif mode == "hostfin":
            c.shutdown(socket.SHUT_WR)
            hdr = b""
            while len(hdr) < 8:
                b = c.recv(8 - len(hdr))
                if not b:
                    break
                hdr += b
            n = struct.unpack(">Q", hdr)[0] if len(hdr) == 8 else -1
            h = hashlib.sha256()
            got = read_all(c, h)
            ok = got == n and h.hexdigest() == digest(n)
            with open(args[0], "a") as f:
                f.write("hostfin %s %d\n" % ("ok" if ok else "bad", got))
    except OSError as e:
        print("server: %s: %s" % (mode, e), flush=True)
        if os.environ.get("TCP_PEER_ERRLOG"):
            with open(os.environ["TCP_PEER_ERRLOG"], "a") as f:
                f.write("server: %s: %s\n" % (mode, e))
    finally:
        c.close()


def serve(addr, port, mode, args):
    ls = socket.socket(family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    if mode == "slowaccept":
        # A full accept queue: the kernel drops new SYNs until we accept.
        ls.listen(0)
        blocker = socket.create_connection((addr, port))
        print("listening", flush=True)
        time.sleep(float(args[0]))
        ls.accept()[0].close()
        blocker.close()
    else:
        ls.listen(512)
        print("listening", flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve_one, args=(c, mode, args),
                         daemon=True).start()


def connect(addr, port):
    return socket.create_connection((addr, port), timeout=60)


def client_send(addr, port, n):
    s = connect(addr, port)
    mine = send_pattern(s, n)
    s.shutdown(socket.SHUT_WR)
    theirs = s.makefile().readline().strip()
    s.close()
    if theirs != mine:
        print("mismatch: sent %s, the server got %s" % (mine, theirs))
        return 1
    return 0


def client_recv(addr, port, n, pause):
    s = connect(addr, port)
    h = hashlib.sha256()
    got, reset = 0, False
    try:
        if pause:
            while got < CHUNK:
                b = s.recv(CHUNK - got)
                if not b:
                    break
                got += len(b)
                h.update(b)
            time.sleep(pause)
        got += read_all(s, h)
    except ConnectionResetError:
        reset = True
    s.close()
    if got != n or h.hexdigest() != digest(n):
        print("got %d bytes of %d%s, hash %s" %
              (got, n, " then a reset" if reset else "",
               "ok" if h.hexdigest() == digest(got) else "wrong"))
        return 1
    print("ok %d%s" % (n, " reset" if reset else ""))
    return 0


def client_hostfin(addr, port, n):
    s = connect(addr, port)
    if s.recv(1) != b"":
        print("data before the server's FIN")
        return 1
    s.sendall(struct.pack(">Q", n))
    send_pattern(s, n)
    s.shutdown(socket.SHUT_WR)
    s.close()
    print("sent")
    return 0


def client_connect(addr, port):
    try:
        connect(addr, port).close()
        print("connected")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e)))
    return 0


def greet_from(addr, port, lport, rst):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(20)
    s.bind(("::" if ":" in addr else "0.0.0.0", lport))
    s.connect((addr, port))
    if rst:
        got = len(s.recv(100))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
    else:
        # the server closes first: no TIME_WAIT on the guest's side
        got = read_all(s)
    s.close()
    return "ok" if got else "nothing"


def client_reuse(addr, port, lport):
    got = []
    for rst in (False, False, True, True):
        got.append(greet_from(addr, port, lport, rst))
        time.sleep(0.2)  # the guest's last ACK of the FIN goes out
    print(" ".join(got))
    return 0 if got == ["ok"] * 4 else 1


def client_keepalive(addr, port):
    s = connect(addr, port)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 2)
    line = s.makefile().readline().strip()
    time.sleep(4)
    s.sendall(b"x")
    s.shutdown(socket.SHUT_WR)
    rest = s.recv(10)
    print("%s alive" % line if rest == b"" else "unexpected data")
    return 0


def main(argv):
    cmd, addr, port = argv[1], argv[2], int(argv[3])
    rest = argv[4:]
    if cmd == "serve":
        serve(addr, port, rest[0], rest[1:])
        return 0
    if cmd == "send":
        return client_send(addr, port, int(rest[0]))
    if cmd == "recv":
        return client_recv(addr, port, int(rest[0]),
                           float(rest[1]) if len(rest) > 1 else 0)
    if cmd == "hostfin":
        return client_hostfin(addr, port, int(rest[0]))
    if cmd == "greet":
        s = connect(addr, port)
        print(s.makefile().readline().strip())
        return 0
    if cmd == "reuse":
        return client_reuse(addr, port, int(rest[0]))
    if cmd == "keepalive":
        return client_keepalive(addr, port)
    if cmd == "connect":
        return client_connect(addr, port)
    if cmd == "many":
        count, n = int(rest[0]), int(rest[1])
        res = []
        ts = [threading.Thread(target=lambda: res.append(
            client_send(addr, port, n))) for _ in range(count)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        bad = sum(1 for r in res if r != 0) + count - len(res)
        print("ok %d" % (count - bad) if not bad else "failed %d" % bad)
        return 1 if bad else 0
    print("unknown command %s" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
