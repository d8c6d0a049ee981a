"""Move orders inside a store: re-shelve boxes to a shelf with a reason and who approved it.

A box of an open order is moved when it is scanned at the new shelf (or at the rack that holds it):
its home becomes that shelf (sightings.py calls `complete` after each stored batch). A box seen
anywhere else, with or without an order, stays where its home says: misplaced, not moved. Orders of
boxes with no home (received from another store) are how boxes get shelved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from warehouse import audit
from warehouse.alerts import movements
from warehouse.errors import N_, not_found, refused
from warehouse.locations import get_location, natural
from warehouse.models import Box, BoxStatus, Device, Location, MoveLine, MoveOrder
from warehouse.models.base import utcnow
from warehouse.models.locations import HOLDS_BOXES
from warehouse.text import nfc
from warehouse.tracking.state import find_boxes, forget, log, refuse_apart


@dataclass(frozen=True)
class Done:
    """A box of an open order seen at its new shelf: by which read (or by hand)."""

    order_id: int
    box_id: int
    at: datetime
    actor: str
    device_id: int | None = None
    seq: int | None = None


def _shelf(session: Session, code: str) -> Location:
    place = get_location(session, code)
    if place.kind not in HOLDS_BOXES:
        raise refused(N_("%(code)s is a %(kind)s: boxes are moved to a shelf (ngan)"), code=place.code,
                      kind=place.kind)
    return place


def order_move(session: Session, actor: str, codes: Iterable[str], to: str, reason: str,
               approved_by: str) -> dict:
    """An open order to move these boxes to a shelf; each box keeps the home it had as its `from`."""
    shelf = _shelf(session, to)
    reason, approved_by = nfc(reason), nfc(approved_by)
    if not reason:
        raise refused(N_("a move order needs a reason"))
    if not approved_by:
        raise refused(N_("a move order needs who approved it"))
    boxes = find_boxes(session, codes)
    refuse_apart(session, boxes, N_("box %(codes)s is not in stock: it cannot be re-shelved"))
    there = [b.code for b in boxes if b.home_id == shelf.id]
    if there:
        raise refused(N_("box %(codes)s already has %(shelf)s as its home"), codes=", ".join(there),
                      shelf=shelf.code)
    taken = session.execute(select(Box.code, MoveOrder.id).join(MoveLine, MoveLine.box_id == Box.id)
                            .join(MoveOrder, MoveOrder.id == MoveLine.order_id)
                            .where(Box.id.in_([b.id for b in boxes]), MoveOrder.state == "open",
                                   MoveLine.done_at.is_(None))).all()
    if taken:
        raise refused(N_("box %(codes)s is already on an open move order"),
                      codes=", ".join(f"{code} (#{order})" for code, order in taken))
    order = MoveOrder(to_id=shelf.id, reason=reason, approved_by=approved_by, created_by=actor, state="open")
    session.add(order)
    session.flush()
    session.add_all(MoveLine(order_id=order.id, box_id=b.id, from_id=b.home_id) for b in boxes)
    homes = _codes(session, {b.home_id for b in boxes})
    log(session, [{"box_id": b.id, "kind": "move.ordered", "actor": actor, "place_id": shelf.id, "ref": order.id,
                   "detail": {"from": homes.get(b.home_id or 0), "to": shelf.code, "reason": reason,
                              "approved_by": approved_by}} for b in boxes])
    audit.record(session, actor, "move.order", f"move:{order.id}", to=shelf.code, reason=reason,
                 approved_by=approved_by, boxes=[b.code for b in boxes])
    session.flush()
    return order_doc(session, order.id)


def _codes(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    return dict(session.execute(select(Location.id, Location.code).where(Location.id.in_(ids))).all()) if ids else {}


def get_order(session: Session, order_id: int, *, lock: bool = False) -> MoveOrder:
    query = select(MoveOrder).where(MoveOrder.id == order_id)
    order = session.scalar(query.with_for_update() if lock else query)
    if order is None:
        raise not_found(N_("no move order %(id)s"), id=order_id)
    return order


def complete(session: Session, done: list[Done]) -> list[Done]:
    """Finish these moves: each box's home becomes its order's shelf; orders with every box moved are
    done. Audited once per order; a box of a closed fonds raises a closed_fonds alert."""
    if not done:
        return []
    orders = {o.id: o for o in session.scalars(select(MoveOrder).where(
        MoveOrder.id.in_({d.order_id for d in done})))}
    session.execute(update(MoveLine), [
        {"order_id": d.order_id, "box_id": d.box_id, "done_at": d.at, "done_by": d.actor,
         "device_id": d.device_id, "seq": d.seq} for d in done])
    session.execute(update(Box), [{"id": d.box_id, "home_id": orders[d.order_id].to_id} for d in done])
    forget(session, Box, [d.box_id for d in done])
    log(session, [{"box_id": d.box_id, "kind": "move.done", "actor": d.actor, "at": d.at,
                   "device_id": d.device_id, "seq": d.seq, "place_id": orders[d.order_id].to_id,
                   "ref": d.order_id} for d in done])
    movements.boxes_moved(session, [(d.box_id, d.at, orders[d.order_id].to_id, d.order_id) for d in done],
                          done[0].actor)
    codes = dict(session.execute(select(Box.id, Box.code).where(Box.id.in_({d.box_id for d in done}))).all())
    for order_id, order in orders.items():
        moved = [d for d in done if d.order_id == order_id]
        left = session.scalar(select(func.count()).select_from(MoveLine).where(
            MoveLine.order_id == order_id, MoveLine.done_at.is_(None))) or 0
        if not left:
            order.state, order.closed_at = "done", utcnow()
        audit.record(session, moved[0].actor, "move.done", f"move:{order_id}", to=order.to.code,
                     boxes=[codes[d.box_id] for d in moved], left=left)
    return done


def complete_by_hand(session: Session, actor: str, order_id: int, codes: Iterable[str]) -> dict:
    """Finish moves without a scan (the person says the boxes are on the new shelf)."""
    order = get_order(session, order_id, lock=True)
    if order.state != "open":
        raise refused(N_("move order %(id)s is %(state)s"), id=order_id, state=order.state)
    boxes = find_boxes(session, codes)
    open_lines = set(session.scalars(select(MoveLine.box_id).where(
        MoveLine.order_id == order_id, MoveLine.done_at.is_(None))))
    stray = [b.code for b in boxes if b.id not in open_lines]
    if stray:
        raise refused(N_("box %(codes)s is not waiting to be moved on order %(id)s"), codes=", ".join(stray),
                      id=order_id)
    complete(session, [Done(order_id, b.id, utcnow(), actor) for b in boxes])
    return order_doc(session, order_id)


def cancel(session: Session, actor: str, order_id: int, reason: str = "") -> dict:
    """Cancel an open order: boxes not moved yet keep their home."""
    order = get_order(session, order_id, lock=True)
    if order.state != "open":
        raise refused(N_("move order %(id)s is %(state)s"), id=order_id, state=order.state)
    order.state, order.closed_at = "cancelled", utcnow()
    waiting = session.scalars(select(MoveLine.box_id).where(MoveLine.order_id == order_id,
                                                            MoveLine.done_at.is_(None))).all()
    log(session, [{"box_id": b, "kind": "move.cancelled", "actor": actor, "ref": order_id,
                   "detail": {"reason": nfc(reason)}} for b in waiting])
    audit.record(session, actor, "move.cancel", f"move:{order_id}", reason=nfc(reason), waiting=len(waiting))
    return order_doc(session, order_id)


def open_lines(session: Session, box_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int, str]]:
    """Box → (order id, target shelf id, target path) of its open move (one query)."""
    query = (select(MoveLine.box_id, MoveOrder.id, Location.id, Location.path)
             .join(MoveOrder, MoveOrder.id == MoveLine.order_id).join(Location, Location.id == MoveOrder.to_id)
             .where(MoveOrder.state == "open", MoveLine.done_at.is_(None)))
    if box_ids is not None:
        query = query.where(MoveLine.box_id.in_(list(box_ids)))
    return {box: (order, shelf, path) for box, order, shelf, path in session.execute(query)}


def order_doc(session: Session, order_id: int) -> dict:
    """An order as plain values: its shelf, reason, approval, state and each box with from and done."""
    order = get_order(session, order_id)
    origin, device = aliased(Location), aliased(Device)
    lines = session.execute(
        select(Box.code, origin.code, MoveLine.done_at, MoveLine.done_by, device.name)
        .join(Box, Box.id == MoveLine.box_id).outerjoin(origin, origin.id == MoveLine.from_id)
        .outerjoin(device, device.id == MoveLine.device_id).where(MoveLine.order_id == order_id)
        .order_by(Box.code)).all()
    return {"id": order.id, "to": order.to.code, "reason": order.reason, "approved_by": order.approved_by,
            "state": order.state, "created_at": order.created_at, "created_by": order.created_by,
            "closed_at": order.closed_at,
            "boxes": [{"box": code, "from": source, "done_at": at, "done_by": by, "device": dev}
                      for code, source, at, by, dev in lines]}


def listing(session: Session, state: str | None = None) -> list[dict]:
    """Orders, newest first, with how many boxes each has and how many are moved: one query."""
    total, moved = func.count(MoveLine.box_id), func.count(MoveLine.done_at)
    query = (select(MoveOrder.id, Location.code, MoveOrder.reason, MoveOrder.approved_by, MoveOrder.state,
                    MoveOrder.created_at, MoveOrder.created_by, total, moved)
             .join(Location, Location.id == MoveOrder.to_id).join(MoveLine, MoveLine.order_id == MoveOrder.id)
             .group_by(MoveOrder.id, Location.code).order_by(MoveOrder.id.desc()))
    if state:
        query = query.where(MoveOrder.state == state)
    keys = ("id", "to", "reason", "approved_by", "state", "created_at", "created_by", "boxes", "moved")
    return [dict(zip(keys, row)) for row in session.execute(query)]


def suggest_shelves(session: Session, count: int, within: str | None = None, limit: int = 10) -> list[dict]:
    """Shelves with room for `count` more boxes, in store order: capacity less the boxes in stock whose
    home they are, less the boxes open orders bring. Shelves without a capacity are not suggested."""
    if count < 1:
        raise refused(N_("suggest shelves for at least one box"))
    held = (select(Box.home_id.label("shelf"), func.count().label("n")).outerjoin(BoxStatus, BoxStatus.box_id == Box.id)
            .where(Box.retired_at.is_(None), (BoxStatus.state.is_(None)) | (BoxStatus.state == "checked_out"))
            .group_by(Box.home_id).subquery())
    coming = (select(MoveOrder.to_id.label("shelf"), func.count().label("n")).join(MoveLine)
              .where(MoveOrder.state == "open", MoveLine.done_at.is_(None)).group_by(MoveOrder.to_id).subquery())
    query = (select(Location.code, Location.name, Location.capacity, func.coalesce(held.c.n, 0),
                    func.coalesce(coming.c.n, 0))
             .outerjoin(held, held.c.shelf == Location.id).outerjoin(coming, coming.c.shelf == Location.id)
             .where(Location.kind.in_(HOLDS_BOXES), Location.capacity.is_not(None)))
    if within:
        query = query.where(Location.path.startswith(get_location(session, within).path, autoescape=True))
    rows = [{"shelf": code, "name": name, "capacity": cap, "boxes": boxes, "coming": coming_n,
             "free": cap - boxes - coming_n} for code, name, cap, boxes, coming_n in session.execute(query)]
    fitting = sorted((r for r in rows if r["free"] >= count), key=lambda r: natural(r["shelf"]))
    return fitting[:limit]
