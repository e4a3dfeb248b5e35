#!/usr/bin/python3
# Copyright 2026 The appoint developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The fastest honest SMTP peer for bench-mail: Debian's aiosmtpd on
# loopback, accepting every message and keeping only a count (the tests'
# smtp-server.py reads each as a mail client would, which would measure
# Python instead of appoint).
#
#   smtp-sink.py      prints the port, then on SIGTERM the count, and exits

import asyncio
import signal
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    done = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, done.set)
    loop.run_until_complete(done.wait())
    controller.stop()
    print(sink.count, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
