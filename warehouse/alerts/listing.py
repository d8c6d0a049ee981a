"""Reading alerts: the contract's list, and counts for the dashboard."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.models import Alert, Box, Location


def _iso(at) -> str | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()


def alerts(session: Session, state: str | None = None, kind: str | None = None, box_id: int | None = None,
           limit: int | None = None, ids: list[int] | None = None) -> list[dict]:
    """[{"id","kind","severity","state","box","code","location","at", …}] newest first."""
    place = Location.__table__.alias("place")
    query = (select(Alert, Box.code, place.c.code).outerjoin(Box, Box.id == Alert.box_id)
             .outerjoin(place, place.c.id == Alert.location_id).order_by(Alert.at.desc(), Alert.id.desc()))
    if state:
        query = query.where(Alert.state == state)
    if kind:
        query = query.where(Alert.kind == kind)
    if box_id is not None:
        query = query.where(Alert.box_id == box_id)
    if ids is not None:
        query = query.where(Alert.id.in_(ids))
    if limit:
        query = query.limit(limit)
    return [{"id": a.id, "kind": a.kind, "severity": a.severity, "state": a.state, "box": box,
             "code": a.code, "location": loc, "at": _iso(a.at), "first_at": _iso(a.first_at), "count": a.count,
             "message": a.message, "source": a.source, "acknowledged_by": a.acknowledged_by,
             "acknowledged_at": _iso(a.acknowledged_at), "acknowledged_note": a.acknowledged_note,
             "resolved_by": a.resolved_by, "resolved_at": _iso(a.resolved_at), "resolved_note": a.resolved_note}
            for a, box, loc in session.execute(query)]


def counts_by_kind(session: Session) -> dict[str, int]:
    """Live (unresolved) alerts per kind."""
    return dict(session.execute(select(Alert.kind, func.count()).where(Alert.state != "resolved")
                                .group_by(Alert.kind)).all())


def per_day(session: Session, days: int = 30) -> list[tuple[str, int]]:
    """(day, alerts first raised that day), for the chart over time; computed in Python for both databases."""
    from datetime import datetime, timedelta

    since = datetime.now(UTC) - timedelta(days=days)
    tally: dict[str, int] = {}
    for (at,) in session.execute(select(Alert.first_at).where(Alert.first_at >= since)):
        day = (at if at.tzinfo else at.replace(tzinfo=UTC)).date().isoformat()
        tally[day] = tally.get(day, 0) + 1
    start = since.date()
    return [((start + timedelta(d)).isoformat(), tally.get((start + timedelta(d)).isoformat(), 0))
            for d in range(days + 1)]


def last_id_query():
    """The newest alert's id (where a live page's stream starts)."""
    return select(func.max(Alert.id))
