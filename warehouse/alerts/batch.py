"""Alerts from a stored batch of day-to-day reads (the scan pipeline's AFTER_BATCH hook): unknown codes;
boxes seen off their shelf (misplaced, and closed_fonds for a box of a closed fonds not on a transfer);
boxes read at a gate; one box code read in two stores too close in time (duplicate_code).

A batch of thousands of reads costs a handful of statements whatever its size: the homes of the boxes
read, the places' stores (and whether any other store exists: with a single store there can be no
duplicate), the stored sightings that could contradict the batch in other stores; the open move orders,
transfers and gates only when some read needs them. A read that raises nothing costs a tuple, never
JSON. Reads of a stock-take are judged when it closes, not here."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, true, union, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause

from warehouse import settings
from warehouse.alerts import rules
from warehouse.alerts.raising import raise_alerts
from warehouse.alerts.rules import Draft
from warehouse.models import Box, BoxStatus, Fonds, Location, ScanEvent, Transfer, TransferBox
from warehouse.scans.catalog import keyset, naive_utc

# A read as the pipeline hands it over: (device id, seq, code as read, kind, at as naive UTC, location code
# or None, reading, box id, label id, place id, stocktake id or None).
DEVICE, SEQ, CODE, AT, LOCATION, READING, BOX, PLACE, STOCKTAKE = 0, 1, 2, 4, 5, 6, 7, 9, 10
TRAVEL = "ALERT_DUPLICATE_TRAVEL_MINUTES"
COVERED = ("in_transit", "checked_out", "handed_over")  # stored states a box may be away from its shelf in

# Core tables: rows come back as plain tuples, without the ORM's per-row work.
boxes, fonds, places = Box.__table__, Fonds.__table__, Location.__table__


def local_zone(session: Session) -> ZoneInfo:
    """BABEL_DEFAULT_TIMEZONE: where the archive is, for the days of its calendar (a fonds' closing day)."""
    return ZoneInfo(str(settings.of_session(session, "BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh")))


def travel_time(session: Session) -> timedelta:
    """ALERT_DUPLICATE_TRAVEL_MINUTES: the least time between reads of one box in two stores (0: off)."""
    return timedelta(minutes=float(settings.of_session(session, TRAVEL, 30)))


def after_batch(session: Session, reads: Sequence[tuple], actor: str) -> None:
    """Raise what a stored batch of reads shows (see the module docstring)."""
    day = [r for r in reads if r[STOCKTAKE] is None]
    if not day:
        return
    drafts = rules.unknown_reads((r[CODE], r[AT], str(r[DEVICE])) for r in day if r[READING] == "unknown")
    box_reads = [r for r in day if r[READING] == "box"]
    located = [r for r in box_reads if r[PLACE] is not None]
    at_gates = [r for r in box_reads if r[LOCATION] and r[PLACE] is None]  # a gate is never a place
    if located or at_gates:
        homes = _homes(session, {r[BOX] for r in located} | {r[BOX] for r in at_gates})
        if located:
            drafts += _off_home(session, located, homes)
            drafts += _duplicates(session, located, homes)
        if at_gates:
            drafts += _gate_exits(session, at_gates, homes)
    raise_alerts(session, drafts, actor)


def _homes(session: Session, ids: Collection[int]) -> dict[int, tuple]:
    """Box → (code, home shelf id, the rack holding it, its fonds' closing day or None): one query."""
    shelf = places.alias("shelf")
    query = (select(boxes.c.id, boxes.c.code, boxes.c.home_id, shelf.c.parent_id, fonds.c.closed_on)
             .join(fonds, fonds.c.id == boxes.c.fonds_id).outerjoin(shelf, shelf.c.id == boxes.c.home_id)
             .where(boxes.c.id.in_(keyset(session, "boxes", ids, "int"))))
    return {row[0]: row[1:] for row in session.execute(query)}


def _off_home(session: Session, located: list[tuple], homes: dict[int, tuple]) -> list[Draft]:
    """misplaced, and closed_fonds for boxes of a closed fonds, from reads away from the box's home."""
    away = [(r[BOX], homes[r[BOX]][0], r[PLACE], homes[r[BOX]][1], homes[r[BOX]][2], homes[r[BOX]][3], r[AT])
            for r in located if rules.off_home(r[PLACE], homes[r[BOX]][1], homes[r[BOX]][2])]
    if not away:
        return []
    from warehouse.tracking import moves

    ids = {a[0] for a in away}
    drafts = rules.misplaced_sightings([a[:5] + a[6:] for a in away], set(moves.open_lines(session, ids)))
    closed = [a for a in away if a[5] is not None]
    if closed:
        drafts += rules.closed_fonds_sightings(closed, _covered(session, {a[0] for a in closed}), local_zone(session))
    return drafts


def _covered(session: Session, ids: set[int]) -> set[int]:
    """Of these boxes, those an open transfer (listed or in transit) or a check-out accounts for."""
    on_transfer = (select(TransferBox.box_id).join(Transfer, Transfer.id == TransferBox.transfer_id)
                   .where(TransferBox.box_id.in_(ids), Transfer.state.in_(("planned", "dispatched")),
                          TransferBox.state.in_(("listed", "in_transit"))))
    away = select(BoxStatus.box_id).where(BoxStatus.box_id.in_(ids), BoxStatus.state.in_(COVERED))
    return set(session.scalars(union(on_transfer, away)))


def _duplicates(session: Session, located: list[tuple], homes: dict[int, tuple]) -> list[Draft]:
    """duplicate_code: a box read here and in another store (in this batch, or stored) within the travel
    time. Nothing is queried past the places when only one store exists."""
    travel = travel_time(session)
    if travel <= timedelta(0):
        return []
    # The batch's places, and every store (a handful of rows): one query.
    columns = (places.c.id, places.c.path, places.c.kind)
    found = session.execute(union_all(
        select(*columns).where(places.c.id.in_(keyset(session, "places", {r[PLACE] for r in located}, "int"))),
        select(*columns).where(places.c.kind == "kho")))
    stores, every = {}, set()
    for pid, path, kind in found:
        stores[pid] = rules.store_of(path)
        if kind == "kho":
            every.add(stores[pid])
    here = {stores[r[PLACE]] for r in located}
    if len(here) < 2 and not every - here:
        return []
    since, until = min(r[AT] for r in located) - travel, max(r[AT] for r in located) + travel
    stored = _stored_sightings(session, {r[BOX] for r in located}, since, until,
                               next(iter(here)) if len(here) == 1 else None)
    if len(here) == 1:  # all read in one store: only boxes read in another one can be duplicates
        if not stored:
            return []
        elsewhere = {row[0] for row in stored}
        located = [r for r in located if r[BOX] in elsewhere]
    mine = {(r[DEVICE], r[SEQ]) for r in located}
    sightings = [(r[BOX], homes[r[BOX]][0], r[AT], stores[r[PLACE]], r[PLACE], True) for r in located]
    sightings += [(b, homes[b][0], naive_utc(at), rules.store_of(path), pid, False)
                  for b, at, pid, path, device, seq in stored if (device, seq) not in mine]
    drafts = rules.duplicate_codes(sightings, travel)
    if drafts:
        moved = _transferred(session, {d.box_id for d in drafts if d.box_id is not None}, since, until)
        drafts = [d for d in drafts if d.box_id not in moved]
    return drafts


def _stored_sightings(session: Session, ids: Collection[int], since: datetime, until: datetime,
                      only_store: str | None) -> list[tuple]:
    """Day-to-day located sightings of these boxes between two times (box id, at, place id, place path,
    device id, seq), by the index on (box_id, at); outside `only_store` when the batch is all in one.

    On PostgreSQL each box is looked up through a LATERAL join, so the plan is an index range per box
    however stale the table's statistics are (during a long ingest, a plain join was planned as a scan
    of every read, a thousand times slower)."""
    e = ScanEvent.__table__
    wanted = keyset(session, "sighted", ids, "int")
    if session.get_bind().dialect.name == "postgresql":
        k = wanted.subquery("k")
        match = e.c.box_id == k.c.value
    else:
        k, match = None, e.c.box_id.in_(wanted)
    inner = (select(e.c.box_id, e.c.at, e.c.place_id, e.c.device_id, e.c.seq)
             .where(match, e.c.at >= since.replace(tzinfo=UTC), e.c.at <= until.replace(tzinfo=UTC),
                    e.c.sighting.is_(True), e.c.stocktake.is_(None)))
    if k is not None:  # OFFSET 0 keeps PostgreSQL from flattening the LATERAL into a plain join
        seen: FromClause = inner.offset(0).lateral("seen")
        joined: FromClause = k.join(seen, true())
    else:
        seen = joined = inner.subquery("seen")
    query = (select(seen.c.box_id, seen.c.at, seen.c.place_id, places.c.path, seen.c.device_id, seen.c.seq)
             .select_from(joined.join(places, places.c.id == seen.c.place_id)))
    if only_store is not None:
        query = query.where(~places.c.path.startswith(f"/{only_store}/", autoescape=True))
    return list(session.execute(query))


def _transferred(session: Session, ids: set[int], since: datetime, until: datetime) -> set[int]:
    """Boxes that left or reached a store on a transfer between two times: read in both, not copied."""
    since, until = since.replace(tzinfo=UTC), until.replace(tzinfo=UTC)
    return set(session.scalars(select(TransferBox.box_id).where(
        TransferBox.box_id.in_(ids),
        TransferBox.dispatched_at.between(since, until) | TransferBox.received_at.between(since, until))))


def _gate_exits(session: Session, reads: list[tuple], homes: dict[int, tuple]) -> list[Draft]:
    """Box reads whose explicit location is a gate, of boxes not checked out, in transit or handed over."""
    gates = dict(session.execute(select(places.c.code, places.c.id).where(
        places.c.code.in_({r[LOCATION] for r in reads}), places.c.kind == "cong")).all())
    at_gate = [r for r in reads if r[LOCATION] in gates]
    if not at_gate:
        return []
    covered = set(session.scalars(select(BoxStatus.box_id).where(
        BoxStatus.box_id.in_({r[BOX] for r in at_gate}), BoxStatus.state.in_(COVERED))))
    return rules.gate_exits({"at": r[AT], "box_id": r[BOX], "box": homes[r[BOX]][0], "gate_id": gates[r[LOCATION]],
                             "gate": r[LOCATION], "device": r[DEVICE], "seq": r[SEQ]}
                            for r in at_gate if r[BOX] not in covered)
