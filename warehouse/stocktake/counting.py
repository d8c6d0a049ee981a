"""What a counter's device needs of stock-takes: which are open for counting, and which ids exist.

Anyone who may scan may count (the counters' page asks for the same permission), so every open
stock-take is offered; what is offered names the stock-take and its scope, never what it expects (a
blind stock-take must not leak its boxes). A read naming a stock-take that does not exist is refused;
a read naming a closed one is kept (a device may have queued it offline before the close) but not
counted: closing froze the result (see `report.reads_after_close`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from warehouse.errors import N_, not_found, refused
from warehouse.models import Stocktake
from warehouse.scans.events import refusal
from warehouse.stocktake.sessions import find

MAX_ID = 2**31  # ids the scan events' check accepts in context.stocktake


def open_for_counting(session: Session) -> list[dict]:
    """The open stock-takes, newest first: id, scope and fonds (code and name), note; no expected set."""
    query = (select(Stocktake).where(Stocktake.state == "open").order_by(Stocktake.id.desc())
             .options(joinedload(Stocktake.scope), joinedload(Stocktake.fonds)))
    return [choice(st) for st in session.scalars(query)]


def choice(st: Stocktake) -> dict:
    """How a counter sees a stock-take to count for: what it counts, not what it expects."""
    return {"id": st.id, "scope": st.scope.code if st.scope else None, "scope_name": st.scope.name if st.scope else None,
            "fonds": st.fonds.code if st.fonds else None, "fonds_name": st.fonds.name if st.fonds else None,
            "note": st.note or ""}


def chosen(session: Session, stocktake_id: int) -> dict:
    """The stock-take a counter asks to count for, if it is open; NotFound or Refused (closed) otherwise."""
    if not 0 < stocktake_id < MAX_ID:
        raise not_found(N_("no stock-take %(id)s"), id=stocktake_id)
    st = find(session, stocktake_id)
    if not st.is_open:
        raise refused(N_("stock-take %(id)s is closed: reads for it are no longer counted"), id=st.id)
    return choice(st)


def named(raw) -> int | None:
    """The stock-take a raw event's context names, when it is a well-formed id (else the event's check
    refuses it)."""
    context = raw.get("context") if type(raw) is dict else None
    wanted = context.get("stocktake") if type(context) is dict else None
    return wanted if type(wanted) is int and 0 < wanted < MAX_ID else None


def existing(session: Session, ids: set[int]) -> set[int]:
    """Which of these stock-take ids exist (open or closed): one query."""
    if not ids:
        return set()
    return set(session.scalars(select(Stocktake.id).where(Stocktake.id.in_(sorted(ids)))))


def set_apart_unknown(session: Session, events: list, error: Callable[[int], str]
                      ) -> tuple[list, list[int], list[dict]]:
    """(events kept, their numbers in the batch from 1, refusals) where a refusal is an event whose
    context names a stock-take that does not exist, with `error(id)` as its reason."""
    wanted = {n for n in map(named, events) if n is not None}
    missing = wanted - existing(session, wanted)
    kept, lines, refusals = [], [], []
    for line, raw in enumerate(events, start=1):
        n = named(raw)
        if n is not None and n in missing:
            refusals.append(refusal(raw, line, error(n)))
        else:
            kept.append(raw)
            lines.append(line)
    return kept, lines, refusals
