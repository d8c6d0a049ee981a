"""Set-based loads of what a stock-take is decided from: one query per kind of row, none per box."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.models import (
    Box,
    Device,
    Location,
    ScanEvent,
    StocktakeRecount,
    StocktakeRecountMark,
)
from warehouse.scans.catalog import chunk_size, chunks
from warehouse.stocktake.classify import Marks, Read


@dataclass
class Places:
    """Every location by id: code, kind and the rack (giá) that holds it, for a whole stock-take."""

    codes: dict[int, str]
    kinds: dict[int, str]
    racks: dict[int, int]  # location → the rack that is its parent
    by_code: dict[str, int]
    parents: dict[int, int]

    def code(self, place: int | None) -> str | None:
        return self.codes.get(place) if place is not None else None


def _core(session: Session, query):
    """Rows through the session's connection: plain Core rows, no ORM loading step."""
    return session.connection().execute(query)


def places(session: Session) -> Places:
    """All locations in one query (a store has thousands of shelves, not millions)."""
    rows = _core(session, select(Location.id, Location.code, Location.kind, Location.parent_id)).all()
    kinds = {r.id: r.kind for r in rows}
    racks = {r.id: r.parent_id for r in rows if r.parent_id is not None and kinds.get(r.parent_id) == "gia"}
    return Places({r.id: r.code for r in rows}, kinds, racks, {r.code: r.id for r in rows},
                  {r.id: r.parent_id for r in rows if r.parent_id is not None})


EXPECTED = ("SELECT x.box_id, x.home_id, b.code FROM stocktake_boxes x JOIN boxes b ON b.id = x.box_id "
            "WHERE x.stocktake_id = {mark}")


def expected(session: Session, stocktake_id: int) -> tuple[dict[int, int | None], dict[int, str]]:
    """The frozen expected set (box → home at opening) and the boxes' codes, in one query."""
    found = _fetch(session, EXPECTED, stocktake_id)
    return {box: home for box, home, _ in found}, {box: code for box, _, code in found}


def _fetch(session: Session, sql: str, stocktake_id: int) -> list[tuple]:
    """A hot load (a row per box or per read) by the driver's own cursor in the session's
    transaction: plain tuples, no per-row wrapping."""
    conn = session.connection()
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql.format(mark="?" if conn.dialect.name == "sqlite" else "%s"), (stocktake_id,))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def device_names(session: Session) -> dict[int, str]:
    return dict(_core(session, select(Device.id, Device.name)).all())


READS = ("SELECT at, device_id, seq, reading, box_id, place_id, CASE WHEN reading = 'unknown' THEN code END, "
         "label_id, location FROM scan_events WHERE stocktake = {mark}")


def reads(session: Session, stocktake_id: int, names: dict[int, str]) -> list[Read]:
    """Every event whose context names the stock-take, whatever its time, as Read tuples.

    The hottest load (hundreds of thousands of rows), by the driver's cursor (see `_fetch`). On
    SQLite `at` stays the stored text (UTC, fixed width: it sorts as the instants do, and results
    store it back as it is)."""
    found = _fetch(session, READS, stocktake_id)
    return [(at, names[device], seq, reading, box, place, text, label, location)  # type: ignore[misc]
            for at, device, seq, reading, box, place, text, label, location in found]


def marks(session: Session, stocktake_id: int, names: dict[int, str]) -> Marks:
    """Each recounted shelf → device → the last seq the stock-take held when the recount was ordered."""
    r, m = StocktakeRecount, StocktakeRecountMark
    query = (select(r.shelf_id, m.device_id, func.max(m.seq)).join(m, m.recount_id == r.id)
             .where(r.stocktake_id == stocktake_id).group_by(r.shelf_id, m.device_id))
    found: dict[int, dict[str, int]] = {}
    for shelf, device, seq in _core(session, query):
        found.setdefault(shelf, {})[names[device]] = seq
    return found


def last_seqs(session: Session, stocktake_id: int) -> dict[int, int]:
    """Each device's highest seq among the stock-take's events (a recount's marks)."""
    query = (select(ScanEvent.device_id, func.max(ScanEvent.seq)).where(ScanEvent.stocktake == stocktake_id)
             .group_by(ScanEvent.device_id))
    return dict(_core(session, query).all())


def box_codes(session: Session, boxes: Collection[int]) -> dict[int, str]:
    """Codes of boxes named by id (boxes read from outside the expected set: few), in chunks."""
    codes: dict[int, str] = {}
    for part in chunks(set(boxes), chunk_size(session)):
        codes.update(_core(session, select(Box.id, Box.code).where(Box.id.in_(part))).all())
    return codes
