"""What a scanned string names, by a chain of small parsers (as InvenTree's barcode plugins do).

Each parser answers for a read: "mine: here is what it is" (a Resolved) or "not mine" (None). The
first that claims a read wins; a read no parser claims is an unknown code. Parsers do no database
work: each says which keys it wants looked up (`wants`), the service looks all keys of a batch up
at once (a Catalog) and the parsers claim against it. Order: box code, location code, gate or
checkpoint, EPC stored on a box, Kho's own GIAI-96 tag, legacy box code."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from warehouse.scans import giai96

GATE, CHECKPOINT = "cong", "diem"
_HEX = re.compile(r"^[0-9A-F]{24}$")
# Older labels: the fonds code, then H or HOP and the box number, e.g. P012-H7, P012/H0007, P012 HOP 7.
_LEGACY = re.compile(r"^([A-Z0-9][A-Z0-9.]*?)[-/ _.]*H(?:OP)?[-/ _.]*0*([1-9]\d{0,4})$")


@dataclass(frozen=True)
class Resolved:
    """What a code names: a box, a place label, a gate, a checkpoint, or nothing known."""

    reading: str  # box | place | gate | checkpoint | unknown
    id: int | None = None  # the box's or the location's id
    kind: str | None = None  # a location's kind (kho, phong, day, gia, ngan, cong, diem)
    parser: str = ""


UNKNOWN = Resolved("unknown")


@dataclass
class Catalog:
    """What the database knows about the keys a batch wants (filled by set-based lookups)."""

    box_codes: dict[str, int] = field(default_factory=dict)  # box code → box id
    epcs: dict[str, int] = field(default_factory=dict)  # EPC, upper case → box id
    box_numbers: dict[tuple[str, int], int] = field(default_factory=dict)  # (fonds, number) → box id
    locations: dict[str, tuple[int, str]] = field(default_factory=dict)  # code → (id, kind)


@dataclass
class Wanted:
    """Keys to look up, per Catalog field."""

    box_codes: set[str] = field(default_factory=set)
    epcs: set[str] = field(default_factory=set)
    box_numbers: set[tuple[str, int]] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)

    def fresh(self, asked: Wanted) -> Wanted:
        """The keys not asked yet; `asked` takes them in."""
        new = Wanted(self.box_codes - asked.box_codes, self.epcs - asked.epcs,
                     self.box_numbers - asked.box_numbers, self.locations - asked.locations)
        asked.box_codes |= new.box_codes
        asked.epcs |= new.epcs
        asked.box_numbers |= new.box_numbers
        asked.locations |= new.locations
        return new


def normal(code: str) -> str:
    """A scanned string as codes are stored: trimmed, upper case (printed codes are A–Z 0–9 - . /)."""
    return code.strip().upper()


def is_epc(code: str) -> bool:
    """Whether a scanned string is an EPC: 24 hex digits (either case, white space around)."""
    return bool(_HEX.match(normal(code)))


def _epc(code: str, kind: str) -> str | None:
    """The EPC a read carries: an rfid read's code, or a barcode that is 24 hex digits."""
    text = normal(code)
    return text if _HEX.match(text) else None


class BoxCode:
    name = "box code"

    def wants(self, code: str, kind: str, wanted: Wanted) -> None:
        if kind == "barcode":
            wanted.box_codes.add(normal(code))

    def claim(self, code: str, kind: str, catalog: Catalog) -> Resolved | None:
        box = catalog.box_codes.get(normal(code)) if kind == "barcode" else None
        return Resolved("box", box, parser=self.name) if box is not None else None


class LocationCode:
    """A label of a store, room, rack row, rack or shelf: it sets where the device is."""

    name = "location code"

    def wants(self, code: str, kind: str, wanted: Wanted) -> None:
        if kind == "barcode":
            wanted.locations.add(normal(code))

    def claim(self, code: str, kind: str, catalog: Catalog) -> Resolved | None:
        found = catalog.locations.get(normal(code)) if kind == "barcode" else None
        if found is None or found[1] in (GATE, CHECKPOINT):
            return None
        return Resolved("place", found[0], found[1], self.name)


class GateOrCheckpoint(LocationCode):
    """A gate (cổng) or patrol checkpoint (điểm): it never places a box."""

    name = "gate or checkpoint"

    def claim(self, code: str, kind: str, catalog: Catalog) -> Resolved | None:
        found = catalog.locations.get(normal(code)) if kind == "barcode" else None
        if found is None or found[1] not in (GATE, CHECKPOINT):
            return None
        return Resolved("gate" if found[1] == GATE else "checkpoint", found[0], found[1], self.name)


class StoredEpc:
    """An EPC written on a box by the register (matched case-insensitively)."""

    name = "EPC"

    def wants(self, code: str, kind: str, wanted: Wanted) -> None:
        epc = _epc(code, kind)
        if epc:
            wanted.epcs.add(epc)

    def claim(self, code: str, kind: str, catalog: Catalog) -> Resolved | None:
        epc = _epc(code, kind)
        box = catalog.epcs.get(epc) if epc else None
        return Resolved("box", box, parser=self.name) if box is not None else None


class KhoTag:
    """Kho's own GIAI-96 tag (its hex, or its tag URI on a barcode): fonds and box number."""

    name = "GIAI-96"

    def __init__(self, company_prefix: str):
        self.company_prefix = company_prefix

    def _box(self, code: str, kind: str) -> tuple[str, int] | None:
        epc = _epc(code, kind)
        if epc is None and kind == "barcode" and code.strip().startswith("urn:epc:tag:giai-96:"):
            try:
                epc = giai96.encode(giai96.parse_uri(code))
            except giai96.GiaiError:
                return None
        return giai96.epc_to_box(epc, self.company_prefix) if epc else None

    def wants(self, code: str, kind: str, wanted: Wanted) -> None:
        box = self._box(code, kind)
        if box:
            wanted.box_numbers.add(box)

    def claim(self, code: str, kind: str, catalog: Catalog) -> Resolved | None:
        key = self._box(code, kind)
        box = catalog.box_numbers.get(key) if key else None
        return Resolved("box", box, parser=self.name) if box is not None else None


class LegacyCode:
    """An older box label: fonds code, H or HOP, box number (P012-H7, P012/H0007, P012 HOP 7)."""

    name = "legacy code"

    def _key(self, code: str, kind: str) -> tuple[str, int] | None:
        found = _LEGACY.match(normal(code)) if kind == "barcode" else None
        return (found[1], int(found[2])) if found else None

    def wants(self, code: str, kind: str, wanted: Wanted) -> None:
        key = self._key(code, kind)
        if key:
            wanted.box_numbers.add(key)

    def claim(self, code: str, kind: str, catalog: Catalog) -> Resolved | None:
        key = self._key(code, kind)
        box = catalog.box_numbers.get(key) if key else None
        return Resolved("box", box, parser=self.name) if box is not None else None


def chain(company_prefix: str) -> tuple:
    """The parsers, in the order they are asked."""
    return (BoxCode(), LocationCode(), GateOrCheckpoint(), StoredEpc(), KhoTag(company_prefix),
            LegacyCode())


def wants(reads: Iterable[tuple[str, str]], locations: Iterable[str], parsers: tuple) -> Wanted:
    """Every key the parsers want looked up for these (code, kind) reads and explicit locations."""
    wanted = Wanted()
    for code, kind in reads:
        for parser in parsers:
            parser.wants(code, kind, wanted)
    wanted.locations.update(normal(place) for place in locations)
    return wanted


def resolve_all(reads: set[tuple[str, str]], locations: set[str], parsers: tuple,
                load: Callable[[Wanted, Catalog], None], known: dict | None = None) -> tuple[dict, dict]:
    """What each (code, kind) read and each explicit location names, asking the parsers in turn.

    Each parser only sees the reads no parser before it claimed, and `load` is asked only for keys
    not asked before: a batch of box codes costs one look-up, not one per parser. `known` (read →
    Resolved) carries what earlier batches of the same run resolved, and takes in this batch's."""
    known = {} if known is None else known
    meaning = {read: known[read] for read in reads if read in known}
    catalog, asked, unclaimed = Catalog(), Wanted(), set(reads) - meaning.keys()
    places = {normal(place) for place in locations}
    for parser in parsers:
        wanted = Wanted(locations=places if isinstance(parser, LocationCode) else set())
        for code, kind in unclaimed:
            parser.wants(code, kind, wanted)
        fresh = wanted.fresh(asked)
        if fresh.box_codes or fresh.epcs or fresh.box_numbers or fresh.locations:
            load(fresh, catalog)
        for read in list(unclaimed):
            found = parser.claim(*read, catalog)
            if found is not None:
                meaning[read] = found
                unclaimed.discard(read)
    meaning.update((read, UNKNOWN) for read in unclaimed)
    if len(known) > 200_000:
        known.clear()
    known.update(meaning)
    return meaning, {place: resolve_location(place, catalog) for place in locations}


def resolve(code: str, kind: str, catalog: Catalog, parsers: tuple) -> Resolved:
    """What the first parser that claims the read says it is; UNKNOWN when none does."""
    for parser in parsers:
        found = parser.claim(code, kind, catalog)
        if found is not None:
            return found
    return UNKNOWN


def resolve_location(code: str, catalog: Catalog) -> Resolved:
    """An event's explicit `location`: a place, a gate or checkpoint, or unknown."""
    found = catalog.locations.get(normal(code))
    if found is None:
        return UNKNOWN
    reading = {GATE: "gate", CHECKPOINT: "checkpoint"}.get(found[1], "place")
    return Resolved(reading, found[0], found[1], "location")
