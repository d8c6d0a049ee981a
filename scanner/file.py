"""file: replay reads from a JSONL file, one scan event per line (e.g. a handheld's export).

    file://reads.jsonl                   a path relative to the working directory
    file:///var/lib/kho/reads.jsonl      an absolute path
    file://reads.jsonl?pace=1            at the pace the reads were made (pace=2: twice as fast)

A line is a scan event as in CONTRACT.md: `code` and `at` (ISO 8601 with offset) are needed, `kind`
(default barcode), `location` and `antenna` are kept; `device`, `seq` and `context` are ignored (the
daemon numbers the reads of its own device). A line that is not JSON is a barcode code read now.
Options (unknown ones are refused by name):
    pace=0       0 replays as fast as possible; otherwise a speed factor over the original gaps
    at=file      file keeps each read's time; now stamps it when it is replayed
A bad line is reported with its number and skipped. The driver ends at the end of the file."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from scanner.scan import Scan, Status, UrlError
from scanner.url import Query

KNOWN = ("pace", "at")
KINDS = ("barcode", "rfid")


class BadLine(ValueError):
    """A line that holds no usable read; the message says why."""


def scan_of(line: str, now: datetime) -> Scan:
    """The read a line holds; a ValueError says what is wrong with it."""
    text = line.strip()
    if not text.startswith("{"):
        return Scan(text, "barcode", now)
    event = json.loads(text)
    if not isinstance(event, dict):
        raise BadLine("not a JSON object")
    code, kind, at = event.get("code"), event.get("kind", "barcode"), event.get("at")
    if not isinstance(code, str) or not code.strip():
        raise BadLine("no code")
    if kind not in KINDS:
        raise BadLine(f"kind {kind!r} is not barcode or rfid")
    if not isinstance(at, str):
        raise BadLine("no time (at)")
    antenna = event.get("antenna")
    if antenna is not None and (not isinstance(antenna, int) or isinstance(antenna, bool)):
        raise BadLine(f"antenna {antenna!r} is not a whole number")
    location = event.get("location")
    if location is not None and not isinstance(location, str):
        raise BadLine(f"location {location!r} is not text")
    return Scan(code.strip(), kind, datetime.fromisoformat(at), antenna=antenna, location=location)


class FileDriver:
    """Replays a file once, then ends."""

    finite = True

    def __init__(self, url: str):
        q = Query(url, "file", KNOWN)
        if not q.target.startswith("//") or not q.target[2:]:
            raise UrlError(f"{url}: name the file as file://reads.jsonl or file:///path/reads.jsonl")
        self.url = url
        self.path = Path(q.target[2:])
        self.pace = q.number("pace", 0.0)
        self.restamp = q.choice("at", "file", ("file", "now")) == "now"
        self.status = Status()

    def scans(self, stop: threading.Event) -> Iterator[Scan]:
        """Each good line's read, in order, until the end of the file or `stop`."""
        try:
            lines = self.path.open(encoding="utf-8-sig")
        except OSError as e:
            self.status.failed(f"cannot open {self.path}: {e}", lost=True)
            return
        self.status.connected()
        previous: datetime | None = None
        with lines:
            for number, line in enumerate(lines, 1):
                if stop.is_set():
                    break
                if not line.strip():
                    continue
                now = datetime.now().astimezone()
                try:
                    scan = scan_of(line, now)
                except ValueError as e:
                    self.status.failed(f"{self.path} line {number}: {e}")
                    continue
                if self._pause(previous, scan.at, stop):
                    break
                previous = scan.at
                yield replace(scan, at=datetime.now().astimezone()) if self.restamp else scan
        self.status.disconnected()

    def _pause(self, previous: datetime | None, at: datetime, stop: threading.Event) -> bool:
        """Wait as long as the reads were apart (scaled by pace); True when stopped meanwhile."""
        if not self.pace or previous is None or at <= previous:
            return False
        return stop.wait((at - previous).total_seconds() / self.pace)
