"""The stores in the browser: the tree of places, free space and an occupancy heat map of the racks."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _

from warehouse import boxes as box_service
from warehouse import locations as places
from warehouse.errors import KhoError
from warehouse.models.locations import KINDS
from web.access import actor, can, requires
from web.db import db_session
from web.editing import change, text, whole
from web.words import explain, labels

bp = Blueprint("locations", __name__)
bp.context_processor(labels)

# Fill colours of the heat map, by how full a place is (percent of its capacity).
SHADES = ((50, "#c8e6c9"), (80, "#81c784"), (95, "#ffb74d"), (100, "#e57373"))
OVER, UNKNOWN = "#b3261e", "#d6dbe3"


def shade(percent: int | None) -> str:
    """The colour of a place on the heat map: greens with room left, orange to red when full."""
    if percent is None:
        return UNKNOWN
    if percent > 100:
        return OVER
    return next((colour for limit, colour in SHADES if percent < limit), SHADES[-1][1])


def inside(kind: str | None) -> list[str]:
    """The kinds that may be created inside a place of this kind (top level: None)."""
    return [k for k, parents in KINDS.items() if kind in parents]


def heat_map(rows: list[places.Place]) -> list[dict]:
    """Per store, one line per rack row (dãy) with its racks (giá), for the SVG map."""
    children = defaultdict(list)
    for place in rows:
        children[place.parent_id].append(place)
    maps = []
    for store in (p for p in rows if p.kind == "kho"):
        lines, stack = [], list(reversed(children[store.id]))
        while stack:
            place = stack.pop()
            if place.kind == "day":
                lines.append({"row": place, "racks": [c for c in children[place.id] if c.kind == "gia"]})
            elif place.kind == "phong":
                stack.extend(reversed(children[place.id]))
        if lines:
            maps.append({"store": store, "lines": lines,
                         "width": max(len(line["racks"]) for line in lines)})
    return maps


def _shelves(rows: list[places.Place]) -> dict[int, list[places.Place]]:
    by_rack = defaultdict(list)
    for place in rows:
        if place.kind == "ngan":
            by_rack[place.parent_id].append(place)
    return by_rack


@bp.get("/locations")
@requires("view_places")
def tree():
    rows = places.tree(db_session())
    return render_template("locations/tree.html", rows=[r for r in rows if r.kind != "ngan"],
                           shelves=_shelves(rows), maps=heat_map(rows), shade=shade, kinds=inside(None))


@bp.get("/locations/<path:code>")
@requires("view_places")
def place(code: str):
    session = db_session()
    try:
        found = places.get_location(session, code)
    except KhoError as error:
        abort(404, description=explain(error))
    rows = places.tree(session, under=found)
    here = rows[0]
    boxes, total = [], 0
    if can("view"):  # the register's business: which boxes sit here (a patrol sees counts only)
        size = int(current_app.config.get("PAGE_SIZE", 50)) if found.kind in ("ngan", "gia") else 0
        boxes, total = box_service.list_boxes(session, location=found.code, size=size)
    return render_template("locations/place.html", place=found, here=here,
                           trail=places.ancestors(session, found),
                           children=[r for r in rows if r.parent_id == found.id], shelves=_shelves(rows),
                           maps=heat_map(rows), shade=shade, kinds=inside(found.kind), boxes=boxes,
                           boxes_total=total)


@bp.post("/locations")
@requires("manage_locations")
def location_create():
    parent = text("parent")
    made = change(lambda s: places.create_location(s, actor(), text("code"), text("name"), text("kind"),
                                                   parent or None, whole("capacity", _("capacity"))),
                  _("Place created."))
    if made is not None:
        return redirect(url_for(".place", code=made.code))
    return redirect(url_for(".place", code=parent) if parent else url_for(".tree"))


@bp.post("/locations/<path:code>/edit")
@requires("manage_locations")
def location_update(code: str):
    done = change(lambda s: places.update_location(s, actor(), code, name=text("name"),
                                                   capacity=whole("capacity", _("capacity")),
                                                   new_code=text("code") or None), _("Saved."))
    return redirect(url_for(".place", code=done.code if done else code))


@bp.post("/locations/<path:code>/delete")
@requires("manage_locations")
def location_delete(code: str):
    session = db_session()
    try:
        parent = places.get_location(session, code).parent
    except KhoError as error:
        abort(404, description=explain(error))
    parent_code = parent.code if parent else None
    if change(lambda s: places.delete_location(s, actor(), code), _("Place deleted.")) is None:
        return redirect(url_for(".place", code=code))
    return redirect(url_for(".place", code=parent_code) if parent_code else url_for(".tree"))
