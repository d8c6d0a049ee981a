"""Scan events as they come in: checked field by field, refused with the reason when malformed.

A valid event becomes an Event (plain values, `at` aware); its `content` tuple is what decides
whether a second event with the same (device, seq) is a duplicate (same content) or a conflict."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import TypeGuard

KINDS = ("barcode", "rfid")
EPC = re.compile(r"^[0-9A-Fa-f]{24}$")
MIN_SEQ, MAX_SEQ = -(2**63), 2**63 - 1
MAX_DEVICE, MAX_CODE, MAX_LOCATION = 80, 200, 80
_loads = json.JSONDecoder().decode


@dataclass(slots=True)
class Event:
    device: str
    seq: int
    code: str
    kind: str
    at: datetime  # aware, with the device's offset
    utc: datetime  # the same instant, naive UTC (as stored)
    stamp: str  # that instant as SQLite stores it: "YYYY-MM-DD HH:MM:SS.ffffff"
    offset: int  # minutes east of UTC
    location: str | None
    antenna: int | None
    context: str | None  # canonical JSON text
    stocktake: int | None
    line: int

    @property
    def key(self) -> tuple[str, int]:
        return self.device, self.seq

    @property
    def content(self) -> tuple:
        return (self.code, self.kind, self.utc, self.offset, self.location, self.antenna, self.context)

    def as_json(self) -> dict:
        """The event as Kho keeps it (JSON-faithful: `at` with its offset)."""
        return as_json(self.device, self.seq, self.content)


def as_json(device: str, seq: int, content: tuple) -> dict:
    """An event's JSON form from its device, seq and content tuple."""
    code, kind, utc, offset, location, antenna, context = content
    at = utc.replace(tzinfo=UTC).astimezone(timezone(timedelta(minutes=offset))).isoformat()
    event = {"device": device, "seq": seq, "code": code, "kind": kind, "at": at}
    if location is not None:
        event["location"] = location
    if antenna is not None:
        event["antenna"] = antenna
    if context is not None:
        event["context"] = json.loads(context)
    return event


class Malformed(ValueError):
    """Why an event is refused (the message names the field)."""


def _integer(value) -> TypeGuard[int]:
    return type(value) is int


def check(raw, line: int, stocktake: int | None = None) -> Event:
    """The Event in `raw` (a decoded JSON object), or Malformed naming the first bad field."""
    if type(raw) is not dict:
        raise Malformed("an event must be a JSON object")
    get = raw.get
    device, seq, code, kind, at = get("device"), get("seq"), get("code"), get("kind"), get("at")
    if type(device) is not str or not device.strip():
        raise Malformed("missing device" if device is None else "device must be a non-empty string")
    if len(device) > MAX_DEVICE:
        raise Malformed(f"device is longer than {MAX_DEVICE} characters")
    if not _integer(seq):
        raise Malformed("missing seq" if seq is None else "seq must be an integer")
    if not MIN_SEQ <= seq <= MAX_SEQ:
        raise Malformed("seq must fit in 64 bits")
    if type(code) is not str or not code:
        raise Malformed("missing code" if code is None else "code must be a non-empty string")
    if len(code) > MAX_CODE:
        raise Malformed(f"code is longer than {MAX_CODE} characters")
    if kind not in KINDS:
        raise Malformed("missing kind" if kind is None else "kind must be 'barcode' or 'rfid'")
    if kind == "rfid" and not EPC.match(code):
        raise Malformed(f"an rfid code must be an EPC of 24 hexadecimal digits, not {code!r}")
    when, utc, stamp, offset = _instant(at)
    location, antenna, context = get("location"), get("antenna"), get("context")
    if location is not None and (type(location) is not str or len(location) > MAX_LOCATION):
        raise Malformed(f"location must be a location code (a string of at most {MAX_LOCATION})")
    if antenna is not None and not _integer(antenna):
        raise Malformed("antenna must be an integer")
    if context is None and stocktake is not None:
        context = {"stocktake": stocktake}
    text, taken = _context(context) if context is not None else (None, None)
    return Event(device, seq, code, kind, when, utc, stamp, offset, location, antenna, text, taken, line)


_INSTANTS: dict[str, tuple] = {}  # `at` text → (aware, naive UTC, stamp, offset): reads share seconds


def _instant(at) -> tuple:
    """(aware time, naive UTC, stored stamp, offset minutes) of an `at` text, or Malformed."""
    known = _INSTANTS.get(at) if type(at) is str else None
    if known is not None:
        return known
    when, offset = _parse_instant(at)
    utc = when.replace(tzinfo=None) - timedelta(minutes=offset)
    if len(_INSTANTS) >= 50_000:
        _INSTANTS.clear()
    known = _INSTANTS[at] = (when, utc, utc.isoformat(" ", "microseconds"), offset)
    return known


def _parse_instant(at) -> tuple[datetime, int]:
    if at is None:
        raise Malformed("missing at")
    if type(at) is not str:
        raise Malformed("at must be an ISO 8601 string")
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise Malformed(f"at {at!r} is not an ISO 8601 time") from None
    offset = when.utcoffset()
    if offset is None:
        raise Malformed(f"at {at!r} has no UTC offset (e.g. +07:00)")
    seconds = offset.days * 86400 + offset.seconds
    if seconds % 60 or offset.microseconds:
        raise Malformed(f"at {at!r}: the offset must be whole minutes")
    return when, seconds // 60


def _context(context) -> tuple[str | None, int | None]:
    """The canonical JSON text of a context object and the stock-take it names."""
    if context is None:
        return None, None
    if type(context) is not dict:
        raise Malformed("context must be a JSON object")
    stocktake = context.get("stocktake")
    if stocktake is not None and not (_integer(stocktake) and 0 < stocktake < 2**31):
        raise Malformed("context.stocktake must be a positive integer (a stock-take id)")
    return json.dumps(context, ensure_ascii=False, sort_keys=True, separators=(",", ":")), stocktake


def decode_lines(numbered) -> tuple[list, list[int], list[dict]]:
    """JSONL lines [(line number, text)] → (decoded objects, their line numbers, refused lines).

    Blank lines are skipped; a line that is not JSON is refused with its number."""
    raws, lines, refused = [], [], []
    for number, text in numbered:
        if not text.strip():
            continue
        try:
            raws.append(_loads(text))
        except ValueError as e:
            refused.append({"device": None, "seq": None, "line": number, "error": f"bad JSON: {e}"})
            continue
        lines.append(number)
    return raws, lines, refused


def refusal(raw, line: int, error: str) -> dict:
    """A refused entry: {"device", "seq", "line", "error"} (device/seq null when missing)."""
    device = raw.get("device") if type(raw) is dict else None
    seq = raw.get("seq") if type(raw) is dict else None
    return {"device": device if type(device) is str else None,
            "seq": seq if _integer(seq) else None, "line": line, "error": error}
