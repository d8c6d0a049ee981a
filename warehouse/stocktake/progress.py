"""Live progress of an open stock-take: per shelf and overall, expected boxes and how many were read.

Aggregated in SQL (one grouped query for the shelves, a few counts), so a page can poll it every few
seconds even for a stock-take of a whole store. A box counts as seen once the stock-take holds a read
of it that no recount set aside. The counters' view (blind mode) shows only what was scanned."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, case, distinct, exists, func, select
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
from warehouse.stocktake import apart, rows

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


def shelves(session: Session, stocktake: Stocktake, where: rows.Places) -> tuple[list[dict], int]:
    """Each home shelf of the expected set (its rack, expected boxes, boxes seen; by code), and how
    many boxes from outside the set were read.

    Two grouped queries: expected per home, and the stock-take's box reads outer-joined to its
    expected boxes by key (seen per home, and the boxes that matched none), each one pass."""
    x, e = StocktakeBox, ScanEvent
    expected = (select(x.home_id, func.count()).where(x.stocktake_id == stocktake.id).group_by(x.home_id))
    outside = x.box_id.is_(None)
    seen_query = (select(x.home_id, outside, func.count(distinct(e.box_id)))
                  .outerjoin(x, and_(x.stocktake_id == stocktake.id, x.box_id == e.box_id))
                  .where(*_counted(stocktake.id, _has_recounts(session, stocktake.id)))
                  .group_by(x.home_id, outside))
    seen, others = {}, 0
    for home, is_outside, count in session.connection().execute(seen_query):
        if is_outside:
            others += count
        else:
            seen[home] = count
    out: list[dict] = []
    for home, count in session.connection().execute(expected):
        rack = where.racks.get(home) if home is not None else None
        row = where.parents.get(rack) if rack is not None else None
        out.append({"shelf": where.code(home), "rack": where.code(rack), "row": where.code(row),
                    "expected": count, "seen": seen.get(home, 0)})
    out.sort(key=lambda s: natural(s["shelf"] or ""))
    return out, others


def rack_map(per_shelf: list[dict]) -> list[dict]:
    """Shelves grouped into racks and racks into rack rows, for a map coloured by completeness."""
    lines: dict[str | None, dict[str | None, list[dict]]] = {}
    for shelf in per_shelf:
        if shelf["shelf"] is not None:
            lines.setdefault(shelf["row"], {}).setdefault(shelf["rack"], []).append(shelf)
    return [{"row": row, "racks": [{"rack": rack, "shelves": shelves}
                                   for rack, shelves in sorted(racks.items(), key=lambda r: natural(r[0] or "~"))]}
            for row, racks in sorted(lines.items(), key=lambda line: natural(line[0] or "~"))]


def progress(session: Session, stocktake: Stocktake) -> dict:
    """What the supervisor's page polls: overall and per-shelf seen/expected, devices, recounts, and
    the boxes of the scope listed apart at opening (never what the counters' view shows)."""
    where = rows.places(session)
    per_shelf, outside = shelves(session, stocktake, where)
    devices, unknown = device_counts(session, stocktake.id)
    seen = sum(s["seen"] for s in per_shelf)
    return {"id": stocktake.id, "state": stocktake.state, "expected": stocktake.expected, "seen": seen,
            "percent": percent(seen, stocktake.expected), "shelves": per_shelf,
            "unexpected": outside + unknown, "reads": sum(d["reads"] for d in devices), "devices": devices,
            "recounts": recounts(session, stocktake.id), "apart": apart.listed(session, stocktake.id)}


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


def device_counts(session: Session, stocktake_id: int) -> tuple[list[dict], int]:
    """Reads per device and its last read, and how many distinct unknown codes were read: one pass
    grouped by device and unknown code (unknown codes are few)."""
    e = ScanEvent
    unknown = case((e.reading == "unknown", e.code), else_=None)
    query = (select(e.device_id, unknown, func.count(), func.max(e.at)).where(e.stocktake == stocktake_id)
             .group_by(e.device_id, unknown))
    per: dict[int, list] = {}
    codes: set[str] = set()
    for device, code, n, last in session.connection().execute(query):
        seen = per.setdefault(device, [0, last])
        seen[0] += n
        seen[1] = max(seen[1], last)
        if code is not None:
            codes.add(code)
    names = rows.device_names(session)
    devices = [{"device": names.get(d, str(d)), "reads": n, "last": iso(last)} for d, (n, last) in per.items()]
    return sorted(devices, key=lambda d: d["device"]), len(codes)


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
