"""Transfers between stores: boxes carried from one store to another (or handed to an outside body).

A transfer is planned with its boxes, origin, destination, vehicle, seals, people and expected
arrival. Dispatch scans at the origin (reads whose context names the transfer, or by hand) load its
boxes: each goes in transit. Dispatching the transfer is the vehicle leaving. Receipt scans at the
destination (reads naming the transfer, or any read of a box in transit inside the destination
store) receive boxes; a box read that the list does not name is received but not listed. The
receiver declares boxes that did not arrive missing on receipt. A transfer stays open, partly
received, until every box that left is received or declared missing.

Per box: listed (not yet dispatched) · in_transit · received · missing (on receipt) · unlisted
(received but not listed). A received box's home is cleared (it is shelved at the destination with a
move order); a box received by an outside body is handed over; a missing one is lost."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from warehouse import audit
from warehouse.alerts import movements
from warehouse.errors import N_, not_found, refused
from warehouse.locations import get_location
from warehouse.models import Box, Device, Fonds, Location, Transfer, TransferBox
from warehouse.models.base import utcnow
from warehouse.text import nfc
from warehouse.tracking.state import find_boxes, forget, log, refuse_apart, set_state, stored_states

OPEN = ("planned", "dispatched")


def _store(session: Session, code: str, what: str) -> Location:
    place = get_location(session, code)
    if place.kind != "kho":
        raise refused(N_("%(code)s is a %(kind)s: the %(what)s of a transfer is a store (kho)"),
                      code=place.code, kind=place.kind, what=what)
    return place


def get_transfer(session: Session, transfer_id: int, *, lock: bool = False) -> Transfer:
    query = select(Transfer).where(Transfer.id == transfer_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise not_found(N_("no transfer %(id)s"), id=transfer_id)
    return found


def create_transfer(session: Session, actor: str, codes: Iterable[str], origin: str, *,
                    destination: str = "", recipient: str = "", vehicle: str = "", seals: str = "",
                    people: str = "", expected_at: datetime | None = None, note: str = "") -> dict:
    """A planned transfer of boxes whose home is in the origin store (or that have none)."""
    source = _store(session, origin, N_("origin"))
    recipient = nfc(recipient)
    if bool((destination or "").strip()) == bool(recipient):
        raise refused(N_("a transfer goes to a store of Kho (destination) or to an outside body "
                         "(recipient): give exactly one"))
    target = _store(session, destination, N_("destination")) if destination.strip() else None
    if target is not None and target.id == source.id:
        raise refused(N_("a transfer goes to another store than %(code)s"), code=source.code)
    boxes = find_boxes(session, codes)
    refuse_apart(session, boxes, N_("box %(codes)s is not in stock: it cannot be transferred"))
    _refuse_elsewhere(session, boxes, source)
    _refuse_on_open(session, boxes)
    transfer = Transfer(origin_id=source.id, destination_id=target.id if target else None, recipient=recipient,
                        vehicle=nfc(vehicle), seals=nfc(seals), people=nfc(people), expected_at=expected_at,
                        note=nfc(note), created_by=actor, state="planned")
    session.add(transfer)
    session.flush()
    session.add_all(TransferBox(transfer_id=transfer.id, box_id=b.id, state="listed", listed=True) for b in boxes)
    log(session, [{"box_id": b.id, "kind": "transfer.listed", "actor": actor, "ref": transfer.id,
                   "detail": {"from": source.code, "to": target.code if target else recipient}} for b in boxes])
    audit.record(session, actor, "transfer.create", f"transfer:{transfer.id}", origin=source.code,
                 destination=target.code if target else None, recipient=recipient or None,
                 vehicle=transfer.vehicle, seals=transfer.seals, people=transfer.people,
                 expected_at=expected_at, boxes=[b.code for b in boxes])
    session.flush()
    return transfer_doc(session, transfer.id)


def _refuse_elsewhere(session: Session, boxes: list[Box], source: Location) -> None:
    homes = dict(session.execute(select(Location.id, Location.path).where(
        Location.id.in_({b.home_id for b in boxes if b.home_id is not None}))).all())
    away = [b.code for b in boxes if b.home_id is not None and not homes[b.home_id].startswith(source.path)]
    if away:
        raise refused(N_("box %(codes)s does not have its home in store %(store)s"), codes=", ".join(away),
                      store=source.code)


def _refuse_on_open(session: Session, boxes: list[Box]) -> None:
    taken = session.execute(select(Box.code, Transfer.id).join(TransferBox, TransferBox.box_id == Box.id)
                            .join(Transfer, Transfer.id == TransferBox.transfer_id)
                            .where(Box.id.in_([b.id for b in boxes]), Transfer.state.in_(OPEN),
                                   TransferBox.state.in_(("listed", "in_transit")))).all()
    if taken:
        raise refused(N_("box %(codes)s is already on an open transfer"),
                      codes=", ".join(f"{code} (#{t})" for code, t in taken))


def _lines(session: Session, transfer_id: int) -> dict[int, str]:
    """Box → its state on the transfer."""
    return dict(session.execute(select(TransferBox.box_id, TransferBox.state)
                                .where(TransferBox.transfer_id == transfer_id)).all())


def load(session: Session, actor: str, transfer_id: int, reads: Iterable[tuple[int, datetime, int | None]], *,
         strict: bool = True) -> list[int]:
    """Dispatch scans at the origin, (box id, at, device id) each: listed boxes of a planned transfer go in
    transit. With `strict` (by hand) a box not waiting on the list is refused; from scans it is left
    alone. The boxes loaded."""
    transfer = get_transfer(session, transfer_id, lock=True)
    if transfer.state != "planned":
        raise refused(N_("transfer %(id)s is %(state)s: boxes are loaded before it is dispatched"),
                      id=transfer_id, state=transfer.state)
    lines, first = _lines(session, transfer_id), _first(reads)
    stray = [b for b in first if lines.get(b) != "listed"]
    if stray and strict:
        raise refused(N_("box %(codes)s is not waiting to be loaded on transfer %(id)s"),
                      codes=", ".join(_names(session, stray)), id=transfer_id)
    loaded = [b for b in first if lines.get(b) == "listed"]
    if loaded:
        session.execute(update(TransferBox), [
            {"transfer_id": transfer_id, "box_id": b, "state": "in_transit", "dispatched_at": first[b][0],
             "dispatched_device_id": first[b][1]} for b in loaded])
        set_state(session, loaded, "in_transit", at=min(first[b][0] for b in loaded), transfer_id=transfer_id)
        log(session, [{"box_id": b, "kind": "transfer.loaded", "actor": actor, "at": first[b][0],
                       "device_id": first[b][1], "ref": transfer_id} for b in loaded])
        audit.record(session, actor, "transfer.load", f"transfer:{transfer_id}", boxes=_names(session, loaded))
    return loaded


def _first(reads: Iterable[tuple[int, datetime, int | None]]) -> dict[int, tuple[datetime, int | None]]:
    """Box → (at, device) of its first read, boxes in the order first read."""
    first: dict[int, tuple[datetime, int | None]] = {}
    for box, at, device in sorted(reads, key=lambda r: r[1]):
        first.setdefault(box, (at, device))
    return first


def _by_hand(session: Session, codes: Iterable[str]) -> list[tuple[int, datetime, int | None]]:
    now = utcnow()
    return [(b.id, now, None) for b in find_boxes(session, codes)]


def _names(session: Session, ids: Iterable[int]) -> list[str]:
    return sorted(session.scalars(select(Box.code).where(Box.id.in_(list(ids)))))


def load_by_hand(session: Session, actor: str, transfer_id: int, codes: Iterable[str]) -> dict:
    load(session, actor, transfer_id, _by_hand(session, codes))
    return transfer_doc(session, transfer_id)


def dispatch(session: Session, actor: str, transfer_id: int, *, load_all: bool = False,
             seals: str | None = None) -> dict:
    """The vehicle leaves: boxes loaded so far are on their way (with `load_all`, every listed box)."""
    transfer = get_transfer(session, transfer_id, lock=True)
    if transfer.state != "planned":
        raise refused(N_("transfer %(id)s is %(state)s: only a planned transfer is dispatched"),
                      id=transfer_id, state=transfer.state)
    if load_all:
        now = utcnow()
        load(session, actor, transfer_id, [(b, now, None) for b, s in _lines(session, transfer_id).items()
                                           if s == "listed"])
    lines = _lines(session, transfer_id)
    going = [b for b, s in lines.items() if s == "in_transit"]
    if not going:
        raise refused(N_("no box of transfer %(id)s is loaded: scan them at the origin first"), id=transfer_id)
    if seals is not None and nfc(seals):
        transfer.seals = nfc(seals)
    transfer.state, transfer.dispatched_at, transfer.dispatched_by = "dispatched", utcnow(), actor
    left = [b for b, s in lines.items() if s == "listed"]
    audit.record(session, actor, "transfer.dispatch", f"transfer:{transfer_id}", boxes=len(going),
                 not_dispatched=_names(session, left), seals=transfer.seals)
    return transfer_doc(session, transfer_id)


def receive(session: Session, actor: str, transfer_id: int, reads: Iterable[tuple[int, datetime, int | None]], *,
            strict: bool = True) -> list[int]:
    """Receipt scans at the destination, (box id, at, device id) each: boxes arrive; a box the list does
    not name is received but not listed. With `strict` (by hand) a box that cannot arrive is refused;
    from scans it is left alone. The boxes received."""
    transfer = get_transfer(session, transfer_id, lock=True)
    if transfer.state != "dispatched":
        raise refused(N_("transfer %(id)s is %(state)s: boxes are received once it is dispatched"),
                      id=transfer_id, state=transfer.state)
    lines, first = _lines(session, transfer_id), _first(reads)
    states = stored_states(session, [b for b in first if b not in lines])
    blocked = [b for b in first if b in states]
    if blocked and strict:
        raise refused(N_("box %(codes)s is not in stock: it cannot be received on transfer %(id)s"),
                      codes=", ".join(_names(session, blocked)), id=transfer_id)
    arriving = [b for b in first if lines.get(b) in ("listed", "in_transit", "missing")]
    unlisted = [b for b in first if b not in lines and b not in states]
    if not arriving and not unlisted:
        return []
    if arriving:
        session.execute(update(TransferBox), [
            {"transfer_id": transfer_id, "box_id": b, "state": "received", "received_at": first[b][0],
             "received_device_id": first[b][1]} for b in arriving])
    if unlisted:
        session.add_all(TransferBox(transfer_id=transfer_id, box_id=b, listed=False, state="unlisted",
                                    received_at=first[b][0], received_device_id=first[b][1]) for b in unlisted)
    came = arriving + unlisted
    _arrive(session, transfer, came, min(first[b][0] for b in came))
    log(session, [{"box_id": b, "kind": "transfer.received" if b in arriving else "transfer.unlisted",
                   "actor": actor, "at": first[b][0], "device_id": first[b][1], "ref": transfer_id} for b in came])
    audit.record(session, actor, "transfer.receive", f"transfer:{transfer_id}", boxes=_names(session, arriving),
                 unlisted=_names(session, unlisted))
    _close_when_done(session, transfer, actor)
    return came


def _arrive(session: Session, transfer: Transfer, box_ids: list[int], when: datetime) -> None:
    """At a store of Kho a box is in stock without a home; at an outside body it is handed over."""
    if transfer.destination_id is None:
        set_state(session, box_ids, "handed_over", at=when, transfer_id=transfer.id)
        return
    set_state(session, box_ids, None, at=when, transfer_id=transfer.id)
    session.execute(update(Box), [{"id": b, "home_id": None} for b in box_ids])
    forget(session, Box, box_ids)


def receive_by_hand(session: Session, actor: str, transfer_id: int, codes: Iterable[str]) -> dict:
    receive(session, actor, transfer_id, _by_hand(session, codes))
    return transfer_doc(session, transfer_id)


def declare_missing(session: Session, actor: str, transfer_id: int, codes: Iterable[str]) -> dict:
    """Boxes that left but did not arrive: missing on receipt (a `missing` alert each), lost until seen
    again."""
    transfer = get_transfer(session, transfer_id, lock=True)
    if transfer.state != "dispatched":
        raise refused(N_("transfer %(id)s is %(state)s: boxes are declared missing on receipt"),
                      id=transfer_id, state=transfer.state)
    boxes, lines = find_boxes(session, codes), _lines(session, transfer_id)
    wrong = [b.code for b in boxes if lines.get(b.id) != "in_transit"]
    if wrong:
        raise refused(N_("box %(codes)s is not in transit on transfer %(id)s"), codes=", ".join(wrong),
                      id=transfer_id)
    ids = [b.id for b in boxes]
    session.execute(update(TransferBox), [{"transfer_id": transfer_id, "box_id": b, "state": "missing"} for b in ids])
    set_state(session, ids, "lost", transfer_id=transfer_id)
    log(session, [{"box_id": b, "kind": "transfer.missing", "actor": actor, "ref": transfer_id} for b in ids])
    audit.record(session, actor, "transfer.missing", f"transfer:{transfer_id}", boxes=[b.code for b in boxes])
    movements.missing_on_receipt(session, transfer_id, [(b.id, b.code) for b in boxes], transfer.destination_id,
                                 actor)
    _close_when_done(session, transfer, actor)
    return transfer_doc(session, transfer_id)


def _close_when_done(session: Session, transfer: Transfer, actor: str) -> None:
    """Every box that left is received or missing: the transfer is received (closed)."""
    counts = dict(session.execute(select(TransferBox.state, func.count()).where(
        TransferBox.transfer_id == transfer.id).group_by(TransferBox.state)).all())
    if counts.get("in_transit"):
        return
    transfer.state, transfer.received_at = "received", utcnow()
    audit.record(session, actor, "transfer.close", f"transfer:{transfer.id}", **counts)


def cancel(session: Session, actor: str, transfer_id: int, reason: str = "") -> dict:
    """Call off a planned transfer: loaded boxes are back in stock."""
    transfer = get_transfer(session, transfer_id, lock=True)
    if transfer.state != "planned":
        raise refused(N_("transfer %(id)s is %(state)s: only a planned transfer is cancelled"),
                      id=transfer_id, state=transfer.state)
    loaded = [b for b, s in _lines(session, transfer_id).items() if s == "in_transit"]
    set_state(session, loaded, None)
    transfer.state = "cancelled"
    audit.record(session, actor, "transfer.cancel", f"transfer:{transfer_id}", reason=nfc(reason),
                 unloaded=_names(session, loaded))
    return transfer_doc(session, transfer_id)


def transfer_doc(session: Session, transfer_id: int) -> dict:
    """A transfer as plain values, with each box, its state on the transfer and its counts."""
    t = get_transfer(session, transfer_id)
    sent, got = aliased(Device), aliased(Device)
    rows = session.execute(
        select(Box.code, Fonds.code, Box.number, TransferBox.state, TransferBox.listed, TransferBox.dispatched_at,
               sent.name, TransferBox.received_at, got.name)
        .join(Box, Box.id == TransferBox.box_id).join(Fonds, Fonds.id == Box.fonds_id)
        .outerjoin(sent, sent.id == TransferBox.dispatched_device_id)
        .outerjoin(got, got.id == TransferBox.received_device_id)
        .where(TransferBox.transfer_id == transfer_id).order_by(Fonds.code, Box.number)).all()
    keys = ("box", "fonds", "number", "state", "listed", "dispatched_at", "dispatch_device", "received_at",
            "receipt_device")
    boxes = [dict(zip(keys, row)) for row in rows]
    counts = {s: sum(1 for b in boxes if b["state"] == s) for s in
              ("listed", "in_transit", "received", "missing", "unlisted")}
    return {"id": t.id, "state": t.state, "origin": t.origin.code, "origin_name": t.origin.name,
            "destination": t.destination.code if t.destination else None,
            "destination_name": t.destination.name if t.destination else None, "recipient": t.recipient or None,
            "vehicle": t.vehicle, "seals": t.seals, "people": t.people, "expected_at": t.expected_at, "note": t.note,
            "created_at": t.created_at, "created_by": t.created_by, "dispatched_at": t.dispatched_at,
            "dispatched_by": t.dispatched_by, "received_at": t.received_at,
            "partly_received": t.state == "dispatched" and bool(counts["received"] + counts["unlisted"]
                                                                + counts["missing"]),
            "counts": counts, "boxes": boxes}


def listing(session: Session, state: str | None = None) -> list[dict]:
    """Transfers, newest first, with their box counts by state: two queries."""
    origin, target = aliased(Location), aliased(Location)
    query = (select(Transfer.id, Transfer.state, origin.code, target.code, Transfer.recipient, Transfer.vehicle,
                    Transfer.expected_at, Transfer.dispatched_at, Transfer.received_at, Transfer.created_by)
             .join(origin, origin.id == Transfer.origin_id).outerjoin(target, target.id == Transfer.destination_id)
             .order_by(Transfer.id.desc()))
    if state:
        query = query.where(Transfer.state == state)
    keys = ("id", "state", "origin", "destination", "recipient", "vehicle", "expected_at", "dispatched_at",
            "received_at", "created_by")
    rows = [dict(zip(keys, row)) for row in session.execute(query)]
    counts: dict[int, dict[str, int]] = {}
    for tid, state_, n in session.execute(select(TransferBox.transfer_id, TransferBox.state, func.count())
                                          .group_by(TransferBox.transfer_id, TransferBox.state)):
        counts.setdefault(tid, {})[state_] = n
    for row in rows:
        row["counts"] = counts.get(row["id"], {})
        row["recipient"] = row["recipient"] or None
    return rows
