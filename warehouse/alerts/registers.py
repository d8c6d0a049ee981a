"""Alerts from the register: files added to a closed fonds with a date after its closing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse.alerts import rules
from warehouse.alerts.raising import raise_alerts
from warehouse.models import Box, Fonds
from warehouse.models.base import utcnow


def after_register_import(session: Session, records: Iterable, boxes: Mapping[tuple[str, int], int],
                          actor: str) -> int:
    """Raise closed_fonds alerts for an import's file records (two small queries, none when no fonds
    of the import is closed). `boxes`: box ids by (fonds code, box number)."""
    records = list(records)
    closed = dict(session.execute(select(Fonds.code, Fonds.closed_on).where(
        Fonds.code.in_({r.fonds for r in records}), Fonds.closed_on.is_not(None))).all())
    late = [r for r in records if r.fonds in closed]
    if not late:
        return 0
    ids = {boxes[(r.fonds, r.box)] for r in late}
    codes = dict(session.execute(select(Box.id, Box.code).where(Box.id.in_(ids))).all())
    drafts = rules.late_files(((boxes[(r.fonds, r.box)], codes[boxes[(r.fonds, r.box)]], r.number, closed[r.fonds],
                                r.start_date, r.end_date) for r in late), utcnow())
    return raise_alerts(session, drafts, actor)
