"""Raising alerts: drafts become alerts, repeats of a live alert's cause merge into it with a count."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.alerts.rules import Draft
from warehouse.models import Alert
from warehouse.models.base import utcnow

# Functions called with (session, rows) after alerts are raised or merged (rows: the upserted values,
# one per cause): notifications, live pages.
ON_RAISE: list = []


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def raise_alerts(session: Session, drafts: Sequence[Draft], actor: str = "system") -> int:
    """Save the drafts in one upsert: a draft whose kind and subject match a live (unresolved) alert
    adds to its count (the database's partial unique index decides, so concurrent writers agree).
    Returns how many alerts were raised or repeated."""
    if not drafts:
        return 0
    merged: dict[tuple[str, str], list[Draft]] = {}
    for draft in drafts:
        merged.setdefault((draft.kind, draft.subject), []).append(draft)
    now = utcnow()
    rows = []
    for same in merged.values():
        latest = max(same, key=lambda d: d.at)
        rows.append({"kind": latest.kind, "severity": latest.severity, "state": "open",
                     "subject": latest.subject, "box_id": latest.box_id, "code": latest.code,
                     "location_id": latest.location_id, "message": latest.message, "source": latest.source,
                     "detail": json.dumps(latest.detail, ensure_ascii=False, default=str), "count": len(same),
                     "first_at": _aware(min(d.at for d in same)), "at": _aware(latest.at),
                     "acknowledged_note": "", "resolved_note": "", "raised_at": now})
    session.execute(_upsert(session), [{k: v for k, v in r.items() if k != "raised_at"} for r in rows])
    counts: dict[str, int] = {}
    for draft in drafts:
        counts[draft.kind] = counts.get(draft.kind, 0) + 1
    audit.record(session, actor, "alerts.raise", "alerts", **counts)
    for hook in ON_RAISE:
        hook(session, rows)
    return len(rows)


def _upsert(session: Session):
    """INSERT … ON CONFLICT (kind, subject) WHERE state != 'resolved' DO UPDATE, on either database."""
    pg = session.get_bind().dialect.name == "postgresql"
    stmt: postgresql.Insert | sqlite.Insert = postgresql.insert(Alert) if pg else sqlite.insert(Alert)
    latest = getattr(func, "greatest" if pg else "max")  # the later of two times
    table = Alert.__table__
    return stmt.on_conflict_do_update(
        index_elements=[table.c.kind, table.c.subject], index_where=text("state != 'resolved'"),
        set_={"count": table.c.count + stmt.excluded.count, "at": latest(table.c.at, stmt.excluded.at),
              "location_id": func.coalesce(stmt.excluded.location_id, table.c.location_id),
              "source": stmt.excluded.source, "message": stmt.excluded.message})


def acknowledge(session: Session, alert_id: int, actor: str, note: str = "") -> Alert:
    """Someone has seen it and is on it."""
    from warehouse.errors import NotFound, Refused

    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    if alert.state != "open":
        raise Refused(f"alert {alert_id} is {alert.state}, not open")
    alert.state, alert.acknowledged_by, alert.acknowledged_at = "acknowledged", actor, utcnow()
    alert.acknowledged_note = note
    audit.record(session, actor, "alert.acknowledge", f"alert:{alert_id}", note=note)
    return alert


def resolve(session: Session, alert_id: int, actor: str, note: str = "") -> Alert:
    """The cause is dealt with; the alert stays, closed. A new repeat opens a new alert."""
    from warehouse.errors import NotFound, Refused

    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    if alert.state == "resolved":
        raise Refused(f"alert {alert_id} is resolved already")
    alert.state, alert.resolved_by, alert.resolved_at, alert.resolved_note = "resolved", actor, utcnow(), note
    audit.record(session, actor, "alert.resolve", f"alert:{alert_id}", note=note)
    return alert


def after_batch(session: Session, reads: Sequence[tuple], actor: str) -> None:
    """The scan pipeline's AFTER_BATCH hook: the read rules live in warehouse.alerts.batch."""
    from warehouse.alerts import batch

    batch.after_batch(session, reads, actor)


def mark_conflicts_alerted(session: Session, ids: list[int]) -> None:
    from warehouse.models import ScanConflict

    if ids:
        session.execute(update(ScanConflict).where(ScanConflict.id.in_(ids)).values(alerted=True))
