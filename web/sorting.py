"""Chỉnh lý in the browser: pick a fonds and a box, move, split, merge, renumber, see the history."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from warehouse import sorting
from warehouse.errors import KhoError, Refused
from warehouse.models import Fonds
from warehouse.text import fold
from web.access import actor, can, requires
from web.db import db_session
from web.words import explain

bp = Blueprint("sorting", __name__, url_prefix="/sorting")


def _hidden(access: str) -> bool:
    """Whether this reader may not see the title of a file with this access regime."""
    restricted = {fold(a) for a in current_app.config.get("RESTRICTED_ACCESS", [])}
    return fold(access) in restricted and not can("restricted")


@bp.get("/")
@requires("rebox")
def index():
    s = db_session()
    all_fonds = s.scalars(select(Fonds).order_by(Fonds.code)).all()
    fonds_code, box_code = request.args.get("fonds", "").strip(), request.args.get("box", "").strip()
    fonds = box = None
    try:
        fonds = sorting.find_fonds(s, fonds_code) if fonds_code else None
        box = sorting.find_box(s, box_code, fonds.id if fonds else None) if box_code else None
    except KhoError as e:
        flash(explain(e), "error")
    fonds = box.fonds if box is not None else fonds
    files = sorting.box_files(s, box) if box is not None else []
    history = sorting.box_history(s, box) if box is not None else {"moves": [], "events": []}
    return render_template(
        "sorting/index.html", all_fonds=all_fonds, fonds=fonds, box=box, files=files, history=history,
        boxes=sorting.fonds_boxes(s, fonds.id) if fonds is not None else [], hidden=_hidden,
        box_page="register.box" in current_app.view_functions)


def _back(box: str = "", fonds: str = ""):
    return redirect(url_for("sorting.index", fonds=fonds or None, box=box or None))


def _file_ids() -> list[int]:
    raw = request.form.getlist("file")
    bad = [v for v in raw if not v.isdigit()]
    if bad:
        raise Refused(_("not a file id: %(value)s", value=bad[0]))
    return [int(v) for v in raw]


def _run(change, done) -> dict | None:
    """Run one change in the request's transaction; flash what was done or why it was refused."""
    s = db_session()
    try:
        result = change(s)
        s.commit()
    except KhoError as e:
        s.rollback()
        flash(_("Refused, nothing was changed: %(reason)s", reason=explain(e)), "error")
        return None
    flash(done(result), "ok")
    return result


@bp.post("/move")
@requires("rebox")
def move():
    box, to = request.form.get("box", ""), request.form.get("to", "")
    _run(lambda s: sorting.move_files(s, _file_ids(), to, actor(), request.form.get("reason", "")),
         lambda r: _("%(count)s file(s) moved into box %(box)s.", count=r["moved"], box=r["to"]))
    return _back(box)


@bp.post("/split")
@requires("rebox")
def split():
    box = request.form.get("box", "")
    _run(lambda s: sorting.split_box(s, box, _file_ids(), actor(), request.form.get("code") or None,
                                     request.form.get("reason", "")),
         lambda r: _("%(count)s file(s) put into the new box %(box)s (number %(number)s).",
                     count=len(r["files"]), box=r["box"], number=r["number"]))
    return _back(box)


@bp.post("/merge")
@requires("rebox")
def merge():
    box = request.form.get("box", "")
    _run(lambda s: sorting.merge_boxes(s, box, request.form.get("from", ""), actor(),
                                       request.form.get("reason", "")),
         lambda r: _("%(count)s file(s) of box %(source)s moved into box %(box)s; box %(source)s is retired.",
                     count=r["files"], source=r["from"], box=r["into"]))
    return _back(box)


@bp.post("/renumber")
@requires("rebox")
def renumber():
    box, number = request.form.get("box", ""), request.form.get("number", "").strip()
    if not number.isdigit():
        flash(_("Refused, nothing was changed: %(reason)s",
                reason=_("the box number must be a whole number, not %(value)s", value=number or "''")),
              "error")
        return _back(box)
    result = _run(lambda s: sorting.renumber_box(s, box, int(number), actor(), request.form.get("code") or None),
                  lambda r: _("Box %(old)s is now number %(number)s, code %(box)s.",
                              old=r["old_code"], number=r["number"], box=r["box"]))
    return _back(result["box"] if result else box)


@bp.post("/positions")
@requires("rebox")
def positions():
    fonds, box = request.form.get("fonds", ""), request.form.get("box", "")
    catalogue = request.form.get("catalogue", "1").strip()
    _run(lambda s: sorting.renumber_positions(s, fonds, int(catalogue) if catalogue.isdigit() else 0, actor()),
         lambda r: _("List numbers (Số TT) renumbered: %(changed)s of %(files)s file(s) changed.",
                     changed=r["changed"], files=r["files"]))
    return _back(box, fonds)
