"""The one way scan events come in (API, CLI, drivers): check, keep once, interpret, audit.

`ingest` is set-based: a batch of thousands of reads costs a handful of statements (one look-up per
kind of key, one bulk insert). It is idempotent: a batch sent again is counted as duplicates, so a
client resends whatever was not acknowledged. Batches of one device are serialised (SQLite's write
lock, a PostgreSQL advisory lock per device), so a device's reads are interpreted in seq order even
when they arrive late or from two processes at once.

The audit entry of a batch carries the SHA-256 of its accepted events in canonical form: the JSON
text (no spaces, UTF-8) of the list of [device, seq, code, kind, at as UTC "YYYY-MM-DD HH:MM:SS.ffffff",
offset minutes, location, antenna, context JSON text] sorted by (device, seq) — see `digest`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from functools import lru_cache

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from warehouse import accounts, audit
from warehouse.alerts.raising import after_batch as alert_reads
from warehouse.errors import KhoError
from warehouse.models import Device, ScanConflict, Stocktake
from warehouse.scans import catalog as lookups
from warehouse.scans import codes
from warehouse.scans.events import MIN_SEQ, Event, Malformed, as_json, check, refusal
from warehouse.scans.interpret import DeviceState, Read, Reading, interpret
from warehouse.scans.store import insert_events, update_readings
from warehouse.tracking.sightings import after_ingest as track_sightings

DEFAULT_COMPANY_PREFIX = "8930000"
FIELDS = ("code", "kind", "at", "at offset", "location", "antenna", "context")
# Called once a batch is stored, in its transaction, as hook(session, sightings, actor) with the batch's
# new sightings as tuples (box id, place id or None, at as naive UTC, device id, seq, stocktake id or
# None, context text or None): tracking completes moves and transfers from them. The pipeline's own
# rules (places, sightings) never depend on what a hook does.
AFTER_INGEST: list[Callable[..., None]] = [track_sightings]
# Called next as hook(session, reads, actor) with every new event of the batch as a tuple (device id,
# seq, code as read, kind, at as naive UTC, location code or None, reading, box id, label id, place id,
# stocktake id or None): the alert rules that look at reads which are not sightings (unknown codes,
# gates): the alerts raise unknown-code, misplaced and unauthorised-exit alerts from them.
AFTER_BATCH: list[Callable[..., None]] = [alert_reads]


class StoredMeanwhile(KhoError):
    """Another writer stored some of the batch's events meanwhile; nothing was saved: resend it."""


@dataclass(frozen=True)
class ScanRules:
    """Settings interpretation needs: the RFID re-read window and the GS1 company prefix."""

    window: timedelta = timedelta(seconds=30)
    company_prefix: str = DEFAULT_COMPANY_PREFIX

    @classmethod
    def from_settings(cls, settings) -> ScanRules:
        return cls(timedelta(seconds=float(settings.get("RFID_REREAD_WINDOW_SECONDS", 30))),
                   str(settings.get("GIAI_COMPANY_PREFIX") or DEFAULT_COMPANY_PREFIX))


@lru_cache(maxsize=1)
def default_rules() -> ScanRules:
    from warehouse import settings

    return ScanRules.from_settings(settings.load())


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    refused: list[dict] = field(default_factory=list)
    sightings: int = 0
    unknown: list[str] = field(default_factory=list)  # unknown codes as read, each once
    digests: list[str] = field(default_factory=list)  # of each batch that stored events

    def to_json(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates,
                "refused": sorted(self.refused, key=lambda r: r["line"]),
                "sightings": self.sightings, "unknown": self.unknown}

    def add(self, other: IngestResult) -> None:
        """Fold the result of a further batch of the same file into this one."""
        self.accepted += other.accepted
        self.duplicates += other.duplicates
        self.refused.extend(other.refused)
        self.sightings += other.sightings
        seen = set(self.unknown)
        self.unknown.extend(code for code in other.unknown if code not in seen)
        self.digests.extend(other.digests)


def ingest(session: Session, events: list, *, actor: str, stocktake: int | None = None,
           lines: list[int] | None = None, rules: ScanRules | None = None,
           known: dict | None = None) -> IngestResult:
    """Store the new events of a batch, count the rest, and interpret what was stored.

    `lines` numbers the events (file lines); by default their index in the batch from 1. With
    `stocktake`, events without a context get {"stocktake": stocktake}. `known`, a dict shared by
    the batches of one run (a file's chunks), keeps what codes were found to be across them."""
    rules, result = rules or default_rules(), IngestResult()
    batch = _without_unknown_stocktakes(session, _checked(events, lines, stocktake, result), result)
    if not batch:
        return result
    names = sorted({event.device for event in batch})
    _lock_devices(session, names)
    ids = dict(session.execute(select(Device.name, Device.id).where(Device.name.in_(names))).all())
    last = lookups.last_seqs(session, set(ids.values()))  # each known device's highest stored seq
    new, conflicts = _new_events(session, batch, ids, last, result, actor)
    for name in sorted({event.device for event in new} - ids.keys()):
        ids[name] = accounts.device(session, name, actor).id  # new: nothing stored yet
    readings = _interpret(session, new, ids, last, rules, known) if new else {}
    stored = insert_events(session, [(ids[e.device], e, readings[ids[e.device], e.seq]) for e in new])
    if stored != len(new):
        raise StoredMeanwhile("some events of this batch were stored by another writer at the same "
                              "time; nothing was saved: send the batch again")
    result.accepted = stored
    result.sightings = sum(1 for r in readings.values() if r.sighting)
    _report_unknown(new, readings, ids, result)
    if new or conflicts:
        _audit(session, actor, new, conflicts, result)
    _after_ingest(session, new, readings, ids, actor)
    return result


def _after_ingest(session: Session, new: list[Event], readings: dict, ids: dict[str, int], actor: str) -> None:
    """Hand the batch's new sightings to the AFTER_INGEST hooks, then every new read to AFTER_BATCH."""
    if not new or not (AFTER_INGEST or AFTER_BATCH):
        return
    sightings, reads = [], []
    for e in new:
        device = ids[e.device]
        r = readings[device, e.seq]
        if r.sighting:
            sightings.append((r.box_id, r.place_id, e.utc, device, e.seq, e.stocktake, e.context))
        reads.append((device, e.seq, e.code, e.kind, e.utc, e.location, r.reading, r.box_id, r.label_id,
                      r.place_id, e.stocktake))
    for hook in AFTER_INGEST:
        hook(session, sightings, actor)
    for hook in AFTER_BATCH:
        hook(session, reads, actor)


def _checked(events: list, lines: list[int] | None, stocktake: int | None,
             result: IngestResult) -> list[Event]:
    batch = []
    for index, raw in enumerate(events):
        line = lines[index] if lines is not None else index + 1
        try:
            batch.append(check(raw, line, stocktake))
        except Malformed as e:
            result.refused.append(refusal(raw, line, str(e)))
    return batch


def _without_unknown_stocktakes(session: Session, batch: list[Event], result: IngestResult) -> list[Event]:
    """Events whose context names a stock-take that does not exist are refused one by one (one query):
    such a read would count for nothing, silently. A closed stock-take's reads are kept, not counted."""
    named = {e.stocktake for e in batch if e.stocktake is not None}
    if not named:
        return batch
    missing = named - set(session.scalars(select(Stocktake.id).where(Stocktake.id.in_(named))))
    if not missing:
        return batch
    for e in batch:
        if e.stocktake in missing:
            result.refused.append({"device": e.device, "seq": e.seq, "line": e.line,
                                   "error": f"context.stocktake: no stock-take {e.stocktake}"})
    return [e for e in batch if e.stocktake not in missing]


def _lock_devices(session: Session, names: list[str]) -> None:
    """On PostgreSQL, one transaction at a time per device (SQLite locks the whole database)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT count(pg_advisory_xact_lock(4933711, hashtext(n))) "
                             "FROM (SELECT unnest(CAST(:names AS text[])) AS n ORDER BY 1) AS d"),
                        {"names": names})


def _new_events(session: Session, batch: list[Event], ids: dict[str, int], last: dict[int, int],
                result: IngestResult, actor: str) -> tuple[list[Event], int]:
    """The events not stored yet; duplicates counted, conflicts refused and recorded."""
    # A key above its device's highest stored seq cannot be stored: only the others are looked up
    # (a device sending new reads, the common case, costs one index seek per device).
    keys = {(ids[event.device], event.seq) for event in batch
            if event.device in ids and event.seq <= last.get(ids[event.device], MIN_SEQ - 1)}
    stored = lookups.stored_content(session, keys) if keys else {}
    seen: dict[tuple[str, int], tuple] = {}
    new, conflicts = [], []
    for event in batch:
        key, content = event.key, event.content
        known = stored.get((ids[event.device], event.seq)) if event.device in ids else None
        if known is None:
            known = seen.get(key)
        if known is None:
            seen[key] = content
            new.append(event)
        elif known == content:
            result.duplicates += 1
        else:
            conflicts.append({"device": event.device, "seq": event.seq, "actor": actor,
                              "stored": json.dumps(as_json(event.device, event.seq, known), ensure_ascii=False),
                              "sent": json.dumps(event.as_json(), ensure_ascii=False)})
            result.refused.append({"device": event.device, "seq": event.seq, "line": event.line,
                                   "error": _conflict(event, known)})
    if conflicts:
        session.execute(insert(ScanConflict), conflicts)
    return new, len(conflicts)


def _conflict(event: Event, known: tuple) -> str:
    differ = [f"{name} {mine!r} (stored {theirs!r})" for name, mine, theirs
              in zip(FIELDS, event.content, known) if mine != theirs]
    return (f"conflict: ({event.device}, {event.seq}) is already stored with other content: "
            + "; ".join(differ))


def _interpret(session: Session, new: list[Event], ids: dict[str, int], last: dict[int, int],
               rules: ScanRules, known: dict | None) -> dict:
    """(device id, seq) → Reading for the new events; stored events a late one affects are updated."""
    by_device: dict[int, list[Event]] = {}
    for event in new:
        by_device.setdefault(ids[event.device], []).append(event)
    starts = {device: min(e.seq for e in events) for device, events in by_device.items()}
    late = {device: seq for device, seq in starts.items() if last.get(device, seq) > seq}
    later = lookups.stored_after(session, late)
    meaning, where = codes.resolve_all({(e.code, e.kind) for e in new},
                                       {e.location for e in new if e.location}
                                       | {row.location for row in later if row.location},
                                       codes.chain(rules.company_prefix), lookups.loader(session), known)
    states = _states(session, by_device, later, starts, meaning, rules)
    readings: dict[tuple[int, int], Reading] = {}
    stored_rows = {(row.device_id, row.seq): row for row in later}
    for device, events in by_device.items():
        reads = [Read(e.seq, e.kind, e.utc, meaning[e.code, e.kind],
                      where[e.location] if e.location else None) for e in events]
        if device in late:
            reads += [_stored_read(row, where) for row in later if row.device_id == device]
        reads.sort(key=lambda r: r.seq)  # a batch may list a device's events out of seq order
        for reading in interpret(reads, states.get(device) or DeviceState(), rules.window):
            readings[(device, reading.seq)] = reading
    changed = [(device, seq, reading) for (device, seq), reading in readings.items()
               if (device, seq) in stored_rows and _differs(stored_rows[device, seq], reading)]
    update_readings(session, changed)
    for key in stored_rows:
        readings.pop(key, None)
    return readings


def _stored_read(row, where: dict) -> Read:
    what = codes.Resolved(row.reading, row.box_id if row.reading == "box" else row.label_id, row.label_kind)
    return Read(row.seq, row.kind, lookups.naive_utc(row.at), what,
                where[row.location] if row.location else None)


def _differs(row, reading: Reading) -> bool:
    return (row.place_id, bool(row.sighting)) != (reading.place_id, reading.sighting)


def _states(session: Session, by_device: dict[int, list[Event]], later: list, starts: dict[int, int],
            meaning: dict, rules: ScanRules) -> dict[int, DeviceState]:
    """Each device's state just before the batch: its place, and its recent RFID sightings."""
    boxes, times = set(), []
    for events in by_device.values():
        for e in events:
            what = meaning[e.code, e.kind]
            if e.kind == "rfid" and what.reading == "box":
                boxes.add(what.id)
                times.append(e.utc)
    for row in later:
        if row.kind == "rfid" and row.reading == "box":
            boxes.add(row.box_id)
            times.append(lookups.naive_utc(row.at))
    states: dict[int, DeviceState] = {}
    if boxes:
        since, until = lookups.window_bounds(times, rules.window)
        states = lookups.recent_sightings(session, starts, boxes, since.replace(tzinfo=UTC),
                                          until.replace(tzinfo=UTC))
    for device, place in lookups.places_before(session, starts).items():
        states.setdefault(device, DeviceState()).place = place
    return states


def _report_unknown(new: list[Event], readings: dict, ids: dict[str, int], result: IngestResult) -> None:
    seen: set[str] = set()
    for event in new:
        if readings[ids[event.device], event.seq].reading == "unknown" and event.code not in seen:
            seen.add(event.code)
            result.unknown.append(event.code)


def digest(rows: list) -> str:
    """SHA-256 of accepted events in canonical form (see the module docstring)."""
    body = json.dumps(sorted(rows), ensure_ascii=False, separators=(",", ":"))  # (device, seq) unique
    return hashlib.sha256(body.encode()).hexdigest()


def canonical(event: Event) -> tuple:
    return (event.device, event.seq, event.code, event.kind, event.stamp, event.offset, event.location,
            event.antenna, event.context)


def _audit(session: Session, actor: str, new: list[Event], conflicts: int, result: IngestResult) -> None:
    sha = digest([(e.device, e.seq, e.code, e.kind, e.stamp, e.offset, e.location, e.antenna, e.context)
                  for e in new])
    result.digests.append(sha)
    audit.record(session, actor, "scans.ingest", f"scans:{sha[:16]}", digest=sha,
                 accepted=result.accepted, duplicates=result.duplicates, refused=len(result.refused),
                 conflicts=conflicts, sightings=result.sightings, unknown=len(result.unknown),
                 devices=sorted({event.device for event in new}))
