"""A box's state and last-known place (pure rules), and the stored status the services change.

Where a box is, in this order:
- a stored state, set by the services: in transit (dispatched on a transfer, not yet received),
  checked out (to the reading room or an office), handed over (received by an outside body),
  destroyed (under a disposal decision), lost (missing on receipt of a transfer, not seen since).
  Such a box has no place;
- else its latest place: the later of its latest day-to-day read (a read outside any stock-take) and
  the place a closed stock-take found it at, once someone applied that stock-take's result. A place
  fine enough to locate a box (a rack or a shelf) puts it `on_shelf` there; an unknown place, or no
  read at all, leaves it `unknown`.
A box on a shelf is misplaced when that place is neither its home nor the rack that holds its home
(the stock-take's rule). Reads made for a stock-take count for that stock-take only: they move a
box's last-known place when its result is applied (warehouse.tracking.places.apply_stocktake)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, insert, or_, select, update
from sqlalchemy.orm import Session

from warehouse.errors import N_, not_found, refused
from warehouse.models import Box, BoxEvent, BoxStatus
from warehouse.models.base import utcnow
from warehouse.models.tracking import BOX_STATES

IN_STOCK = ("on_shelf", "unknown")
STATES = (*IN_STOCK, *BOX_STATES)
# Stored states whose boxes a new stock-take leaves out of its expected set and lists apart.
APART = BOX_STATES
STATE_WORDS = {"on_shelf": N_("on a shelf"), "unknown": N_("not located"), "in_transit": N_("in transit"),
               "checked_out": N_("checked out"), "handed_over": N_("handed over"), "destroyed": N_("destroyed"),
               "lost": N_("lost"), "misplaced": N_("misplaced"), "unshelved": N_("not shelved")}


@dataclass(frozen=True)
class Seen:
    """A read (or an applied stock-take place): when (naive UTC), where (None: unknown), its offset."""

    at: datetime
    place: str | None
    offset: int = 0


@dataclass(frozen=True)
class Whereabouts:
    state: str  # one of STATES
    place: str | None  # a location code while on a shelf, else None
    seen: Seen | None  # the read or applied place the state comes from (None: never seen)
    home: str | None
    misplaced: bool = False

    @property
    def unshelved(self) -> bool:
        """In stock without a home shelf (e.g. received from another store, not shelved yet)."""
        return self.state in IN_STOCK and self.home is None


def latest(*seen: Seen | None) -> Seen | None:
    """The latest of some reads or applied places (an applied place wins a tie)."""
    known = [s for s in seen if s is not None]
    return max(reversed(known), key=lambda s: s.at) if known else None


def in_place(place: str, home: str | None, home_rack: str | None) -> bool:
    """At its home, or at the rack that holds its home (the stock-take's "found")."""
    return home is not None and place in (home, home_rack)


def whereabouts(status: str | None, read: Seen | None, fix: Seen | None, home: str | None,
                home_rack: str | None = None) -> Whereabouts:
    """The state and place of one box from its stored status, latest read and applied place."""
    last = latest(read, fix)
    if status is not None:
        return Whereabouts(status, None, last, home)
    if last is None or last.place is None:
        return Whereabouts("unknown", None, last, home)
    return Whereabouts("on_shelf", last.place, last, home,
                       misplaced=home is not None and not in_place(last.place, home, home_rack))


def apart_reason(state: str) -> str:
    """The reason a stock-take lists a box apart under: its stored state."""
    return state


def listed_apart() -> list[tuple[str, ColumnElement[bool]]]:
    """(reason, condition on Box) for each stored state a new stock-take leaves out and lists apart."""
    return [(apart_reason(state), Box.id.in_(select(BoxStatus.box_id).where(BoxStatus.state == state)))
            for state in APART]


# --- the stored status -------------------------------------------------------------------------------

def stored_states(session: Session, box_ids: Collection[int]) -> dict[int, str]:
    """Box → its stored state, for those of these boxes that have one (one query)."""
    if not box_ids:
        return {}
    query = select(BoxStatus.box_id, BoxStatus.state).where(
        BoxStatus.box_id.in_(list(box_ids)), BoxStatus.state.is_not(None))
    return {box: state for box, state in session.execute(query) if state is not None}


def set_state(session: Session, box_ids: Iterable[int], state: str | None, *, at: datetime | None = None,
              transfer_id: int | None = None, checkout_id: int | None = None,
              disposal_id: int | None = None) -> None:
    """Give boxes a stored state (None: back in stock) with what it belongs to: a few statements."""
    ids = sorted(set(box_ids))
    if not ids:
        return
    if state is not None and state not in BOX_STATES:
        raise ValueError(f"unknown box state {state!r}")
    values = {"state": state, "since": at or utcnow(), "transfer_id": transfer_id,
              "checkout_id": checkout_id, "disposal_id": disposal_id}
    have = set(session.scalars(select(BoxStatus.box_id).where(BoxStatus.box_id.in_(ids))))
    if have:
        session.execute(update(BoxStatus), [{"box_id": b, **values} for b in ids if b in have])
    if len(have) < len(ids):
        session.execute(insert(BoxStatus), [{"box_id": b, **values} for b in ids if b not in have])


def log(session: Session, rows: Iterable[dict]) -> None:
    """Append box events: dicts with box_id, kind, actor and any of at, device_id, seq, place_id, ref,
    detail (a dict, kept as JSON text). One executemany."""
    now = utcnow()
    batch = [{"at": now, "device_id": None, "seq": None, "place_id": None, "ref": None, **row,
              "detail": json.dumps(row.get("detail") or {}, ensure_ascii=False, sort_keys=True, default=str)}
             for row in rows]
    if batch:
        session.execute(insert(BoxEvent), batch)


def find_boxes(session: Session, codes: Iterable[str]) -> list[Box]:
    """The boxes these codes (box codes or EPCs, any case) name, in the order given; unknown codes are
    refused all at once, naming each."""
    wanted = [c.strip().upper() for c in codes if c and c.strip()]
    if not wanted:
        raise refused(N_("name at least one box (its code or EPC)"))
    found = session.scalars(select(Box).where(or_(Box.code.in_(wanted), func.upper(Box.epc).in_(wanted)))).all()
    by = {b.code: b for b in found} | {b.epc.upper(): b for b in found if b.epc}
    unknown = [c for c in wanted if c not in by]
    if unknown:
        raise not_found(N_("no box with code or EPC %(codes)s"), codes=", ".join(unknown))
    boxes: dict[int, Box] = {}
    for code in wanted:
        boxes.setdefault(by[code].id, by[code])
    return list(boxes.values())


def refuse_apart(session: Session, boxes: Iterable[Box], msgid: str) -> None:
    """Refuse boxes out of stock (in transit, checked out, handed over, destroyed, lost, retired) with
    `msgid`, whose %(codes)s names each with its state."""
    boxes = list(boxes)
    states = stored_states(session, [b.id for b in boxes])
    away = [f"{b.code} ({states.get(b.id) or 'retired'})" for b in boxes
            if b.id in states or b.retired_at is not None]
    if away:
        raise refused(msgid, codes=", ".join(away))


def forget(session: Session, model: type, ids: Iterable[int]) -> None:
    """Expire loaded objects a bulk UPDATE changed, so the session reads them again."""
    ids = set(ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model) and getattr(obj, "id", None) in ids:
            session.expire(obj)
