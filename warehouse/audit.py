"""The append-only audit trail: record a change, verify the chain, name the first bad entry."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.models import AuditEntry, AuditHead
from warehouse.models.audit import GENESIS
from warehouse.models.base import utcnow


def entry_hash(prev_hash: str, at: datetime, actor: str, action: str, target: str, detail: str) -> str:
    """SHA-256 over the previous hash and this entry's fields, in a fixed, unambiguous form."""
    if at is not None and at.tzinfo is not None:
        at = at.astimezone(UTC)
    stamp = at.replace(tzinfo=None).isoformat(timespec="microseconds") if at else ""
    body = json.dumps([prev_hash, stamp, actor, action, target, detail], ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def record(session: Session, actor: str, action: str, target: str = "", **detail) -> AuditEntry:
    """Append one entry in the caller's transaction; the head row's lock orders concurrent appends."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, entry_id=0, hash=GENESIS)
        session.add(head)
    at = utcnow()
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    entry = AuditEntry(at=at, actor=actor or "system", action=action, target=target or "",
                       detail=text, prev_hash=head.hash)
    entry.hash = entry_hash(entry.prev_hash, at, entry.actor, action, entry.target, text)
    session.add(entry)
    session.flush()
    head.entry_id, head.hash = entry.id, entry.hash
    return entry


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    head: str
    problem: str = ""
    bad_entry: int | None = None


def check_chain(rows: Iterable[tuple], stored_head: tuple[int, str] | None = None,
                expected_head: str | None = None) -> Verdict:
    """Walk (id, at, actor, action, target, detail, prev_hash, hash) rows in id order."""
    prev, count = GENESIS, 0
    for id_, at, actor, action, target, detail, prev_hash, hash_ in rows:
        if prev_hash != prev:
            return Verdict(False, count, prev, f"entry {id_}: does not follow the entry before it "
                           "(an entry was removed or reordered)", id_)
        if entry_hash(prev_hash, at, actor, action, target, detail) != hash_:
            return Verdict(False, count, prev, f"entry {id_}: its content was altered", id_)
        prev, count = hash_, count + 1
    if stored_head is not None and stored_head[1] != prev:
        return Verdict(False, count, prev, f"the chain ends at {prev} but the recorded head is "
                       f"{stored_head[1]} (entry {stored_head[0]}): entries after {count} were removed")
    if expected_head is not None and expected_head.lower() != prev:
        return Verdict(False, count, prev, f"the chain ends at {prev}, not at the given head {expected_head}")
    return Verdict(True, count, prev)


def verify(session: Session, expected_head: str | None = None) -> Verdict:
    """Check the whole stored chain, streaming it in id order."""
    cols = (AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.target,
            AuditEntry.detail, AuditEntry.prev_hash, AuditEntry.hash)
    rows = session.execute(select(*cols).order_by(AuditEntry.id).execution_options(yield_per=5000))
    head = session.execute(select(AuditHead.entry_id, AuditHead.hash)).first()
    return check_chain(rows, (head[0], head[1]) if head else None, expected_head)


def head(session: Session) -> str:
    """The hash of the last entry (64 hex digits; zeros for an empty trail)."""
    return session.execute(select(AuditHead.hash)).scalar_one_or_none() or GENESIS


def recent(session: Session, page: int = 1, size: int = 50, query: str = "") -> tuple[list[AuditEntry], int]:
    """One page of entries, newest first, and how many match (`query`: part of actor, action or target)."""
    where = []
    if query.strip():
        like = f"%{query.strip()}%"
        where.append(AuditEntry.actor.ilike(like) | AuditEntry.action.ilike(like) | AuditEntry.target.ilike(like))
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    rows = session.scalars(select(AuditEntry).where(*where).order_by(AuditEntry.id.desc())
                           .offset((max(page, 1) - 1) * size).limit(size))
    return list(rows), total
