"""What the register holds after an import: each box with its fonds, home and number of files."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse.errors import NotFound
from warehouse.models import Box, File, Fonds, Location


def list_boxes(session: Session, fonds: str | None = None) -> list[dict]:
    """[{"code", "fonds", "box", "epc", "home", "files"}] in one query, by fonds and box number."""
    if fonds is not None:
        fonds = fonds.strip().upper()
        if session.scalar(select(Fonds.id).where(Fonds.code == fonds)) is None:
            raise NotFound(f"no fonds {fonds}")
    counts = select(File.box_id, func.count().label("files")).group_by(File.box_id).subquery()
    query = (select(Box.code, Fonds.code, Box.number, Box.epc, Location.code, counts.c.files)
             .join(Fonds, Fonds.id == Box.fonds_id)
             .outerjoin(Location, Location.id == Box.home_id)
             .outerjoin(counts, counts.c.box_id == Box.id)
             .order_by(Fonds.code, Box.number))
    if fonds is not None:
        query = query.where(Fonds.code == fonds)
    return [{"code": code, "fonds": fonds_code, "box": number, "epc": epc, "home": home, "files": files or 0}
            for code, fonds_code, number, epc, home, files in session.execute(query)]
