#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/fd-linger.py - in the guest, for test-fd-headroom.sh: fill the
# daemon's descriptor table, punch holes low in it, then send SYNs that
# linger
#
# Copyright (C) 2026 The slirp4netns authors
#
# Usage: fd-linger.py ADDR PORT SILENT N
#  1. connects to ADDR:PORT (an echo server) until a connect fails
#     (at most 1000), keeping each connection;
#  2. closes the first 8 and waits half a second, so the daemon closes
#     their sockets;
#  3. starts N non-blocking connects to SILENT port 9 (nothing answers)
#     and, half a second later, counts those still pending (the daemon
#     took them and waits for its connect) and those refused at once.
# Prints one line
#   flows=F refused_first=ERRNAME lingering=L refused=R
# writes "ready" to fd 3, then holds everything until SIGUSR1 or SIGTERM
# (or 120 s) and closes it all.
import errno
import os
import select
import signal
import socket
import sys
import time


def main():
    addr, port, silent, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
        int(sys.argv[4])
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGTERM})
    held, first = [], "none"
    for _ in range(1000):
        s = socket.socket()
        s.settimeout(5)
        try:
            s.connect((addr, port))
        except OSError as e:
            first = errno.errorcode.get(e.errno, str(e.errno)) \
                if e.errno else type(e).__name__
            s.close()
            break
        held.append(s)
    flows = len(held)
    for s in held[:8]:
        s.close()
    held = held[8:]
    time.sleep(0.5)
    pending = []
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect((silent, 9))
        except BlockingIOError:
            pass
        pending.append(s)
    time.sleep(0.5)
    _, done, _ = select.select([], pending, [], 0)
    refused = sum(1 for s in done
                  if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) ==
                  errno.ECONNREFUSED)
    print("flows=%d refused_first=%s lingering=%d refused=%d" %
          (flows, first, len(pending) - len(done), refused), flush=True)
    os.write(3, b"ready\n")
    os.close(3)
    signal.sigtimedwait({signal.SIGUSR1, signal.SIGTERM}, 120)
    for s in held + pending:
        s.close()


main()
