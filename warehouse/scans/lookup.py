"""What a handheld asks on every read: a box by its code (or EPC), with where it was last seen.

The hot path is two Core queries on indexed columns: the box by its code, then its latest read.
EPCs, Kho's GIAI-96 tags and legacy codes go through the parser chain."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from warehouse.models import Box, Fonds, Location, ScanEvent
from warehouse.scans import codes
from warehouse.scans.catalog import loader, naive_utc

_home = aliased(Location)
_BOX = (select(Box.id, Box.code, Fonds.code.label("fonds"), Box.number, Box.epc, _home.code.label("home"))
        .join(Fonds, Fonds.id == Box.fonds_id).outerjoin(_home, _home.id == Box.home_id))
_LATEST = (select(ScanEvent.at, ScanEvent.at_offset, Location.code)
           .outerjoin(Location, Location.id == ScanEvent.place_id)
           .order_by(ScanEvent.at.desc()).limit(1))


def box_info(session: Session, code: str, company_prefix: str) -> dict | None:
    """{"code", "fonds", "box", "epc", "home", "place", "state", "last_seen"}, or None if unknown."""
    row = session.execute(_BOX.where(Box.code == codes.normal(code))).first()
    if row is None:
        box_id = _resolve(session, code, company_prefix)
        row = session.execute(_BOX.where(Box.id == box_id)).first() if box_id is not None else None
    if row is None:
        return None
    latest = session.execute(_LATEST.where(ScanEvent.box_id == row.id)).first()
    place, seen = (latest[2], _iso(latest[0], latest[1])) if latest else (None, None)
    return {"code": row.code, "fonds": row.fonds, "box": row.number, "epc": row.epc, "home": row.home,
            "place": place, "state": "on_shelf" if place else "unknown", "last_seen": seen}


def _resolve(session: Session, code: str, company_prefix: str) -> int | None:
    """The box an EPC, a GIAI-96 tag URI or a legacy code names (through the parser chain)."""
    read = (code, "rfid" if codes.is_epc(code) else "barcode")
    meaning, _ = codes.resolve_all({read}, set(), codes.chain(company_prefix), loader(session))
    return meaning[read].id if meaning[read].reading == "box" else None


def _iso(at, offset: int) -> str:
    """A stored instant as ISO 8601 with the offset the device sent."""
    return naive_utc(at).replace(tzinfo=UTC).astimezone(timezone(timedelta(minutes=offset))).isoformat()
