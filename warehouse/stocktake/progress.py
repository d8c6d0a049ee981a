"""Live progress of an open stock-take: per shelf and overall, expected boxes and how many were read.

Aggregated in SQL (one grouped query for the shelves, a few counts), so a page can poll it every few
seconds even for a stock-take of a whole store. A box counts as seen once the stock-take holds a read
of it that no recount set aside. The counters' view (blind mode) shows only what was scanned."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, distinct, exists, func, select
from sqlalchemy.orm import Session

from warehouse.locations import natural
from warehouse.models import (
    Device,
    Location,
    ScanEvent,
    Stocktake,
    StocktakeBox,
    StocktakeRecount,
    StocktakeRecountMark,
)
from warehouse.stocktake import rows

RECENT = 30  # reads shown to counters


def _counted(stocktake_id: int, has_recounts: bool):
    """Conditions of the stock-take's box reads that count (not set aside by a recount)."""
    e, r, m = ScanEvent, StocktakeRecount, StocktakeRecountMark
    where = [e.stocktake == stocktake_id, e.box_id.is_not(None)]
    if has_recounts:
        where.append(~exists().where(r.stocktake_id == stocktake_id, r.shelf_id == e.place_id,
                                     m.recount_id == r.id, m.device_id == e.device_id, m.seq >= e.seq))
    return where


def _has_recounts(session: Session, stocktake_id: int) -> bool:
    return session.scalar(select(StocktakeRecount.id).where(StocktakeRecount.stocktake_id == stocktake_id)
                          .limit(1)) is not None


def shelves(session: Session, stocktake: Stocktake, where: rows.Places) -> list[dict]:
    """Each home shelf of the expected set: its rack, expected boxes, boxes seen; by code.

    Two grouped queries: expected per home, and seen per home (the stock-take's box reads joined to
    its expected boxes by key), each one pass over indexed rows whatever the database."""
    x, e = StocktakeBox, ScanEvent
    expected = (select(x.home_id, func.count()).where(x.stocktake_id == stocktake.id).group_by(x.home_id))
    seen_query = (select(x.home_id, func.count(distinct(e.box_id)))
                  .join(x, and_(x.stocktake_id == stocktake.id, x.box_id == e.box_id))
                  .where(*_counted(stocktake.id, _has_recounts(session, stocktake.id))).group_by(x.home_id))
    seen = dict(session.connection().execute(seen_query).all())
    out: list[dict] = []
    for home, count in session.connection().execute(expected):
        rack = where.racks.get(home) if home is not None else None
        row = where.parents.get(rack) if rack is not None else None
        out.append({"shelf": where.code(home), "rack": where.code(rack), "row": where.code(row),
                    "expected": count, "seen": seen.get(home, 0)})
    out.sort(key=lambda s: natural(s["shelf"] or ""))
    return out


def rack_map(per_shelf: list[dict]) -> list[dict]:
    """Shelves grouped into racks and racks into rack rows, for a map coloured by completeness."""
    lines: dict[str | None, dict[str | None, list[dict]]] = {}
    for shelf in per_shelf:
        if shelf["shelf"] is not None:
            lines.setdefault(shelf["row"], {}).setdefault(shelf["rack"], []).append(shelf)
    return [{"row": row, "racks": [{"rack": rack, "shelves": shelves}
                                   for rack, shelves in sorted(racks.items(), key=lambda r: natural(r[0] or "~"))]}
            for row, racks in sorted(lines.items(), key=lambda line: natural(line[0] or "~"))]


def unexpected_so_far(session: Session, stocktake_id: int) -> int:
    """Boxes read from outside the expected set, and distinct unknown codes, so far."""
    e, x = ScanEvent, StocktakeBox
    outside = select(func.count(distinct(e.box_id))).where(
        e.stocktake == stocktake_id, e.box_id.is_not(None),
        ~exists().where(x.stocktake_id == stocktake_id, x.box_id == e.box_id))
    unknown = select(func.count(distinct(e.code))).where(e.stocktake == stocktake_id, e.reading == "unknown")
    return (session.scalar(outside) or 0) + (session.scalar(unknown) or 0)


def progress(session: Session, stocktake: Stocktake) -> dict:
    """What the supervisor's page polls: overall and per-shelf seen/expected, devices, recounts."""
    where = rows.places(session)
    per_shelf = shelves(session, stocktake, where)
    seen = sum(s["seen"] for s in per_shelf)
    return {"id": stocktake.id, "state": stocktake.state, "expected": stocktake.expected, "seen": seen,
            "percent": percent(seen, stocktake.expected), "shelves": per_shelf,
            "unexpected": unexpected_so_far(session, stocktake.id),
            "reads": reads_count(session, stocktake.id), "devices": device_counts(session, stocktake.id),
            "recounts": recounts(session, stocktake.id)}


def percent(seen: int, expected: int) -> int:
    """Whole percent, 100 only when complete."""
    if not expected:
        return 100
    return 100 if seen >= expected else min(99, seen * 100 // expected)


def iso(at: datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC with its offset (SQLite gives naive UTC)."""
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def reads_count(session: Session, stocktake_id: int) -> int:
    return session.scalar(select(func.count()).select_from(ScanEvent)
                          .where(ScanEvent.stocktake == stocktake_id)) or 0


def device_counts(session: Session, stocktake_id: int) -> list[dict]:
    """Reads per device and its last read."""
    e = ScanEvent
    query = (select(Device.name, func.count(), func.max(e.at)).join(Device, Device.id == e.device_id)
             .where(e.stocktake == stocktake_id).group_by(Device.name).order_by(Device.name))
    return [{"device": name, "reads": n, "last": iso(last)} for name, n, last in session.execute(query)]


def recounts(session: Session, stocktake_id: int) -> list[dict]:
    r = StocktakeRecount
    query = (select(Location.code, r.ordered_at, r.ordered_by).join(Location, Location.id == r.shelf_id)
             .where(r.stocktake_id == stocktake_id).order_by(r.id))
    return [{"shelf": code, "at": iso(at), "by": by} for code, at, by in session.execute(query)]


def scanned(session: Session, stocktake: Stocktake, device: str | None = None) -> dict:
    """The counters' view: boxes scanned per place and the latest reads, never what is expected."""
    e, here = ScanEvent, Location.__table__.alias("here")
    scope = [e.stocktake == stocktake.id] + ([Device.name == device] if device else [])
    per_place = (select(here.c.code, func.count(distinct(e.box_id))).join(Device, Device.id == e.device_id)
                 .outerjoin(here, here.c.id == e.place_id).where(*scope, e.reading == "box")
                 .group_by(here.c.code))
    places = [{"place": code, "boxes": n} for code, n in session.execute(per_place)]
    places.sort(key=lambda p: natural(p["place"] or "~"))
    latest = (select(e.code, e.reading, here.c.code, e.at, Device.name, e.seq)
              .join(Device, Device.id == e.device_id).outerjoin(here, and_(here.c.id == e.place_id))
              .where(*scope).order_by(e.at.desc(), Device.name.desc(), e.seq.desc()).limit(RECENT))
    recent = [{"code": code, "reading": reading, "place": place, "at": iso(at), "device": name}
              for code, reading, place, at, name, _ in session.execute(latest)]
    return {"id": stocktake.id, "state": stocktake.state, "device": device,
            "boxes": sum(p["boxes"] for p in places), "places": places, "recent": recent}
