"""Check-outs: boxes lent to the reading room or an office, due back on a date, and checked in.

A box checked out is out of the count (a stock-take lists it apart) until it is checked in; a
check-out closes when its last box is back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.errors import N_, not_found, refused
from warehouse.models import Box, Checkout, CheckoutBox, Fonds
from warehouse.models.base import utcnow
from warehouse.models.tracking import CHECKOUT_KINDS
from warehouse.text import nfc
from warehouse.tracking.state import find_boxes, log, refuse_apart, set_state


def check_out(session: Session, actor: str, codes: Iterable[str], *, kind: str, borrower: str, due_on: date | None,
              place: str = "", purpose: str = "", today: date | None = None) -> dict:
    """Lend boxes in stock to the reading room or an office until `due_on`."""
    if kind not in CHECKOUT_KINDS:
        raise refused(N_("a check-out goes to %(kinds)s, not %(kind)r"), kinds=", ".join(CHECKOUT_KINDS), kind=kind)
    borrower = nfc(borrower)
    if not borrower:
        raise refused(N_("a check-out needs who borrows the boxes"))
    today = today or utcnow().date()
    if due_on is None or due_on < today:
        raise refused(N_("a check-out needs a due date from today on (got %(due)s)"),
                      due=due_on.isoformat() if due_on else "—")
    boxes = find_boxes(session, codes)
    refuse_apart(session, boxes, N_("box %(codes)s is not in stock: it cannot be checked out"))
    out = Checkout(kind=kind, place=nfc(place), borrower=borrower, purpose=nfc(purpose), due_on=due_on, out_by=actor)
    session.add(out)
    session.flush()
    session.add_all(CheckoutBox(checkout_id=out.id, box_id=b.id) for b in boxes)
    ids = [b.id for b in boxes]
    set_state(session, ids, "checked_out", at=out.out_at, checkout_id=out.id)
    log(session, [{"box_id": b, "kind": "checkout", "actor": actor, "at": out.out_at, "ref": out.id,
                   "detail": {"to": kind, "place": out.place, "borrower": borrower, "due_on": due_on}} for b in ids])
    audit.record(session, actor, "checkout.out", f"checkout:{out.id}", kind=kind, place=out.place,
                 borrower=borrower, due_on=due_on, boxes=[b.code for b in boxes])
    session.flush()
    return checkout_doc(session, out.id)


def get_checkout(session: Session, checkout_id: int, *, lock: bool = False) -> Checkout:
    query = select(Checkout).where(Checkout.id == checkout_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise not_found(N_("no check-out %(id)s"), id=checkout_id)
    return found


def check_in(session: Session, actor: str, checkout_id: int, codes: Iterable[str] = ()) -> dict:
    """Boxes back from a check-out (all that are still out when none are named): in stock again."""
    out = get_checkout(session, checkout_id, lock=True)
    waiting = set(session.scalars(select(CheckoutBox.box_id).where(
        CheckoutBox.checkout_id == checkout_id, CheckoutBox.returned_at.is_(None))))
    named = [c for c in codes if c and c.strip()]
    boxes = find_boxes(session, named) if named else list(session.scalars(select(Box).where(Box.id.in_(waiting))))
    stray = [b.code for b in boxes if b.id not in waiting]
    if stray:
        raise refused(N_("box %(codes)s is not out on check-out %(id)s"), codes=", ".join(stray), id=checkout_id)
    if not boxes:
        raise refused(N_("every box of check-out %(id)s is back already"), id=checkout_id)
    now, ids = utcnow(), [b.id for b in boxes]
    session.execute(update(CheckoutBox), [{"checkout_id": checkout_id, "box_id": b, "returned_at": now,
                                           "returned_by": actor} for b in ids])
    set_state(session, ids, None, at=now, checkout_id=checkout_id)
    log(session, [{"box_id": b, "kind": "checkin", "actor": actor, "at": now, "ref": checkout_id} for b in ids])
    if not waiting - set(ids):
        out.closed_at = now
    audit.record(session, actor, "checkout.in", f"checkout:{checkout_id}", boxes=sorted(b.code for b in boxes),
                 closed=out.closed_at is not None)
    return checkout_doc(session, checkout_id)


def checkout_doc(session: Session, checkout_id: int, today: date | None = None) -> dict:
    """A check-out as plain values with each box and when it came back."""
    out = get_checkout(session, checkout_id)
    rows = session.execute(select(Box.code, Fonds.code, Box.number, CheckoutBox.returned_at, CheckoutBox.returned_by)
                           .join(Box, Box.id == CheckoutBox.box_id).join(Fonds, Fonds.id == Box.fonds_id)
                           .where(CheckoutBox.checkout_id == checkout_id).order_by(Fonds.code, Box.number)).all()
    today = today or utcnow().date()
    return {"id": out.id, "kind": out.kind, "place": out.place, "borrower": out.borrower, "purpose": out.purpose,
            "due_on": out.due_on, "out_at": out.out_at, "out_by": out.out_by, "closed_at": out.closed_at,
            "overdue": out.closed_at is None and out.due_on < today,
            "boxes": [{"box": code, "fonds": fonds, "number": number, "returned_at": at, "returned_by": by}
                      for code, fonds, number, at, by in rows]}


def listing(session: Session, *, open_only: bool = False, today: date | None = None) -> list[dict]:
    """Check-outs, newest first, with how many boxes each has and how many are back: one query."""
    today = today or utcnow().date()
    query = (select(Checkout.id, Checkout.kind, Checkout.place, Checkout.borrower, Checkout.due_on, Checkout.out_at,
                    Checkout.out_by, Checkout.closed_at, func.count(CheckoutBox.box_id),
                    func.count(CheckoutBox.returned_at))
             .join(CheckoutBox, CheckoutBox.checkout_id == Checkout.id).group_by(Checkout.id)
             .order_by(Checkout.id.desc()))
    if open_only:
        query = query.where(Checkout.closed_at.is_(None))
    keys = ("id", "kind", "place", "borrower", "due_on", "out_at", "out_by", "closed_at", "boxes", "returned")
    rows = [dict(zip(keys, row)) for row in session.execute(query)]
    for row in rows:
        row["overdue"] = row["closed_at"] is None and row["due_on"] < today
    return rows
