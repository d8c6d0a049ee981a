"""Set-based look-ups for a batch of reads: its codes, and each device's state before the batch.

Each function is one statement whatever the batch size: a batch's keys go in as one bound
parameter (see `keyset`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, column, func, or_, select, text, tuple_, union_all
from sqlalchemy.orm import Session

from warehouse.models import Box, Fonds, Location, ScanEvent
from warehouse.scans.codes import CHECKPOINT, GATE, Catalog, Resolved, Wanted
from warehouse.scans.interpret import DeviceState


def chunk_size(session: Session) -> int:
    """Bound parameters per statement for plain `IN (…)` lists: SQLite before 3.32 allows only 999."""
    if session.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 32):
        return 900
    return 10_000


def chunks(values: Collection, size: int) -> Iterator[list]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def keyset(session: Session, name: str, values: Collection, *types: str):
    """A subquery of the given values (tuples when several types), bound as ONE parameter.

    A JSON array read by json_each on SQLite, arrays unnested on PostgreSQL: thousands of keys cost
    neither thousands of bound parameters nor SQLAlchemy's expansion of them."""
    values = list(values)
    names = ["value"] if len(types) == 1 else [f"v{i}" for i in range(len(types))]
    if session.get_bind().dialect.name == "postgresql":
        columns: list = [values] if len(types) == 1 else (list(zip(*values)) if values else [[] for _ in types])
        arrays = ", ".join(f"CAST(:{name}{i} AS {t}[])" for i, t in enumerate(types))
        sql = text(f"SELECT * FROM unnest({arrays}) AS k({', '.join(names)})").bindparams(
            **{f"{name}{i}": list(values) for i, values in enumerate(columns)})
    else:
        parts = ["value"] if len(types) == 1 else [f"json_extract(value, '$[{i}]') AS v{i}" for i in range(len(types))]
        sql = text(f"SELECT {', '.join(parts)} FROM json_each(:{name})").bindparams(**{name: json.dumps(values)})
    return sql.columns(*(column(n) for n in names))


def naive_utc(when: datetime) -> datetime:
    """A stored time as naive UTC (SQLite gives naive UTC, PostgreSQL aware)."""
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def loader(session: Session) -> Callable[[Wanted, Catalog], None]:
    """Fills a Catalog with what the database knows of wanted keys: one query per kind asked."""

    def load(wanted: Wanted, catalog: Catalog) -> None:
        if wanted.box_codes:
            codes = select(Box.code, Box.id).where(Box.code.in_(keyset(session, "codes", wanted.box_codes, "text")))
            catalog.box_codes.update(session.execute(codes).all())
        if wanted.epcs:
            epcs = wanted.epcs | {epc.lower() for epc in wanted.epcs}  # stored upper case; lower too
            stored = select(Box.epc, Box.id).where(Box.epc.in_(keyset(session, "epcs", epcs, "text")))
            catalog.epcs.update((epc.upper(), box) for epc, box in session.execute(stored) if epc)
        if wanted.box_numbers:
            pairs = keyset(session, "numbers", wanted.box_numbers, "text", "bigint")
            numbered = (select(Fonds.code, Box.number, Box.id).join(Fonds, Fonds.id == Box.fonds_id)
                        .where(tuple_(Fonds.code, Box.number).in_(pairs)))
            catalog.box_numbers.update(((fonds, number), box) for fonds, number, box in session.execute(numbered))
        if wanted.locations:
            places = (select(Location.code, Location.id, Location.kind)
                      .where(Location.code.in_(keyset(session, "places", wanted.locations, "text"))))
            catalog.locations.update((code, (id_, kind)) for code, id_, kind in session.execute(places))

    return load


def load_catalog(session: Session, wanted: Wanted) -> Catalog:
    """All wanted keys looked up at once (for callers that want every parser's keys)."""
    catalog = Catalog()
    loader(session)(wanted, catalog)
    return catalog


def stored_content(session: Session, keys: Collection[tuple[int, int]]) -> dict[tuple[int, int], tuple]:
    """(device id, seq) → stored content tuple, for those of these keys already stored."""
    e = ScanEvent
    query = (select(e.device_id, e.seq, e.code, e.kind, e.at, e.at_offset, e.location, e.antenna, e.context)
             .where(tuple_(e.device_id, e.seq).in_(keyset(session, "keys", keys, "int", "bigint"))))
    return {(row[0], row[1]): (row[2], row[3], naive_utc(row[4]), *row[5:]) for row in session.execute(query)}


def last_seqs(session: Session, devices: Collection[int]) -> dict[int, int]:
    """Each device's highest stored seq (devices with none stored are left out)."""
    if not devices:
        return {}
    ids = keyset(session, "devices", devices, "int").subquery("d")
    top = select(func.max(ScanEvent.seq)).where(ScanEvent.device_id == ids.c.value).scalar_subquery()
    return {device: seq for device, seq in session.execute(select(ids.c.value, top)) if seq is not None}


def places_before(session: Session, starts: dict[int, int]) -> dict[int, Resolved | None]:
    """Each device's place before its seq in `starts`: from its last label read below that seq."""
    if not starts:
        return {}
    e = ScanEvent
    picks = [select(e.device_id, e.label_id).where(e.device_id == device, e.seq < seq,
                                                   e.label_id.is_not(None))
             .order_by(e.seq.desc()).limit(1).subquery().select() for device, seq in starts.items()]
    last = union_all(*picks).subquery() if len(picks) > 1 else picks[0].subquery()
    query = select(last.c.device_id, Location.id, Location.kind).join(Location, Location.id == last.c.label_id)
    places: dict[int, Resolved | None] = {}
    for device, location, kind in session.execute(query):
        reading = {GATE: "gate", CHECKPOINT: "checkpoint"}.get(kind, "place")
        places[device] = Resolved("place", location, kind) if reading == "place" else None
    return places


def recent_sightings(session: Session, starts: dict[int, int], boxes: Collection[int],
                     since: datetime, until: datetime) -> dict[int, DeviceState]:
    """RFID sightings between two times by these devices below their start seq, as device states."""
    states: dict[int, DeviceState] = {}
    if not starts or not boxes:
        return states
    e = ScanEvent
    best: dict[tuple[int, int, int | None], tuple[int, datetime]] = {}  # → (seq, at) of the latest
    query = (select(e.device_id, e.seq, e.box_id, e.place_id, e.at)
             .where(e.box_id.in_(keyset(session, "boxes", boxes, "int")), e.at >= since, e.at <= until,
                    e.sighting.is_(True), e.kind == "rfid",
                    e.device_id.in_(keyset(session, "devices", starts, "int"))))
    for device, seq, box, place, at in session.execute(query):
        if box is None:
            continue
        key = (device, box, place)
        if seq < starts[device] and (key not in best or best[key][0] < seq):
            best[key] = (seq, naive_utc(at))
    for (device, box, place), (_, at) in best.items():
        states.setdefault(device, DeviceState()).recent[(box, place)] = at
    return states


def stored_after(session: Session, starts: dict[int, int]) -> list:
    """Stored events of these devices above their start seq, with their readings and label kinds."""
    if not starts:
        return []
    e = ScanEvent
    query = (select(e.device_id, e.seq, e.kind, e.at, e.location, e.reading, e.box_id, e.label_id,
                    e.place_id, e.sighting, Location.kind.label("label_kind"))
             .outerjoin(Location, Location.id == e.label_id)
             .where(or_(*(and_(e.device_id == d, e.seq > s) for d, s in starts.items())))
             .order_by(e.device_id, e.seq))
    return list(session.execute(query))


def window_bounds(times: Collection[datetime], window: timedelta) -> tuple[datetime, datetime]:
    """The span a batch's reads could collapse into earlier sightings over."""
    return min(times) - window, max(times) + window
