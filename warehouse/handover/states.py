"""Handover lists as they stand: listing, facts, their rows page by page, and marking a list checked.

A list is a draft when imported; checked when an archivist has reconciled it against the shelves
(the reconciliation's summary goes to the audit trail); signed with the minutes (a later issue:
`handover sign` signs a draft or checked list and freezes it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.boxes import visible_title
from warehouse.errors import N_, refused
from warehouse.handover.reconcile import get_handover, reconcile_list
from warehouse.models import Handover, HandoverBox, HandoverRow
from warehouse.models.base import utcnow


def listing(session: Session) -> list[Handover]:
    """Every list, newest first."""
    return list(session.scalars(select(Handover).order_by(Handover.id.desc())))


def as_row(h: Handover) -> dict:
    """A list as plain values (CLI, JSON)."""
    return {"id": h.id, "state": h.state, "fonds": h.fonds.code, "fonds_name": h.fonds.name,
            "from": h.giver.name, "to": h.receiver.name,
            "date": h.handed_on.isoformat() if h.handed_on else None, "giver_person": h.giver_person,
            "receiver_person": h.receiver_person, "rows": h.rows, "boxes": h.boxes, "file": h.filename,
            "sha256": h.sha256, "created_at": h.created_at.isoformat(), "created_by": h.created_by,
            "checked_at": h.checked_at.isoformat() if h.checked_at else None, "checked_by": h.checked_by,
            "checked_stocktake": h.checked_stocktake_id, "note": h.note}


def facts(session: Session, handover_id: int) -> dict:
    """What a report's heading says of a list."""
    return as_row(get_handover(session, handover_id))


@dataclass(frozen=True)
class ListedRow:
    row: int
    box: int
    box_code: str | None
    location: str | None
    catalogue: int
    position: int | None
    number: str
    title: str | None  # None: restricted, not shown
    start_date: date | None
    end_date: date | None
    retention: str
    pages: int | None
    completed: bool
    note: str


def rows_page(session: Session, handover_id: int, page: int, size: int, regimes: Iterable[str],
              cleared: bool) -> tuple[list[ListedRow], int]:
    """One page of a list's rows in file order, restricted titles hidden from the uncleared; and the total."""
    r, b = HandoverRow, HandoverBox
    total = session.scalar(select(func.count()).where(r.handover_id == handover_id)) or 0
    query = (select(r.row, b.number, b.code, b.location, r.catalogue, r.position, r.number, r.title, r.access,
                    r.start_date, r.end_date, r.retention, r.pages, r.completed, r.note)
             .join(b, b.id == r.box_id).where(r.handover_id == handover_id).order_by(r.row)
             .offset((max(page, 1) - 1) * size).limit(size))
    regimes = list(regimes)
    rows = [ListedRow(row, box, code, place, cat, pos, num, visible_title(title, access, regimes, cleared),
                      start, end, ret, pages, done, note)
            for row, box, code, place, cat, pos, num, title, access, start, end, ret, pages, done, note
            in session.execute(query)]
    return rows, total


def mark_checked(session: Session, handover_id: int, stocktake_id: int | None, actor: str) -> dict:
    """A draft or checked list checked (again) against a closed stock-take or the last-known places."""
    handover = get_handover(session, handover_id)
    if handover.state == "signed":
        raise refused(N_("handover list %(id)s is signed: it cannot change"), id=handover.id)
    doc = reconcile_list(session, handover.id, stocktake_id)
    handover.state, handover.checked_at, handover.checked_by = "checked", utcnow(), actor
    handover.checked_stocktake_id = stocktake_id
    audit.record(session, actor, "handover.check", f"handover:{handover.id}", stocktake=stocktake_id,
                 **doc["summary"])
    return {"id": handover.id, "state": handover.state, "stocktake": stocktake_id, "summary": doc["summary"]}
