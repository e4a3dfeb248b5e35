#!/usr/bin/python3
# Copyright 2026 The appoint developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real SMTP server on loopback for the tests (Debian's python3-aiosmtpd),
# reading every message as a mail client would (Python's email package and
# Debian's python3-icalendar).
#
#   smtp-server.py DIR [PORT]
#
# Listens on 127.0.0.1:PORT (a free port when 0 or absent) and prints the
# port alone on a line once it accepts. Each message is written to DIR as
# N.eml, the bytes received, and N.json: the envelope and what a calendar
# would make of it (method of the text/calendar part and of the VCALENDAR,
# UID, SEQUENCE, STATUS, DTSTART, the attendees, the Message-ID, whether a
# VALARM is there). A recipient containing "reject" is refused with 550.
# Stops on SIGTERM.

import asyncio
import email
import json
import os
import signal
import socket
import sys
from email import policy

from aiosmtpd.controller import Controller
import icalendar


def summarise(raw):
    msg = email.message_from_bytes(raw, policy=policy.default)
    out = {
        "message_id": msg["Message-ID"],
        "subject": str(msg["Subject"]),
        "to": str(msg["To"]),
        "from": str(msg["From"]),
        "content_type": msg.get_content_type(),
        "parts": [p.get_content_type() for p in msg.walk()],
    }
    calendars = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    attachments = [p for p in msg.walk() if p.get_content_type() == "application/ics"]
    out["attachment_name"] = attachments[0].get_filename() if attachments else None
    plain = msg.get_body(preferencelist=("plain",))
    out["text"] = plain.get_content() if plain is not None else None
    if calendars:
        part = calendars[0]
        out["part_method"] = part.get_param("method")
        out["part_charset"] = part.get_content_charset()
        body = part.get_payload(decode=True)
        out["calendar_crlf_only"] = b"\n" not in body.replace(b"\r\n", b"")
        cal = icalendar.Calendar.from_ical(body)
        out["method"] = str(cal.get("method"))
        events = [c for c in cal.walk("VEVENT")]
        out["events"] = len(events)
        ev = events[0]
        out["uid"] = str(ev.get("uid"))
        out["sequence"] = int(ev.get("sequence"))
        out["status"] = str(ev.get("status"))
        out["dtstart"] = int(ev.decoded("dtstart").timestamp())
        out["dtend"] = int(ev.decoded("dtend").timestamp())
        out["dtstamp"] = int(ev.decoded("dtstamp").timestamp())
        out["organizer"] = str(ev.get("organizer"))
        attendees = ev.get("attendee")
        if not isinstance(attendees, list):
            attendees = [attendees]
        out["attendees"] = [str(a) for a in attendees]
        out["valarm"] = any(True for _ in ev.walk("VALARM"))
    return out


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "reject" in address:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%d" % self.count)
        raw = envelope.original_content or envelope.content
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        summary = summarise(raw)
        summary["mail_from"] = envelope.mail_from
        summary["rcpt_tos"] = envelope.rcpt_tos
        with open(base + ".json.tmp", "w") as f:
            json.dump(summary, f, indent=1)
        os.rename(base + ".eml.tmp", base + ".eml")
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def main():
    directory = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if port == 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Handler(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    loop = asyncio.new_event_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    loop.add_signal_handler(signal.SIGINT, stop.set_result, None)
    loop.run_until_complete(stop)
    controller.stop()


if __name__ == "__main__":
    main()
