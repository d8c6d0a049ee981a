"""The sweep: time-based rules evaluated as of a moment (`alerts sweep`, and on a schedule)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.alerts import rules
from warehouse.alerts.raising import mark_conflicts_alerted, raise_alerts
from warehouse.models import Alert, Box, ScanConflict, ScanEvent


def sweep(session: Session, now: datetime, actor: str = "sweep", not_seen_days: int = 0) -> dict:
    """Raise what is due as of `now`: overdue transfers, unalerted scan conflicts, boxes not seen."""
    from warehouse.tracking import facts

    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    drafts: list[rules.Draft] = []
    overdue = _with_ids(session, facts.overdue_transfers(session, now))
    live = set(session.scalars(select(Alert.subject).where(Alert.kind == "overdue_transit",
                                                            Alert.state != "resolved")))
    drafts += [d for d in rules.overdue_transfers(overdue, now) if d.subject not in live]
    conflicts = session.execute(select(ScanConflict.id, ScanConflict.device, ScanConflict.seq, ScanConflict.at)
                                .where(ScanConflict.alerted.is_(False))).all()
    drafts += rules.scan_conflicts((c[0], c[1], c[2], c[3]) for c in conflicts)
    mark_conflicts_alerted(session, [c[0] for c in conflicts])
    if not_seen_days > 0:
        last = select(ScanEvent.box_id, func.max(ScanEvent.at).label("at")).where(
            ScanEvent.sighting.is_(True)).group_by(ScanEvent.box_id).subquery()
        rows = session.execute(select(Box.id, Box.code, last.c.at).outerjoin(last, last.c.box_id == Box.id)
                               .where(Box.retired_at.is_(None))).all()
        seen = [(b, c, at if at is None or at.tzinfo else at.replace(tzinfo=UTC)) for b, c, at in rows]
        drafts += rules.not_seen(seen, now, not_seen_days)
    return {"raised": len(drafts), "alerts": raise_alerts(session, drafts, actor)}


def _with_ids(session: Session, transfers: list[dict]) -> list[dict]:
    """Overdue transfers with each box as (id, code), so the alert is on the box's page (one query)."""
    codes = {code for t in transfers for code in t["boxes"]}
    if not codes:
        return transfers
    ids = dict(session.execute(select(Box.code, Box.id).where(Box.code.in_(codes))).all())
    return [t | {"boxes": [(ids[code], code) for code in t["boxes"]]} for t in transfers]
