"""What a counter's device needs of stock-takes: which are open for counting, and which ids exist.

Anyone who may scan may count (the counters' page asks for the same permission), so every open
stock-take is offered; what is offered names the stock-take and its scope, never what it expects (a
blind stock-take must not leak its boxes). A read naming a stock-take that does not exist is refused
by the ingest service; a read naming a closed one is kept (a device may have queued it offline before
the close) but not counted: closing froze the result (see `report.reads_after_close`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from warehouse.errors import N_, not_found, refused
from warehouse.models import Stocktake
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
