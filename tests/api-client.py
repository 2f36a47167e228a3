#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/api-client.py - API socket clients for the integration tests
#
# Copyright (C) 2026 The slirp4netns authors
#
# Usage: api-client.py SOCKET MODE [ARG...]
#
# Well-behaved clients print each reply on its own line, and fail (exit 4)
# if a reply does not end with a newline:
#   old REQ...        one connection per request: send it, shutdown(SHUT_WR),
#                     read until the server closes (slirp4netns(1) clients)
#   go REQ...         the same with a newline after the request (RootlessKit:
#                     json.Encoder, CloseWrite, ReadAll)
#   podman REQ...     newline, CloseWrite, then a single read of 2048 bytes
#   oneshot REQ       no newline, no shutdown: the server must close
#   keepalive REQ...  one connection: send each request with its newline,
#                     read its reply line, then the next; print "open" if
#                     the connection is still open at the end
#   pipeline REQ...   one connection, every request in one write
#   raw BYTES         send BYTES (Python escapes allowed), shutdown, print
#                     the reply lines
# Abusive clients, each printing one word on how it ended:
#   silent SECS       connect, send nothing; "closed" if the server closes
#                     within SECS, "open" otherwise
#   slow SECS         send a byte every 100 ms; "closed" or "open" likewise
#   flood             send an endless request; print the reply, "closed"
#   noread SECS       pipeline requests without reading any reply until the
#                     socket is full; "closed" if the server drops us
#                     within SECS, "open" otherwise
#   many N REQ        open N connections first, then send REQ on each and
#                     read every reply; print the number of good replies
#   hold N SECS       open N silent connections and keep them SECS seconds;
#                     print how many the server closed meanwhile
# With API_READY_FD=N in the environment, abusive clients write "connected"
# to fd N once connected, and close it (for spawn_ready in tests/lib.sh).
import os
import socket
import sys
import time

TIMEOUT = float(os.environ.get("S4N_TIMEOUT", "10"))


def connect(path, timeout=TIMEOUT):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def ready():
    fd = os.environ.get("API_READY_FD")
    if fd:
        os.write(int(fd), b"connected\n")
        os.close(int(fd))


def read_all(s):
    """Read until the server closes. A reset after the reply counts as a
    close: the server may drop a client whose input it did not read."""
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def print_replies(data):
    if not data:
        print("(no reply)")
        sys.exit(5)
    if not data.endswith(b"\n"):
        print(data.decode(errors="replace"))
        print("reply does not end with a newline", file=sys.stderr)
        sys.exit(4)
    sys.stdout.write(data.decode())


def read_line(s, buf):
    while b"\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    line, _, rest = buf.partition(b"\n")
    return line, rest


def closed_within(s, secs):
    """True if the server closes (EOF or reset) within secs seconds."""
    s.settimeout(secs)
    try:
        while s.recv(65536):
            pass
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def main():
    path, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if mode in ("old", "go", "podman"):
        for req in args:
            s = connect(path)
            try:
                s.sendall(req.encode() + (b"" if mode == "old" else b"\n"))
                s.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer and close before reading all
            data = s.recv(2048) if mode == "podman" else read_all(s)
            print_replies(data)
            s.close()
    elif mode == "oneshot":
        s = connect(path)
        s.sendall(args[0].encode())
        print_replies(read_all(s))
    elif mode == "keepalive":
        s = connect(path)
        buf = b""
        for req in args:
            s.sendall(req.encode() + b"\n")
            line, buf = read_line(s, buf)
            if line is None:
                print("closed early")
                sys.exit(5)
            print(line.decode())
        print("open" if not closed_within(s, 0.5) else "closed")
    elif mode == "pipeline":
        s = connect(path)
        s.sendall(b"".join(r.encode() + b"\n" for r in args))
        buf = b""
        for _ in args:
            line, buf = read_line(s, buf)
            if line is None:
                print("closed early")
                sys.exit(5)
            print(line.decode())
    elif mode == "raw":
        s = connect(path)
        s.sendall(args[0].encode().decode("unicode_escape").encode("latin-1"))
        s.shutdown(socket.SHUT_WR)
        print_replies(read_all(s))
    elif mode == "silent":
        s = connect(path)
        ready()
        print("closed" if closed_within(s, float(args[0])) else "open")
    elif mode == "slow":
        s = connect(path)
        ready()
        end = time.monotonic() + float(args[0])
        try:
            for b in b'{"execute":"list_hostfwd"' + b" " * 100000:
                if time.monotonic() > end:
                    print("open")
                    return
                s.send(bytes([b]))
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            print("closed")
    elif mode == "flood":
        s = connect(path)
        ready()
        data = b""
        try:
            s.sendall(b'{"execute":"list_hostfwd","pad":"')
            while True:
                s.sendall(b"a" * 4096)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            data = read_all(s)
        except ConnectionResetError:
            pass
        print(data.decode().strip())
        print("closed")
    elif mode == "noread":
        s = connect(path)
        ready()
        s.setblocking(False)
        req = b'{"execute":"list_hostfwd"}\n' * 100
        try:
            while True:
                s.send(req)
        except BlockingIOError:
            pass
        except (BrokenPipeError, ConnectionResetError):
            print("closed")
            return
        # The socket is full both ways; now see if the server gives up.
        s.setblocking(True)
        s.settimeout(float(args[0]))
        end = time.monotonic() + float(args[0])
        try:
            while time.monotonic() < end:
                s.send(req)
            print("open")
        except (BrokenPipeError, ConnectionResetError):
            print("closed")
        except socket.timeout:
            print("open")
    elif mode == "many":
        n, req = int(args[0]), args[1].encode() + b"\n"
        socks = [connect(path) for _ in range(n)]
        for s in socks:
            s.sendall(req)
        good = 0
        for s in socks:
            line, _ = read_line(s, b"")
            if line is not None and line.startswith(b'{"return"'):
                good += 1
            s.close()
        print(good)
    elif mode == "hold":
        n, secs = int(args[0]), float(args[1])
        socks = [connect(path) for _ in range(n)]
        ready()
        time.sleep(secs)
        early = 0
        for s in socks:
            if closed_within(s, 0.01):
                early += 1
        print(early)
    else:
        print("unknown mode " + mode, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    try:
        main()
    except socket.timeout:
        print("timed out", file=sys.stderr)
        sys.exit(3)
