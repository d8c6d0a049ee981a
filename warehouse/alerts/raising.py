"""Raising alerts: drafts become alerts, repeats of a live alert's cause merge into it with a count."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.alerts import rules
from warehouse.alerts.rules import Draft
from warehouse.models import Alert, Box, Location
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
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
        latest = func.greatest
    else:
        from sqlalchemy.dialects.sqlite import insert
        latest = func.max
    stmt = insert(Alert)
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
    """Alerts from a stored batch of reads: unknown codes, boxes off their shelf, boxes at a gate.
    Reads of a stock-take are judged when it closes, not here."""
    day = [r for r in reads if r[10] is None]
    if not day:
        return
    drafts = rules.unknown_reads((r[2], r[4], str(r[0])) for r in day if r[6] == "unknown")
    boxes = [r for r in day if r[6] == "box"]
    if boxes:
        drafts += _misplaced(session, [r for r in boxes if r[9] is not None])
        drafts += _gate_exits(session, [r for r in boxes if r[5]])
    raise_alerts(session, drafts, actor)


def _misplaced(session: Session, sightings: list[tuple]) -> list[Draft]:
    if not sightings:
        return []
    from warehouse.tracking import moves

    ids = {r[7] for r in sightings}
    shelf = Location.__table__.alias("shelf")
    homes = {box: (code, home, rack) for box, code, home, rack in session.execute(
        select(Box.id, Box.code, Box.home_id, shelf.c.parent_id)
        .outerjoin(shelf, shelf.c.id == Box.home_id).where(Box.id.in_(ids)))}
    moving = set(moves.open_lines(session, ids))
    rows = [(r[7], homes[r[7]][0], r[9], homes[r[7]][1], homes[r[7]][2], r[4]) for r in sightings]
    return rules.misplaced_sightings(rows, moving)


def _gate_exits(session: Session, reads: list[tuple]) -> list[Draft]:
    """Box reads whose explicit location is a gate, of boxes not checked out, in transit or handed over."""
    from warehouse.models import BoxStatus

    gates = dict(session.execute(select(Location.code, Location.id).where(
        Location.code.in_({r[5] for r in reads}), Location.kind == "cong")).all())
    at_gate = [r for r in reads if r[5] in gates]
    if not at_gate:
        return []
    ids = {r[7] for r in at_gate}
    covered = set(session.scalars(select(BoxStatus.box_id).where(
        BoxStatus.box_id.in_(ids), BoxStatus.state.in_(("checked_out", "in_transit", "handed_over")))))
    codes = dict(session.execute(select(Box.id, Box.code).where(Box.id.in_(ids))).all())
    return rules.gate_exits({"at": r[4], "box_id": r[7], "box": codes[r[7]], "gate_id": gates[r[5]],
                             "gate": r[5], "device": r[0], "seq": r[1]}
                            for r in at_gate if r[7] not in covered)


def mark_conflicts_alerted(session: Session, ids: list[int]) -> None:
    from warehouse.models import ScanConflict

    if ids:
        session.execute(update(ScanConflict).where(ScanConflict.id.in_(ids)).values(alerted=True))
