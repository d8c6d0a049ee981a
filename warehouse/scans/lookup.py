"""What a handheld asks on every read: a box by its code (or EPC), with its state and last-known place.

The hot path is two Core queries on indexed columns (warehouse.tracking.places.box_doc): the box with
its home and stored status, then its latest read. EPCs, Kho's GIAI-96 tags and legacy codes go
through the parser chain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from warehouse.models import Box
from warehouse.scans import codes
from warehouse.scans.catalog import loader
from warehouse.tracking.places import box_doc


def box_info(session: Session, code: str, company_prefix: str) -> dict | None:
    """{"code", "fonds", "box", "epc", "home", "place", "state", "last_seen"}, or None if unknown."""
    found = box_doc(session, Box.code == codes.normal(code))
    if found is None:
        box_id = _resolve(session, code, company_prefix)
        found = box_doc(session, Box.id == box_id) if box_id is not None else None
    return found


def _resolve(session: Session, code: str, company_prefix: str) -> int | None:
    """The box an EPC, a GIAI-96 tag URI or a legacy code names (through the parser chain)."""
    read = (code, "rfid" if codes.is_epc(code) else "barcode")
    meaning, _ = codes.resolve_all({read}, set(), codes.chain(company_prefix), loader(session))
    return meaning[read].id if meaning[read].reading == "box" else None
