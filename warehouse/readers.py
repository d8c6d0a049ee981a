"""Scanners as the daemon reports them: their state for the scanners page, and their last seq."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.models import Device, ReaderState, ScanEvent
from warehouse.models.base import utcnow
from warehouse.models.readers import READER_STATES

STALE_AFTER = timedelta(seconds=30)  # the daemon reports every few seconds while it runs
_SECRET = re.compile(r"//[^/@?]*@")  # user:password@ in a URL


def _utc(when: datetime) -> datetime:
    """An aware time in UTC; SQLite hands back naive UTC."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _maybe_utc(when: datetime | None) -> datetime | None:
    return None if when is None else _utc(when)


def record(session: Session, states: list[dict], host: str = "") -> None:
    """Keep the latest report of each device (name, url, state, last read, rate, errors)."""
    if not states:
        return
    names = [s["name"] for s in states]
    known = {r.name: r for r in session.scalars(select(ReaderState).where(ReaderState.name.in_(names)))}
    now = utcnow()
    for s in states:
        row = known.get(s["name"]) or ReaderState(name=s["name"])
        if row.id is None:
            session.add(row)
        row.url = _SECRET.sub("//***@", s.get("url") or "")[:500]
        row.host = host[:120]
        row.state = s["state"] if s.get("state") in READER_STATES else "error"
        row.last_read_at = _maybe_utc(s.get("last_read_at")) or row.last_read_at
        row.reads_per_minute = int(s.get("reads_per_minute") or 0)
        row.errors = int(s.get("errors") or 0)
        row.last_error = (s.get("last_error") or None) and str(s["last_error"])[:500]
        row.updated_at = now


def listing(session: Session, now: datetime | None = None) -> list[dict]:
    """Every reported scanner by name; `stale` when its daemon has not reported for a while."""
    now = _utc(now or utcnow())
    rows = session.scalars(select(ReaderState).order_by(ReaderState.name))
    return [{"name": r.name, "url": r.url, "host": r.host, "state": r.state,
             "last_read_at": _maybe_utc(r.last_read_at), "reads_per_minute": r.reads_per_minute,
             "errors": r.errors, "last_error": r.last_error, "updated_at": _utc(r.updated_at),
             "stale": now - _utc(r.updated_at) > STALE_AFTER} for r in rows]


def last_seq(session: Session, device: str) -> int | None:
    """The highest seq stored for a device, so that a daemon never numbers a read below it."""
    return session.scalar(select(func.max(ScanEvent.seq)).join(Device, Device.id == ScanEvent.device_id)
                          .where(Device.name == device))
