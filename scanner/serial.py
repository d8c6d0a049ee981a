"""serial: a barcode scanner (or a serial RFID reader) on a serial port, through pyserial.

    serial:///dev/ttyACM0?baudrate=9600&suffix=CR     a device path after `serial://`
    serial:loop://?suffix=CRLF                         a pyserial URL after `serial:` (loop://,
    serial:socket://10.0.0.7:4001                      socket://host:port, rfc2217://…)

Options (unknown ones are refused by name):
    baudrate=9600   bytesize=8 (5–8)   parity=N (N E O M S)   stopbits=1 (1 1.5 2)
    suffix=CR       what ends a code: CR, LF, CRLF, TAB, or NONE (a pause of `gap` ends it)
    prefix=TEXT     stripped from the start of a code when present (e.g. an AIM identifier)
    kind=barcode    barcode | rfid (the codes are EPCs in hexadecimal)
    location=CODE   a reader mounted at one place: every read is made there
    gap=0.1         seconds of silence that end a code when suffix=NONE (the read timeout)
    retry=0.5       seconds before reopening a lost port, doubling up to retry_max=30
The port is opened exclusively; when it disappears the driver reopens it with back-off."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from datetime import datetime

import serial  # pyserial (absolute import: this module is scanner.serial)

from scanner.frames import SUFFIXES, Framer
from scanner.scan import Scan, Status, UrlError
from scanner.url import Query

KNOWN = ("baudrate", "bytesize", "parity", "stopbits", "suffix", "prefix", "kind", "location", "gap",
         "retry", "retry_max")
STOPBITS = {"1": serial.STOPBITS_ONE, "1.5": serial.STOPBITS_ONE_POINT_FIVE, "2": serial.STOPBITS_TWO}


def port_of(url: str, target: str) -> str:
    """The device path or pyserial URL a `serial:` URL names."""
    if "://" in target.lstrip("/"):
        port = target.removeprefix("//")
        protocol = port.split("://", 1)[0]
        try:
            importlib.import_module(f"serial.urlhandler.protocol_{protocol}")
        except ImportError:
            raise UrlError(f"{url}: pyserial knows no {protocol}:// ports") from None
        return port
    if not target.startswith("//") or not target[2:]:
        raise UrlError(f"{url}: name the port as serial:///dev/ttyACM0 or serial:loop://")
    return target[2:]


class SerialDriver:
    """Reads codes framed by a suffix from a serial port; never ends by itself."""

    finite = False

    def __init__(self, url: str):
        q = Query(url, "serial", KNOWN)
        self.url = url
        self.port_name = port_of(url, q.target)
        self.settings = {
            "baudrate": q.integer("baudrate", 9600, 50, 4_000_000),
            "bytesize": q.integer("bytesize", 8, 5, 8),
            "parity": q.choice("parity", "N", serial.PARITY_NAMES),
            "stopbits": STOPBITS[q.choice("stopbits", "1", STOPBITS)],
            "timeout": q.number("gap", 0.1, 0.001),
        }
        self.suffix = q.choice("suffix", "CR", SUFFIXES)
        self.prefix = q.text("prefix", "") or ""
        self.kind = q.choice("kind", "barcode", ("barcode", "rfid"))
        self.location = q.text("location")
        self.retry = q.number("retry", 0.5, 0.001)
        self.retry_max = max(self.retry, q.number("retry_max", 30.0, 0.001))
        self.status = Status()
        self.port: serial.SerialBase | None = None  # while open (tests write into loop:// ports)

    def scans(self, stop: threading.Event) -> Iterator[Scan]:
        """Codes as they are read, until `stop` is set; a lost port is reopened with back-off."""
        framer = Framer(self.suffix, self.prefix)
        delay = self.retry
        while not stop.is_set():
            try:
                self.port = self._open()
            except (OSError, ValueError) as e:
                self.status.failed(f"cannot open {self.port_name}: {e}", lost=True)
                stop.wait(delay)
                delay = min(delay * 2, self.retry_max)
                continue
            self.status.connected()
            delay = self.retry
            try:
                yield from self._read(framer, stop)
            except OSError as e:  # pyserial's SerialException is an OSError
                self.status.failed(f"lost {self.port_name}: {e}", lost=True)
                if left := framer.reset():
                    self.status.failed(left)
                stop.wait(delay)
            finally:
                port, self.port = self.port, None
                port.close()
        self.status.disconnected()

    def _open(self) -> serial.SerialBase:
        port = serial.serial_for_url(self.port_name, do_not_open=True, **self.settings)
        port.exclusive = True  # two programs reading one scanner would each get half the codes
        port.open()
        return port

    def _read(self, framer: Framer, stop: threading.Event) -> Iterator[Scan]:
        port = self.port
        while not stop.is_set():
            data = port.read(port.in_waiting or 1)
            codes, errors = framer.feed(data) if data else framer.flush()
            for error in errors:
                self.status.failed(error)
            at = datetime.now().astimezone()
            for code in codes:
                yield Scan(code, self.kind, at, location=self.location)
