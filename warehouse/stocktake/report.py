"""What a stock-take's pages and exports say about it: store, scope, people, times, totals, lines."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.locations import natural
from warehouse.models import Device, Location, ScanEvent, Stocktake, StocktakeBox, StocktakeResult, User
from warehouse.stocktake import apart, progress

ORDER = {"missing": 0, "misplaced": 1, "unlocated": 2, "unexpected": 3, "found": 4}


def stores(session: Session, stocktake: Stocktake) -> list[str]:
    """The store(s) counted: the store holding the scope, else those holding the expected homes."""
    if stocktake.scope is not None:
        codes = [stocktake.scope.path.strip("/").split("/")[0]]
    else:
        paths = session.scalars(select(Location.path).join(StocktakeBox, StocktakeBox.home_id == Location.id)
                                .where(StocktakeBox.stocktake_id == stocktake.id).distinct())
        codes = sorted({path.strip("/").split("/")[0] for path in paths}, key=natural)
    names = dict(session.execute(select(Location.code, Location.name).where(Location.code.in_(codes))).all())
    return [f"{code} – {names[code]}" if code in names else code for code in codes]


def devices(session: Session, stocktake_id: int) -> list[dict]:
    """Who counted: each device, its owner, its reads, its first and last read."""
    e = ScanEvent
    query = (select(Device.name, User.name, User.full_name, func.count(), func.min(e.at), func.max(e.at))
             .join(Device, Device.id == e.device_id).outerjoin(User, User.id == Device.owner_id)
             .where(e.stocktake == stocktake_id)
             .group_by(Device.name, User.name, User.full_name).order_by(Device.name))
    return [{"device": name, "owner": full or user, "reads": n, "first": first, "last": last}
            for name, user, full, n, first, last in session.execute(query)]


def summary(session: Session, stocktake: Stocktake) -> dict:
    """The heading of a result: store, scope, fonds, people, times and totals; the boxes listed apart
    at opening, so that expected + apart = `in_scope`, every box of the register in the scope."""
    counted = devices(session, stocktake.id)
    away = apart.listed(session, stocktake.id)
    recounts = progress.recounts(session, stocktake.id)
    people = [stocktake.opened_by, stocktake.closed_by, *(r["by"] for r in recounts),
              *(d["owner"] for d in counted)]
    totals = {name: getattr(stocktake, name) for name in ("found", "misplaced", "missing", "unlocated",
                                                           "unexpected")}
    return {
        "id": stocktake.id, "state": stocktake.state, "blind": stocktake.blind, "note": stocktake.note,
        "stores": stores(session, stocktake),
        "scope": {"code": stocktake.scope.code, "name": stocktake.scope.name} if stocktake.scope else None,
        "fonds": {"code": stocktake.fonds.code, "name": stocktake.fonds.name} if stocktake.fonds else None,
        "opened_at": stocktake.opened_at, "opened_by": stocktake.opened_by,
        "closed_at": stocktake.closed_at, "closed_by": stocktake.closed_by,
        "people": list(dict.fromkeys(p for p in people if p)), "devices": counted, "recounts": recounts,
        "expected": stocktake.expected, "reads": stocktake.reads, "totals": totals,
        "apart": away, "apart_counts": apart.counts(away), "in_scope": stocktake.expected + len(away),
    }


def lines(session: Session, stocktake_id: int) -> list[dict]:
    """Every line of a closed result with its places, time and device; missing first, then by code."""
    r, home, seen = StocktakeResult, Location.__table__.alias("home"), Location.__table__.alias("seen")
    query = (select(r.outcome, r.code, r.box_id, home.c.code, seen.c.code, r.seen_at, Device.name)
             .outerjoin(home, home.c.id == r.expected_id).outerjoin(seen, seen.c.id == r.found_id)
             .outerjoin(Device, Device.id == r.device_id).where(r.stocktake_id == stocktake_id))
    out = [{"outcome": outcome, "code": code, "box": box is not None, "expected": exp, "found": found,
            "at": at, "device": device}
           for outcome, code, box, exp, found, at, device in session.execute(query)]
    out.sort(key=lambda line: (ORDER[line["outcome"]], natural(line["code"])))
    return out


def reads_after_close(session: Session, stocktake: Stocktake) -> int:
    """Reads that arrived with the stock-take's context after it closed (kept, not counted)."""
    if stocktake.is_open or stocktake.reads is None:
        return 0
    return max(progress.reads_count(session, stocktake.id) - stocktake.reads, 0)
