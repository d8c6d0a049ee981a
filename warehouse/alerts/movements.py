"""Alerts the tracking services raise as boxes move: a box of a closed fonds re-shelved by a move order,
boxes declared missing on a transfer's receipt. Each is one call from the service, at most one query."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse.alerts import rules
from warehouse.alerts.raising import raise_alerts
from warehouse.models import Box, Fonds
from warehouse.models.base import utcnow


def boxes_moved(session: Session, moved: Iterable[tuple[int, datetime, int, int]], actor: str) -> int:
    """closed_fonds for those boxes (box id, at, new shelf id, move order id) whose fonds is closed: a
    closed fonds' boxes leave their shelf only on a transfer. One query."""
    moved = list(moved)
    if not moved:
        return 0
    closed = {b: (code, on) for b, code, on in session.execute(
        select(Box.id, Box.code, Fonds.closed_on).join(Fonds, Fonds.id == Box.fonds_id)
        .where(Box.id.in_({m[0] for m in moved}), Fonds.closed_on.is_not(None)))}
    from warehouse.alerts.batch import local_zone

    drafts = rules.closed_fonds_moved(((b, *closed[b], at, shelf, order) for b, at, shelf, order in moved
                                       if b in closed), local_zone(session))
    return raise_alerts(session, drafts, actor)


def missing_on_receipt(session: Session, transfer_id: int, boxes: Iterable[tuple[int, str]],
                       destination: int | None, actor: str) -> int:
    """One `missing` alert per box (id, code) that left on the transfer and was declared missing on its
    receipt (no query: the service has the boxes)."""
    return raise_alerts(session, rules.missing_on_receipt(transfer_id, utcnow(), boxes, destination), actor)
