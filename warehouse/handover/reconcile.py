"""Reconciling a handover list against the shelves (CONTRACT.md "Reconciliation"): pure rules over sets,
fed by a loader that reads its rows with a few set-based queries (none per box).

Where a box is *located*:
- against a closed stock-take: where the stock-take found it (outcome found or misplaced). A box the
  stock-take did not expect (outside its scope) is not located by it: it counts as missing, and the
  report also names it under `not_counted`;
- without a stock-take: at its last-known place, the place of its latest sighting that has one
  (latest by `at`, ties by device name, then seq). A box never sighted at a place is not located and
  counts as missing; so is a box tracking holds away from the shelves (in transit, checked out, handed
  over, destroyed or lost: warehouse.tracking.state), which the report also names under `away` with
  that state — a box lent to the reading room is not there to be handed over.

Each listed box is matched to the register by its box code when the list gives one, else by (fonds,
box number); then it is exactly one of matched (located in place), misplaced (located elsewhere) or
missing (not located, or unknown to the register — also named under `unknown`). "In place" is the
stock-take's rule against the place the list gives (`Vị trí`), else against the box's home: at that
location, or at the rack (giá) that holds it. Extra: boxes of the list's fonds, in stock (not
retired), located but not on the list. count_mismatch: listed boxes known to the register whose
number of files on the list differs from the register's, whatever else they are."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from warehouse.errors import N_, not_found, refused
from warehouse.importing.register import default_box_code
from warehouse.models import (
    Box,
    BoxStatus,
    Device,
    File,
    Fonds,
    Handover,
    HandoverBox,
    Location,
    ScanEvent,
    Stocktake,
    StocktakeResult,
)

LISTS = ("matched", "missing", "misplaced", "extra", "count_mismatch")


class Listed(NamedTuple):
    """A box as the list names it."""

    number: int
    code: str | None = None  # the box code the list gives
    location: str | None = None  # the list's Vị trí
    files: int = 0  # file rows the list holds for it


class Registered(NamedTuple):
    """A register box: its code, fonds, number, home, how many files the register holds in it."""

    id: int
    code: str
    fonds: str
    number: int
    home: str | None = None
    files: int = 0
    retired: bool = False


@dataclass
class Reconciliation:
    listed: int = 0
    matched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    misplaced: list[tuple[str, str | None, str]] = field(default_factory=list)  # (box, listed, found)
    extra: list[str] = field(default_factory=list)
    count_mismatch: list[tuple[str, int, int]] = field(default_factory=list)  # (box, listed, register)
    unknown: list[str] = field(default_factory=list)  # listed boxes the register does not know
    not_counted: list[str] = field(default_factory=list)  # known, but outside the stock-take
    away: list[tuple[str, str]] = field(default_factory=list)  # (box, stored state): missing, held away

    def summary(self) -> dict[str, int]:
        return {"listed": self.listed, **{name: len(getattr(self, name)) for name in LISTS},
                "unknown": len(self.unknown), "not_counted": len(self.not_counted), "away": len(self.away)}

    def to_json(self, **extra) -> dict:
        """The contract's document, with `unknown`, `not_counted` and `away` besides, and any `extra` keys."""
        return {
            **extra, "summary": self.summary(), "matched": self.matched, "missing": self.missing,
            "misplaced": [{"box": b, "listed": listed, "found": found} for b, listed, found in self.misplaced],
            "extra": self.extra,
            "count_mismatch": [{"box": b, "listed_files": n, "found_files": m} for b, n, m in self.count_mismatch],
            "unknown": self.unknown, "not_counted": self.not_counted,
            "away": [{"box": b, "state": state} for b, state in self.away],
        }


def in_place(place: str, listed: str | None, racks: Mapping[str, str]) -> bool:
    """The stock-take's rule: at the listed location, or at the rack that holds it."""
    return listed is not None and (place == listed or place == racks.get(listed))


def match(fonds: str, listed: Iterable[Listed], register: Iterable[Registered],
          ) -> dict[object, tuple[str, Registered | None, str | None, int]]:
    """Listed boxes → (name, register box or None, listed location, files), one entry per box named.

    By code when the list gives one, else by (fonds, number); two listed boxes that name one register
    box are one box (their files added up). Rows are unpacked by position: the loader hands in
    database rows of the same shape as the named tuples, without making one object per box."""
    by_code: dict[str, Registered] = {}
    by_number: dict[int, Registered] = {}
    for box in register:
        by_code[box[1]] = box
        if box[2] == fonds:
            by_number[box[3]] = box
    boxes: dict[object, tuple[str, Registered | None, str | None, int]] = {}
    for number, code, location, files in listed:
        known = by_code.get(code) if code else by_number.get(number)
        name = known[1] if known else code or default_box_code(fonds, number)
        key: object = known[0] if known else name
        first = boxes.get(key)
        boxes[key] = (name, known, location, files) if first is None else (
            first[0], first[1], first[2] or location, first[3] + files)
    return boxes


def reconcile(fonds: str, listed: Iterable[Listed], register: Iterable[Registered], located: Mapping[int, str],
              racks: Mapping[str, str], counted: Collection[int] | None = None,
              away: Mapping[int, str] | None = None) -> Reconciliation:
    """Classify the listed boxes and find the extra ones.

    `register`: the fonds' boxes and any other box the list names by code; `located`: register box →
    the location code it was located at; `racks`: shelf code → the code of the rack holding it;
    `counted`: the boxes a stock-take expected (None without a stock-take); `away`: box → the stored
    state that holds it away from the shelves (such a box is not located). The lists keep the order of
    `listed` (extra: of `register`): the loader reads both in box-number order, as lists are kept."""
    register, away = list(register), away or {}
    if away:
        located = {box: place for box, place in located.items() if box not in away}
    out = Reconciliation()
    claimed: set[int] = set()
    for name, known, location, files in match(fonds, listed, register).values():
        out.listed += 1
        if known is None:
            out.missing.append(name)
            out.unknown.append(name)
            continue
        box, _code, _fonds, _number, home, registered, _retired = known
        claimed.add(box)
        if files != registered:
            out.count_mismatch.append((name, files, registered))
        where, place = location or home, located.get(box)
        if place is None:
            out.missing.append(name)
            if counted is not None and box not in counted:
                out.not_counted.append(name)
            if box in away:
                out.away.append((name, away[box]))
        elif place == where or (where is not None and place == racks.get(where)):  # in_place, inlined
            out.matched.append(name)
        else:
            out.misplaced.append((name, where, place))
    out.extra = [code for box, code, of, _n, _h, _f, retired in register
                 if of == fonds and not retired and box in located and box not in claimed]
    return out


# --- the loader: a few set-based queries ------------------------------------------------------------

def get_handover(session: Session, handover_id: int) -> Handover:
    found = session.get(Handover, handover_id)
    if found is None:
        raise not_found(N_("no handover list %(id)s"), id=handover_id)
    return found


def _rows(session: Session, query) -> list:
    """Rows of a Core query as plain tuples-alike (no ORM loading: these are 10⁵–10⁶ rows)."""
    return list(session.connection().execute(query).all())


def listed_boxes(session: Session, handover_id: int) -> list[Listed]:
    """(number, code, location, files) of each box the list names: one query."""
    h = HandoverBox
    query = select(h.number, h.code, h.location, h.files).where(h.handover_id == handover_id).order_by(h.number)
    return _rows(session, query)


def register_boxes(session: Session, handover: Handover) -> list[Registered]:
    """The fonds' boxes and the boxes of other fonds the list names by code, as Registered rows: two queries."""
    home = aliased(Location)
    files = (select(File.box_id, func.count().label("n")).where(File.fonds_id == handover.fonds_id)
             .group_by(File.box_id).subquery())
    own = (select(Box.id, Box.code, Fonds.code, Box.number, home.code, func.coalesce(files.c.n, 0),
                  Box.retired_at.is_not(None))
           .join(Fonds, Fonds.id == Box.fonds_id).outerjoin(home, home.id == Box.home_id)
           .outerjoin(files, files.c.box_id == Box.id).where(Box.fonds_id == handover.fonds_id)
           .order_by(Box.number))
    count = select(func.count()).where(File.box_id == Box.id).correlate(Box).scalar_subquery()
    named = (select(Box.id, Box.code, Fonds.code, Box.number, home.code, count, Box.retired_at.is_not(None))
             .join(Fonds, Fonds.id == Box.fonds_id).outerjoin(home, home.id == Box.home_id)
             .join(HandoverBox, HandoverBox.code == Box.code)
             .where(HandoverBox.handover_id == handover.id, Box.fonds_id != handover.fonds_id))
    return _rows(session, own) + _rows(session, named)


def racks(session: Session) -> dict[str, str]:
    """Shelf code → the code of the rack (giá) that holds it: one query."""
    shelf, rack = aliased(Location), aliased(Location)
    query = select(shelf.code, rack.code).join(rack, rack.id == shelf.parent_id).where(rack.kind == "gia")
    return dict(_rows(session, query))


def stocktake_places(session: Session, stocktake_id: int) -> tuple[dict[int, str], set[int]]:
    """(box → where a closed stock-take found it, the boxes it expected): one query."""
    stocktake = session.get(Stocktake, stocktake_id)
    if stocktake is None:
        raise not_found(N_("no stock-take %(id)s"), id=stocktake_id)
    if stocktake.is_open:
        raise refused(N_("stock-take %(id)s is still open: close it before reconciling against it"),
                      id=stocktake_id)
    r = StocktakeResult
    query = (select(r.box_id, r.outcome, Location.code).outerjoin(Location, Location.id == r.found_id)
             .where(r.stocktake_id == stocktake_id, r.box_id.is_not(None), r.outcome != "unexpected"))
    rows = _rows(session, query)
    located = {box: place for box, outcome, place in rows if place is not None and outcome in ("found", "misplaced")}
    return located, {box for box, _, _ in rows}


def _considered(handover: Handover):
    """The boxes a reconciliation looks at: the fonds' boxes and any other box the list names by code."""
    return select(Box.id).where(Box.fonds_id == handover.fonds_id).union(
        select(Box.id).join(HandoverBox, HandoverBox.code == Box.code).where(HandoverBox.handover_id == handover.id))


def held_away(session: Session, handover: Handover) -> dict[int, str]:
    """Box → its stored state, for the considered boxes tracking holds away from the shelves: one query."""
    query = select(BoxStatus.box_id, BoxStatus.state).where(
        BoxStatus.box_id.in_(_considered(handover)), BoxStatus.state.is_not(None))
    return {box: state for box, state in _rows(session, query)}


def last_known_places(session: Session, handover: Handover) -> dict[int, str]:
    """Box → the place of its latest sighting that has one, for the boxes the loader considers: one query."""
    e = ScanEvent
    boxes = _considered(handover)
    order = (e.at.desc(), Device.name.desc(), e.seq.desc())
    ranked = (select(e.box_id, e.place_id, func.row_number().over(partition_by=e.box_id, order_by=order).label("n"))
              .join(Device, Device.id == e.device_id)
              .where(e.box_id.in_(boxes), e.sighting.is_(True), e.place_id.is_not(None)).subquery())
    query = select(ranked.c.box_id, Location.code).join(Location, Location.id == ranked.c.place_id).where(
        ranked.c.n == 1)
    return dict(_rows(session, query))


def reconcile_list(session: Session, handover_id: int, stocktake_id: int | None = None) -> dict:
    """The reconciliation document of a list, against a closed stock-take or the last-known places."""
    handover = get_handover(session, handover_id)
    away: dict[int, str] = {}
    if stocktake_id is not None:
        located, counted = stocktake_places(session, stocktake_id)
    else:
        located, counted = last_known_places(session, handover), None
        away = held_away(session, handover)
    result = reconcile(handover.fonds.code, listed_boxes(session, handover.id), register_boxes(session, handover),
                       located, racks(session), counted, away)
    basis = {"stocktake": stocktake_id, "last_known": stocktake_id is None}
    return result.to_json(id=handover.id, fonds=handover.fonds.code, basis=basis)
