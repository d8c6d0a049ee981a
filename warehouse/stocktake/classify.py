"""What a stock-take found: its reads classified against its expected boxes (pure, CONTRACT.md "Stock-take").

- Each expected box gets one outcome from its last located read (last by `at`, ties by device, then
  seq): at its home, or at the rack that holds its home → found; elsewhere → misplaced; read only at
  unknown places → unlocated; not read → missing.
- Unexpected: unknown codes as read, and boxes outside the expected set. Labels (places, gates,
  checkpoints) are never unexpected.
- A recount of a shelf sets aside the reads placed on that shelf that the stock-take held when the
  recount was ordered (per device, up to a seq mark): they are kept, not counted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import NamedTuple

from warehouse.scans.codes import normal
from warehouse.scans.interpret import LOCATES

OUTCOMES = ("found", "misplaced", "missing", "unlocated")
Marks = Mapping[int, Mapping[str, int]]  # shelf → device → last seq held when the recount was ordered


class Read(NamedTuple):
    """One event of the stock-take, as the pipeline interpreted it."""

    at: datetime
    device: str
    seq: int
    reading: str  # box | place | gate | checkpoint | unknown
    box: int | None = None
    place: int | None = None  # where the read puts the box; for unknown codes see `unknown_places`
    code: str | None = None  # the code as read (needed for unknown codes only)
    label: int | None = None  # the location, gate or checkpoint a label read names
    location: str | None = None  # the event's explicit location code


class Verdict(NamedTuple):
    """The outcome of one box: where it was expected, where its deciding read placed it, which read."""

    box: int
    outcome: str  # found | misplaced | missing | unlocated | unexpected
    home: int | None = None
    place: int | None = None
    read: tuple | None = None  # (at, device, seq) of the deciding read


@dataclass
class Outcome:
    verdicts: list[Verdict] = field(default_factory=list)  # one per expected box
    outside: list[Verdict] = field(default_factory=list)  # boxes read that were not expected
    unknown: dict[str, tuple] = field(default_factory=dict)  # unknown code → its last read (at, device, seq)
    reads: int = 0  # every read of the stock-take, labels included
    counted: int = 0  # box and unknown-code reads that count
    set_aside: int = 0  # box and unknown-code reads a recount set aside

    def of(self, outcome: str) -> list[Verdict]:
        return [v for v in self.verdicts if v.outcome == outcome]


def set_aside(place: int | None, device: str, seq: int, marks: Marks) -> bool:
    """Whether a read placed here is an earlier read of a shelf a recount was ordered for."""
    mark = marks.get(place) if place is not None else None
    return mark is not None and seq <= mark.get(device, seq - 1)


def in_place(place: int, home: int | None, racks: Mapping[int, int]) -> bool:
    """At its home, or at the rack (giá) that holds its home."""
    return home is not None and (place == home or place == racks.get(home))


def classify(expected: Mapping[int, int | None], reads: Iterable[Read], racks: Mapping[int, int],
             marks: Marks | None = None, unknown_place: Mapping[tuple[str, int], int | None] | None = None,
             ) -> Outcome:
    """Every expected box's outcome, the boxes read from outside the set, and the unknown codes.

    `expected`: box → frozen home; `racks`: shelf → the rack that holds it; `marks`: see Marks;
    `unknown_place`: (device, seq) → place of unknown-code reads (only recounts need it)."""
    marks, unknown_place = marks or {}, unknown_place or {}
    last: dict[int, tuple] = {}  # box → (at, device, seq, place) of its last located read
    read_boxes: set[int] = set()
    result = Outcome()
    for at, device, seq, reading, box, place, code, _label, _location in reads:
        result.reads += 1
        if reading == "box" and box is not None:
            if marks and set_aside(place, device, seq, marks):
                result.set_aside += 1
                continue
            read_boxes.add(box)
            if place is not None:
                key = (at, device, seq, place)
                if box not in last or key > last[box]:
                    last[box] = key
        elif reading == "unknown" and code is not None:
            if marks and set_aside(unknown_place.get((device, seq)), device, seq, marks):
                result.set_aside += 1
                continue
            read = (at, device, seq)
            if code not in result.unknown or read > result.unknown[code]:
                result.unknown[code] = read
        else:
            continue
        result.counted += 1
    verdict, seen_last = _verdict, last.get
    result.verdicts = [verdict(box, home, seen_last(box), box in read_boxes, racks)
                       for box, home in expected.items()]
    for box in sorted(read_boxes - expected.keys()):
        seen = last.get(box)
        result.outside.append(Verdict(box, "unexpected", None, seen[3] if seen else None,
                                      seen[:3] if seen else None))
    return result


def _verdict(box: int, home: int | None, seen: tuple | None, read: bool, racks: Mapping[int, int]) -> Verdict:
    if seen is not None:
        outcome = "found" if in_place(seen[3], home, racks) else "misplaced"
        return Verdict(box, outcome, home, seen[3], seen[:3])
    return Verdict(box, "unlocated" if read else "missing", home)


def unknown_places(reads: Iterable[Read], kinds: Mapping[int, str], by_code: Mapping[str, int],
                   ) -> dict[tuple[str, int], int | None]:
    """Where each unknown-code read was made, for recounts: its explicit location, else the place of
    the device's last label before it among the stock-take's reads (a gate or checkpoint clears it;
    a place coarser than a rack is no place). Reads are Read tuples, taken by position."""
    labels = sorted((r for r in reads if r[3] != "box"), key=lambda r: (r[1], r[2]))
    places: dict[tuple[str, int], int | None] = {}
    for device, rows in groupby(labels, key=lambda r: r[1]):
        here: int | None = None
        for _at, _device, seq, reading, _box, _place, _code, label, location in rows:
            if reading == "place":
                here = label if _locates(label, kinds) else None
            elif reading in ("gate", "checkpoint"):
                here = None
            elif reading == "unknown":
                where = by_code.get(normal(location)) if location else here
                places[(device, seq)] = where if _locates(where, kinds) else None
    return places


def _locates(place: int | None, kinds: Mapping[int, str]) -> bool:
    """A rack or a shelf: fine enough to locate a box."""
    return place is not None and kinds.get(place, "") in LOCATES
