"""Stock-take sessions: open one with a frozen expected set, order recounts, close it into a frozen result.

All state is in the database (the session, its expected boxes, its recounts, the events that name it
in their context), so a session survives a restart and is resumed from any device. Each function is
one use case in the caller's transaction, audited."""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, exists, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.errors import N_, not_found, refused
from warehouse.fonds import get_fonds
from warehouse.locations import get_location
from warehouse.models import (
    Box,
    Fonds,
    Location,
    ScanEvent,
    Stocktake,
    StocktakeApart,
    StocktakeBox,
    StocktakeRecount,
    StocktakeRecountMark,
    StocktakeResult,
)
from warehouse.models.base import utcnow
from warehouse.models.locations import NEVER_PLACES
from warehouse.stocktake import apart, rows
from warehouse.stocktake.classify import Outcome, classify, unknown_places
from warehouse.stocktake.store import save_results
from warehouse.tracking.state import listed_apart as tracked_apart

LISTS = ("found", "missing", "misplaced", "unexpected", "unlocated")


def in_stock() -> list:
    """What a box must be to be expected: in stock (a retired box, emptied by a merge, is not)."""
    return [Box.retired_at.is_(None)]


def listed_apart() -> list[tuple[str, ColumnElement[bool]]]:
    """(reason, condition) of boxes of the scope left out of the count and listed apart.

    The states tracking stores (in transit, checked out, handed over, destroyed, lost): each gives its
    condition here and `open_stocktake` stores those boxes under the reason (`stocktake_apart`)."""
    return tracked_apart()


def find(session: Session, stocktake_id: int, *, lock: bool = False) -> Stocktake:
    query = select(Stocktake).where(Stocktake.id == stocktake_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise not_found(N_("no stock-take %(id)s"), id=stocktake_id)
    return found


def _must_be_open(stocktake: Stocktake) -> None:
    if not stocktake.is_open:
        raise refused(N_("stock-take %(id)s is closed: its result is frozen"), id=stocktake.id)


def open_stocktake(session: Session, *, actor: str, scope: str | None = None, fonds: str | None = None,
                   blind: bool = False, note: str = "") -> dict:
    """A new stock-take of a location subtree, a fonds or both; its expected boxes are frozen now."""
    scope, fonds = (scope or "").strip(), (fonds or "").strip()
    if not scope and not fonds:
        raise refused(N_("a stock-take needs a scope (a location), a fonds, or both"))
    place = get_location(session, scope) if scope else None
    if place is not None and place.kind in NEVER_PLACES:
        raise refused(N_("%(code)s is a gate or a checkpoint: it holds no boxes to count"), code=place.code)
    body = get_fonds(session, fonds) if fonds else None
    stocktake = Stocktake(scope_id=place.id if place else None, fonds_id=body.id if body else None,
                          blind=blind, note=(note or "").strip(), opened_by=actor, state="open")
    session.add(stocktake)
    session.flush()
    _list_apart(session, stocktake.id, place, body)
    chosen = _scoped(select(literal(stocktake.id), Box.id, Box.home_id), place, body).where(~exists().where(
        StocktakeApart.stocktake_id == stocktake.id, StocktakeApart.box_id == Box.id))
    session.execute(insert(StocktakeBox).from_select(["stocktake_id", "box_id", "home_id"], chosen))
    stocktake.expected = session.scalar(select(func.count()).select_from(StocktakeBox)
                                        .where(StocktakeBox.stocktake_id == stocktake.id)) or 0
    away = apart.listed(session, stocktake.id)
    audit.record(session, actor, "stocktake.open", f"stocktake:{stocktake.id}",
                 scope=place.code if place else None, fonds=body.code if body else None, blind=blind,
                 expected=stocktake.expected,
                 apart={reason: len(codes) for reason, codes in apart.by_reason(away).items()})
    return {"id": stocktake.id, "expected": stocktake.expected, "scope": place.code if place else None,
            "fonds": body.code if body else None, "blind": blind, "apart": apart.by_reason(away),
            "excluded": sorted(({"box": a["box"], "reason": a["reason"]} for a in away), key=lambda e: e["box"])}


def _list_apart(session: Session, stocktake_id: int, place: Location | None, body: Fonds | None) -> None:
    """Store the boxes of the scope held apart, each under the reason of the condition it meets: one
    INSERT … SELECT, before the expected set, which is the rest of the scope."""
    conditions = listed_apart()
    if not conditions:
        return
    reason = case(*((condition, literal(name)) for name, condition in conditions))
    held = _scoped(select(literal(stocktake_id), Box.id, reason, Box.home_id), place, body).where(
        or_(*(condition for _, condition in conditions)))
    session.execute(insert(StocktakeApart).from_select(["stocktake_id", "box_id", "reason", "home_id"], held))


def _scoped(query, place: Location | None, body: Fonds | None):
    """Boxes in stock whose home is the place or inside it, of the fonds."""
    query = query.where(*in_stock())
    if place is not None:
        query = query.join(Location, Location.id == Box.home_id).where(
            Location.path.startswith(place.path, autoescape=True))
    if body is not None:
        query = query.where(Box.fonds_id == body.id)
    return query


def order_recount(session: Session, stocktake_id: int, shelf: str, actor: str) -> dict:
    """Count one shelf again: the reads placed on it so far are set aside, the recount's reads count."""
    stocktake = find(session, stocktake_id, lock=True)
    _must_be_open(stocktake)
    place = get_location(session, shelf)
    if place.kind != "ngan":
        raise refused(N_("%(code)s is not a shelf: a recount is of one shelf"), code=place.code)
    if stocktake.scope is not None and not place.path.startswith(stocktake.scope.path):
        raise refused(N_("shelf %(code)s is outside the scope %(scope)s of stock-take %(id)s"),
                      code=place.code, scope=stocktake.scope.code, id=stocktake.id)
    recount = StocktakeRecount(stocktake_id=stocktake.id, shelf_id=place.id, ordered_by=actor)
    session.add(recount)
    session.flush()
    marks = rows.last_seqs(session, stocktake.id)
    if marks:
        session.execute(insert(StocktakeRecountMark),
                        [{"recount_id": recount.id, "device_id": d, "seq": s} for d, s in marks.items()])
    set_aside = session.scalar(select(func.count()).select_from(ScanEvent).where(
        ScanEvent.stocktake == stocktake.id, ScanEvent.place_id == place.id)) or 0
    audit.record(session, actor, "stocktake.recount", f"stocktake:{stocktake.id}", shelf=place.code,
                 recount=recount.id, reads_set_aside=set_aside)
    return {"id": stocktake.id, "recount": recount.id, "shelf": place.code, "set_aside": set_aside}


def decide(session: Session, stocktake: Stocktake) -> tuple[Outcome, rows.Places, dict[int, str]]:
    """Classify the stock-take's reads as they are now (a few set-based queries, then pure rules)."""
    names = rows.device_names(session)
    where = rows.places(session)
    reads = rows.reads(session, stocktake.id, names)
    marks = rows.marks(session, stocktake.id, names)
    unknown = unknown_places(reads, where.kinds, where.by_code) if marks else None
    homes, boxes = rows.expected(session, stocktake.id)
    outcome = classify(homes, reads, where.racks, marks, unknown)
    boxes.update(rows.box_codes(session, [v.box for v in outcome.outside]))
    return outcome, where, boxes


def _lines(outcome: Outcome, where: rows.Places, boxes: dict[int, str]) -> list[tuple]:
    """(outcome, code, expected code, found code) for each box and unknown code."""
    lines = [(v.outcome, boxes[v.box], where.code(v.home), where.code(v.place))
             for v in (*outcome.verdicts, *outcome.outside)]
    lines += [("unexpected", code, None, None) for code in outcome.unknown]
    return lines


def as_json(stocktake_id: int, lines, **extra) -> dict:
    """The contract's result document from (outcome, code, expected, found) lines, lists sorted."""
    doc: dict = {"id": stocktake_id, **{name: [] for name in LISTS}}
    for outcome, code, expected, found in sorted(lines, key=lambda line: line[1]):
        if outcome == "misplaced":
            doc["misplaced"].append({"box": code, "expected": expected, "found": found})
        else:
            doc[outcome].append(code)
    doc.update(extra)
    return doc


def close(session: Session, stocktake_id: int, actor: str) -> dict:
    """Decide every expected box, freeze the result per box, audit, and hand it to the alerts hook."""
    stocktake = find(session, stocktake_id, lock=True)
    _must_be_open(stocktake)
    outcome, where, boxes = decide(session, stocktake)
    ids = {name: id_ for id_, name in rows.device_names(session).items()}
    save_results(session, _result_rows(stocktake.id, outcome, boxes, ids))
    stocktake.state, stocktake.closed_at, stocktake.closed_by = "closed", utcnow(), actor
    stocktake.reads = outcome.reads
    totals = {name: len(outcome.of(name)) for name in ("found", "misplaced", "missing", "unlocated")}
    totals["unexpected"] = len(outcome.outside) + len(outcome.unknown)
    for name, count in totals.items():
        setattr(stocktake, name, count)
    audit.record(session, actor, "stocktake.close", f"stocktake:{stocktake.id}", expected=stocktake.expected,
                 reads=stocktake.reads, set_aside=outcome.set_aside, **totals)
    doc = as_json(stocktake.id, _lines(outcome, where, boxes), expected=stocktake.expected)
    after_close(session, stocktake, doc, sorted(outcome.unknown), actor)
    return doc


def _result_rows(stocktake_id: int, outcome: Outcome, boxes: dict[int, str], ids: dict[str, int]) -> list:
    out: list[tuple] = []
    for v in (*outcome.verdicts, *outcome.outside):
        at, device, seq = v.read or (None, None, None)
        out.append((stocktake_id, v.outcome, v.box, boxes[v.box], v.home, v.place, at, ids.get(device), seq))
    for code, (at, device, seq) in outcome.unknown.items():
        out.append((stocktake_id, "unexpected", None, code, None, None, at, ids[device], seq))
    return out


def after_close(session: Session, stocktake: Stocktake, result: dict, unknown: list[str], actor: str) -> None:
    """One `missing` alert per missing box, one `misplaced` per misplaced box, one `unknown_code` per
    unknown code read (`unknown`, as read)."""
    from warehouse.alerts.stocktakes import stocktake_closed

    stocktake_closed(session, stocktake.id, stocktake.closed_at, result, unknown, actor)


def result(session: Session, stocktake_id: int) -> dict:
    """The frozen result of a closed stock-take; for an open one, what closing now would give. Beside
    the contract's lists, `apart`: the boxes of the scope listed apart at opening, with their reason."""
    stocktake = find(session, stocktake_id)
    away = apart.listed(session, stocktake.id)
    if stocktake.is_open:
        outcome, where, boxes = decide(session, stocktake)
        return as_json(stocktake.id, _lines(outcome, where, boxes), expected=stocktake.expected, apart=away,
                       provisional=True)
    return as_json(stocktake.id, frozen_lines(session, stocktake.id), expected=stocktake.expected, apart=away)


def frozen_lines(session: Session, stocktake_id: int) -> list[tuple]:
    """(outcome, code, expected code, found code) of a closed stock-take, from its result rows."""
    r, home, seen = StocktakeResult, Location.__table__.alias("home"), Location.__table__.alias("seen")
    query = (select(r.outcome, r.code, home.c.code, seen.c.code)
             .outerjoin(home, home.c.id == r.expected_id).outerjoin(seen, seen.c.id == r.found_id)
             .where(r.stocktake_id == stocktake_id))
    return [tuple(row) for row in session.execute(query)]


def listing(session: Session) -> list[Stocktake]:
    """Every stock-take, newest first."""
    return list(session.scalars(select(Stocktake).order_by(Stocktake.id.desc())))

