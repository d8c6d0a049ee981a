"""What a handheld shows for a read, given the device's current place (pure), and its loader.

The verdict follows the pipeline's rules (CONTRACT.md "Scan events", stock-take "found"): a location
label sets the place (too coarse above a rack), a gate or checkpoint clears it, a box read at a rack
or shelf is in place when that is its home or the rack holding its home. Read-only: the pipeline
itself decides and stores; this only tells the person holding the scanner, at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from warehouse.models import Box, Location
from warehouse.scans import codes
from warehouse.scans.catalog import load_catalog
from warehouse.scans.interpret import LOCATES

VERDICTS = ("place", "coarse", "cleared", "in_place", "misplaced", "no_home", "no_place", "unknown")


@dataclass(frozen=True)
class Known:
    """What the store knows of a code: a place label, a gate, a checkpoint, a box, or nothing."""

    code: str  # a location's or a box's code as stored; the code as read when unknown
    reading: str  # box | place | gate | checkpoint | unknown
    name: str = ""  # a location's name
    kind: str | None = None  # a location's kind
    home: str | None = None  # a box's home shelf
    home_rack: str | None = None  # the rack holding that shelf

    @property
    def locates(self) -> bool:
        """A place fine enough to locate a box (a rack or a shelf)."""
        return self.reading == "place" and self.kind in LOCATES


@dataclass(frozen=True)
class Feedback:
    verdict: str  # one of VERDICTS
    read: Known
    place: Known | None  # the device's place after the read


def decide(place: Known | None, read: Known) -> Feedback:
    """The verdict on one read made at `place` (None: no place), and the place after it."""
    place = place if place is not None and place.reading == "place" else None
    if read.reading == "place":
        return Feedback("place" if read.locates else "coarse", read, read)
    if read.reading in ("gate", "checkpoint"):
        return Feedback("cleared", read, None)
    if read.reading != "box":
        return Feedback("unknown", read, place)
    if place is None or not place.locates:
        return Feedback("no_place", read, place)
    if read.home is None:
        return Feedback("no_home", read, place)
    if place.code == read.home or (place.kind == "gia" and place.code == read.home_rack):
        return Feedback("in_place", read, place)
    return Feedback("misplaced", read, place)


_home, _rack = aliased(Location), aliased(Location)


def know(session: Session, reads: Iterable[str], company_prefix: str) -> dict[str, Known]:
    """What each scanned string names (box code, location, EPC, GIAI-96, legacy code): a few queries."""
    reads = {code for code in reads if code and code.strip()}
    parsers = codes.chain(company_prefix)
    pairs = [(code, "barcode") for code in reads]  # a 24-hex barcode still reaches the EPC parsers
    catalog = load_catalog(session, codes.wants(pairs, (), parsers))
    found = {code: codes.resolve(code, "barcode", catalog, parsers) for code in reads}
    places = {r.id for r in found.values() if r.id is not None and r.reading != "box"}
    boxes = {r.id for r in found.values() if r.id is not None and r.reading == "box"}
    located = _places(session, places)
    homed = _boxes(session, boxes)
    known = {}
    for code, what in found.items():
        if what.id is None:
            known[code] = Known(code.strip(), "unknown")
        else:
            known[code] = homed[what.id] if what.reading == "box" else located[what.id]
    return known


def _places(session: Session, ids: set[int]) -> dict[int, Known]:
    if not ids:
        return {}
    query = select(Location.id, Location.code, Location.name, Location.kind).where(Location.id.in_(ids))
    reading = {codes.GATE: "gate", codes.CHECKPOINT: "checkpoint"}
    return {id_: Known(code, reading.get(kind, "place"), name, kind)
            for id_, code, name, kind in session.execute(query)}


def _boxes(session: Session, ids: set[int]) -> dict[int, Known]:
    if not ids:
        return {}
    query = (select(Box.id, Box.code, _home.code, _rack.code, _rack.kind)
             .outerjoin(_home, _home.id == Box.home_id).outerjoin(_rack, _rack.id == _home.parent_id)
             .where(Box.id.in_(ids)))
    return {id_: Known(code, "box", home=home, home_rack=rack if rack_kind == "gia" else None)
            for id_, code, home, rack, rack_kind in session.execute(query)}
