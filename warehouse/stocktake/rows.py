"""Set-based loads of what a stock-take is decided from: one query per kind of row, none per box."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import String, case, func, select, type_coerce
from sqlalchemy.orm import Session

from warehouse.models import (
    Box,
    Device,
    Location,
    ScanEvent,
    StocktakeBox,
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


def expected(session: Session, stocktake_id: int) -> tuple[dict[int, int | None], dict[int, str]]:
    """The frozen expected set (box → home at opening) and the boxes' codes, in one query."""
    x = StocktakeBox
    query = (select(x.box_id, x.home_id, Box.code).join(Box, Box.id == x.box_id)
             .where(x.stocktake_id == stocktake_id))
    homes, codes = {}, {}
    for box, home, code in _core(session, query):
        homes[box], codes[box] = home, code
    return homes, codes


def device_names(session: Session) -> dict[int, str]:
    return dict(_core(session, select(Device.id, Device.name)).all())


def reads(session: Session, stocktake_id: int, names: dict[int, str]) -> list[Read]:
    """Every event whose context names the stock-take, whatever its time, as Reads.

    On SQLite `at` stays the stored text (UTC, fixed width: it sorts as the instants do), which
    spares parsing a time per read (results store it back as it is)."""
    e = ScanEvent
    at = type_coerce(e.at, String) if session.get_bind().dialect.name == "sqlite" else e.at
    code = case((e.reading == "unknown", e.code), else_=None)
    query = (select(at, e.device_id, e.seq, e.reading, e.box_id, e.place_id, code, e.label_id, e.location)
             .where(e.stocktake == stocktake_id))
    make = Read._make
    return [make((when, names[device], seq, reading, box, place, text, label, location))
            for when, device, seq, reading, box, place, text, label, location in _core(session, query)]


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
