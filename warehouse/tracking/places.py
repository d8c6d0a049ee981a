"""Loading where boxes are (the rules are in state.py), and applying a closed stock-take's places.

The look-up a handheld makes on every read is two Core queries on indexed columns: the box with its
home, the rack of its home and its stored status; then its latest read outside stock-takes (the
partial index on scan_events (box_id, at)). Lists load the same for many boxes in two queries."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, timedelta, timezone

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from warehouse import audit
from warehouse.errors import N_, refused
from warehouse.models import Box, BoxStatus, Fonds, Location, ScanEvent, StocktakeResult
from warehouse.scans.catalog import keyset, naive_utc
from warehouse.stocktake.sessions import find as find_stocktake
from warehouse.tracking.state import Seen, Whereabouts, log, whereabouts

_home, _rack, _fix, _seen = (aliased(Location) for _ in range(4))
_BOX = (select(Box.id, Box.code, Fonds.code.label("fonds"), Box.number, Box.epc, _home.code.label("home"),
               _rack.code.label("rack"), _rack.kind.label("rack_kind"), BoxStatus.state, BoxStatus.fix_at,
               BoxStatus.fix_offset, _fix.code.label("fix_place"))
        .join(Fonds, Fonds.id == Box.fonds_id).outerjoin(_home, _home.id == Box.home_id)
        .outerjoin(_rack, _rack.id == _home.parent_id).outerjoin(BoxStatus, BoxStatus.box_id == Box.id)
        .outerjoin(_fix, _fix.id == BoxStatus.fix_place_id))
_LATEST = (select(ScanEvent.at, ScanEvent.at_offset, _seen.code)
           .outerjoin(_seen, _seen.id == ScanEvent.place_id)
           .where(ScanEvent.stocktake.is_(None)).order_by(ScanEvent.at.desc()).limit(1))


def iso(seen: Seen | None) -> str | None:
    """When a box was seen, ISO 8601 with the offset its device sent."""
    if seen is None:
        return None
    return seen.at.replace(tzinfo=UTC).astimezone(timezone(timedelta(minutes=seen.offset))).isoformat()


def _of(row, read: Seen | None) -> Whereabouts:
    fix = Seen(naive_utc(row.fix_at), row.fix_place, row.fix_offset or 0) if row.fix_at is not None else None
    return whereabouts(row.state, read, fix, row.home, row.rack if row.rack_kind == "gia" else None)


def box_doc(session: Session, where: ColumnElement[bool]) -> dict | None:
    """The look-up document {"code", "fonds", "box", "epc", "home", "place", "state", "last_seen"} of
    the box matching `where`, or None: two queries."""
    row = session.execute(_BOX.where(where)).first()
    if row is None:
        return None
    latest = session.execute(_LATEST.where(ScanEvent.box_id == row.id)).first()
    read = Seen(naive_utc(latest[0]), latest[2], latest[1]) if latest else None
    found = _of(row, read)
    return {"code": row.code, "fonds": row.fonds, "box": row.number, "epc": row.epc, "home": row.home,
            "place": found.place, "state": found.state, "last_seen": iso(found.seen)}


def latest_reads(session: Session, box_ids: Collection[int] | None) -> dict[int, Seen]:
    """Box → its latest read outside stock-takes (None: every box): one query."""
    e = ScanEvent
    order = (e.at.desc(), e.device_id.desc(), e.seq.desc())
    where = [e.box_id.is_not(None), e.stocktake.is_(None)]
    if box_ids is not None:
        where.append(e.box_id.in_(keyset(session, "boxes", list(box_ids), "int")))
    ranked = (select(e.box_id, e.at, e.at_offset, e.place_id,
                     func.row_number().over(partition_by=e.box_id, order_by=order).label("n"))
              .where(*where).subquery())
    query = (select(ranked.c.box_id, ranked.c.at, ranked.c.at_offset, Location.code)
             .outerjoin(Location, Location.id == ranked.c.place_id).where(ranked.c.n == 1))
    return {box: Seen(naive_utc(at), place, offset) for box, at, offset, place in session.execute(query)}


def whereabouts_of(session: Session, box_ids: Collection[int] | None) -> dict[int, Whereabouts]:
    """Box → where it is, for these boxes (None: every box): two queries."""
    query = _BOX if box_ids is None else _BOX.where(Box.id.in_(keyset(session, "ids", list(box_ids), "int")))
    rows = session.execute(query).all()
    reads = latest_reads(session, box_ids)
    return {row.id: _of(row, reads.get(row.id)) for row in rows}


def where_is(session: Session, box_id: int) -> Whereabouts:
    """Where one box is."""
    return whereabouts_of(session, [box_id])[box_id]


# --- a closed stock-take's places --------------------------------------------------------------------

def apply_stocktake(session: Session, stocktake_id: int, actor: str) -> dict:
    """Make what a closed stock-take found (found or misplaced) the last-known place of those boxes,
    unless a later stock-take's place was applied already. Applying again changes nothing."""
    stocktake = find_stocktake(session, stocktake_id, lock=True)
    if stocktake.is_open:
        raise refused(N_("stock-take %(id)s is still open: close it before applying its places"),
                      id=stocktake_id)
    r = StocktakeResult
    rows = session.execute(
        select(r.box_id, r.found_id, r.seen_at, ScanEvent.at_offset, BoxStatus.box_id.label("has"),
               BoxStatus.fix_at, BoxStatus.fix_stocktake_id)
        .outerjoin(ScanEvent, (ScanEvent.device_id == r.device_id) & (ScanEvent.seq == r.seq))
        .outerjoin(BoxStatus, BoxStatus.box_id == r.box_id)
        .where(r.stocktake_id == stocktake_id, r.outcome.in_(("found", "misplaced")), r.box_id.is_not(None),
               r.found_id.is_not(None), r.seen_at.is_not(None))).all()
    fresh = [row for row in rows if row.fix_stocktake_id != stocktake_id
             and (row.fix_at is None or naive_utc(row.fix_at) <= naive_utc(row.seen_at))]
    values = [{"box_id": row.box_id, "fix_place_id": row.found_id, "fix_at": row.seen_at,
               "fix_offset": row.at_offset or 0, "fix_stocktake_id": stocktake_id} for row in fresh]
    if any(row.has is not None for row in fresh):
        session.execute(update(BoxStatus), [v for v, row in zip(values, fresh) if row.has is not None])
    if any(row.has is None for row in fresh):
        session.execute(insert(BoxStatus), [v for v, row in zip(values, fresh) if row.has is None])
    log(session, [{"box_id": row.box_id, "kind": "stocktake.applied", "actor": actor, "place_id": row.found_id,
                   "ref": stocktake_id, "detail": {"read_at": row.seen_at}} for row in fresh])
    audit.record(session, actor, "stocktake.apply", f"stocktake:{stocktake_id}", applied=len(fresh),
                 unchanged=len(rows) - len(fresh))
    return {"id": stocktake_id, "applied": len(fresh), "unchanged": len(rows) - len(fresh)}
