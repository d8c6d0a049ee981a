"""A box's whole history as one timeline, newest first: every sighting, move, transfer, check-out,
disposal, stock-take result, re-boxing (files moved in or out), change to its register entry and alert
about it (raised, acknowledged, resolved), each with who did it and which device read it.

Each source is one query (at most `limit` rows, newest first); `merge` (pure) interleaves them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from warehouse.boxes import visible_title
from warehouse.labelling.runs import box_print_runs
from warehouse.models import (
    Alert,
    AuditEntry,
    Box,
    BoxEvent,
    Device,
    Location,
    ScanEvent,
    Stocktake,
    StocktakeResult,
    User,
)
from warehouse.scans.catalog import naive_utc
from warehouse.sorting import box_history, former_codes

LIMIT = 500


@dataclass(frozen=True)
class Entry:
    at: datetime  # naive UTC
    kind: str  # sighting | stocktake.result | rebox | alert[.acknowledged|.resolved] | register action | a box event's kind
    place: str | None = None  # a location code
    actor: str | None = None  # who: a user, a device's owner, "cli", "device:…"
    device: str | None = None
    ref: int | None = None  # the order, transfer, check-out, decision or stock-take
    detail: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"at": self.at.isoformat() + "Z", "kind": self.kind, "place": self.place, "actor": self.actor,
                "device": self.device, "ref": self.ref, "detail": self.detail}


def merge(sources: Iterable[Iterable[Entry]], limit: int = LIMIT) -> list[Entry]:
    """The entries of every source, newest first (an entry's order within its source kept on ties)."""
    entries = [e for source in sources for e in source]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def box_timeline(session: Session, box: Box, regimes: Iterable[str], cleared: bool,
                 limit: int = LIMIT) -> list[Entry]:
    """The history of a box, newest first, at most `limit` entries."""
    regimes = list(regimes)
    # A tracking step or an alert and the read that caused it share their time: the consequence is listed
    # first (newest first), so alerts come before events and events before sightings.
    return merge([_alerts(session, box.id, limit), _events(session, box.id, limit), _sightings(session, box.id, limit),
                  _stocktakes(session, box.id, limit), _reboxing(session, box, regimes, cleared),
                  _register(session, box, limit), _prints(session, box.id, limit)], limit)


def _sightings(session: Session, box_id: int, limit: int) -> list[Entry]:
    e, place, owner = ScanEvent, aliased(Location), aliased(User)
    rows = session.execute(
        select(e.at, place.code, Device.name, owner.name, e.seq, e.kind, e.code, e.location, e.stocktake, e.context)
        .join(Device, Device.id == e.device_id).outerjoin(owner, owner.id == Device.owner_id)
        .outerjoin(place, place.id == e.place_id)
        .where(e.box_id == box_id, e.sighting.is_(True)).order_by(e.at.desc()).limit(limit))
    out = []
    for at, code, device, who, seq, kind, read, location, stocktake, context in rows:
        detail = {"seq": seq, "read": kind, "code": read, "location": location, "stocktake": stocktake,
                  "context": json.loads(context) if context else None}
        out.append(Entry(naive_utc(at), "sighting", code, who, device, stocktake,
                         {k: v for k, v in detail.items() if v is not None}))
    return out


def _events(session: Session, box_id: int, limit: int) -> list[Entry]:
    b, place = BoxEvent, aliased(Location)
    rows = session.execute(
        select(b.at, b.kind, place.code, b.actor, Device.name, b.seq, b.ref, b.detail)
        .outerjoin(Device, Device.id == b.device_id).outerjoin(place, place.id == b.place_id)
        .where(b.box_id == box_id).order_by(b.at.desc(), b.id.desc()).limit(limit))
    out = []
    for at, kind, code, actor, device, seq, ref, detail in rows:
        extra = json.loads(detail or "{}") | ({"seq": seq} if seq is not None else {})
        out.append(Entry(naive_utc(at), kind, code, actor, device, ref, extra))
    return out


def _stocktakes(session: Session, box_id: int, limit: int) -> list[Entry]:
    r, home, seen = StocktakeResult, aliased(Location), aliased(Location)
    rows = session.execute(
        select(r.stocktake_id, r.outcome, home.code, seen.code, r.seen_at, Device.name, Stocktake.closed_at,
               Stocktake.closed_by)
        .join(Stocktake, Stocktake.id == r.stocktake_id).outerjoin(home, home.id == r.expected_id)
        .outerjoin(seen, seen.id == r.found_id).outerjoin(Device, Device.id == r.device_id)
        .where(r.box_id == box_id).order_by(Stocktake.closed_at.desc()).limit(limit))
    return [Entry(naive_utc(closed), "stocktake.result", found, closed_by, device, stocktake,
                  {"outcome": outcome, "expected": expected, "read_at": naive_utc(at).isoformat() + "Z" if at else None})
            for stocktake, outcome, expected, found, at, device, closed, closed_by in rows if closed is not None]


def _reboxing(session: Session, box: Box, regimes: list[str], cleared: bool) -> list[Entry]:
    moved = box_history(session, box)["moves"]
    return [Entry(naive_utc(m["at"]), "rebox", None, m["actor"], None, None,
                  {"file": m["number"], "title": visible_title(m["title"], m["access"], regimes, cleared),
                   "from": m["from"], "to": m["to"], "reason": m["reason"],
                   "direction": "in" if m["to"] == box.code else "out"})
            for m in moved]


def _register(session: Session, box: Box, limit: int) -> list[Entry]:
    targets = [f"box:{c}" for c in [box.code, *former_codes(session, box.code)]]
    rows = session.execute(select(AuditEntry.at, AuditEntry.action, AuditEntry.actor, AuditEntry.detail)
                           .where(AuditEntry.target.in_(targets)).order_by(AuditEntry.id.desc()).limit(limit))
    return [Entry(naive_utc(at), action, None, actor, None, None, json.loads(detail or "{}"))
            for at, action, actor, detail in rows]


def _prints(session: Session, box_id: int, limit: int) -> list[Entry]:
    """Print runs of the box's label (warehouse.labelling): template, output, where, the EPC written."""
    return [Entry(naive_utc(p.at), "labels.print", None, p.actor, None, p.run,
                  {"output": p.output, "template": p.template, "destination": p.destination, "epc": p.epc})
            for p in box_print_runs(session, box_id, limit) if p.at is not None]


def _alerts(session: Session, box_id: int, limit: int) -> list[Entry]:
    """Each alert about the box when first raised (with its state now, repeats and decisions), and its
    acknowledgement and resolution at their own times, by whom and with their notes."""
    place = aliased(Location)
    rows = session.execute(select(Alert, place.code).outerjoin(place, place.id == Alert.location_id)
                           .where(Alert.box_id == box_id).order_by(Alert.first_at.desc(), Alert.id.desc())
                           .limit(limit))
    out = []
    for alert, code in rows:
        device = json.loads(alert.detail or "{}").get("device")
        decisions = {step: _decision(alert, step) for step in ("acknowledged", "resolved")}
        decided = {f"{step}_{k}": v for step, decision in decisions.items() for k, v in decision.items() if v}
        last = {"last_at": naive_utc(alert.at).isoformat() + "Z"} if alert.count > 1 else {}
        out.append(Entry(naive_utc(alert.first_at), "alert", code, None, device, alert.id,
                         {"alert": alert.id, "kind": alert.kind, "severity": alert.severity, "state": alert.state,
                          "count": alert.count, "message": alert.message} | last | decided))
        for step, decision in decisions.items():
            if decision["at"]:
                out.append(Entry(naive_utc(getattr(alert, f"{step}_at")), f"alert.{step}", None, decision["by"],
                                 None, alert.id, {"alert": alert.id, "kind": alert.kind, "note": decision["note"]}))
    return out


def _decision(alert: Alert, step: str) -> dict:
    """Who acknowledged (or resolved) the alert, when (ISO text, UTC) and the note, or Nones."""
    at = getattr(alert, f"{step}_at")
    return {"by": getattr(alert, f"{step}_by"), "at": naive_utc(at).isoformat() + "Z" if at else None,
            "note": getattr(alert, f"{step}_note") or None}
