"""The home page: the stores and the register in numbers, and how full the shelves are."""

from __future__ import annotations

from flask import Blueprint, render_template

from warehouse import fonds as fonds_service
from warehouse import locations as places
from web.access import can, requires
from web.db import db_session
from web.locations import shade
from web.words import labels

bp = Blueprint("pages", __name__)
bp.context_processor(labels)


def shelf_summary(rows: list[places.Place]) -> dict:
    """Shelves counted by how full they are, and the room left in all of them."""
    shelves = [r for r in rows if r.kind == "ngan"]
    known = [r for r in shelves if r.space.capacity is not None]
    return {"shelves": len(shelves), "unknown": len(shelves) - len(known),
            "empty": sum(1 for r in shelves if r.space.boxes == 0),
            "full": sum(1 for r in known if r.space.free is not None and r.space.free <= 0),
            "over": sum(1 for r in known if r.space.free is not None and r.space.free < 0),
            "capacity": sum(r.space.capacity or 0 for r in known),
            "boxes": sum(r.space.boxes for r in shelves),
            "free": sum(max(r.space.free or 0, 0) for r in known)}


@bp.get("/")
@requires("view_places")
def index():
    session = db_session()
    rows = places.tree(session)
    stores = [r for r in rows if r.kind == "kho"]
    figures = fonds_service.figures(session) if can("view") else None
    return render_template("pages/index.html", stores=stores, summary=shelf_summary(rows),
                           figures=figures, shade=shade)
