"""Routes of the `register` blueprint for boxes and the files in them (imported by web.register)."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from warehouse import boxes as box_service
from warehouse import fonds as fonds_service
from warehouse.errors import KhoError, Refused
from warehouse.locations import ancestors, over_capacity
from warehouse.models.boxes import CONDITIONS
from web.access import actor, can, requires
from web.db import db_session
from web.editing import change, day, page_number, regimes, text, warn_over, whole
from web.register import bp
from web.words import explain


@bp.get("/boxes")
@requires("view")
def boxes():
    session = db_session()
    chosen = {k: request.args.get(k, "").strip() for k in ("fonds", "location", "condition")}
    size = int(current_app.config.get("PAGE_SIZE", 50))
    try:
        rows, total = box_service.list_boxes(session, **chosen, page=page_number(), size=size)
    except KhoError as error:
        rows, total, problem = [], 0, explain(error)
    else:
        problem = ""
    pages = max((total + size - 1) // size, 1)
    return render_template("register/boxes.html", rows=rows, total=total, page=page_number(), pages=pages,
                           chosen=chosen, problem=problem, conditions=CONDITIONS,
                           fonds_codes=[r.fonds.code for r in fonds_service.list_fonds(session)])


@bp.get("/boxes/new")
@requires("manage_register")
def box_new():
    session = db_session()
    return render_template("register/box_new.html", conditions=CONDITIONS,
                           fonds_codes=[r.fonds.code for r in fonds_service.list_fonds(session)],
                           chosen=request.args)


@bp.post("/boxes")
@requires("manage_register")
def box_create():
    made = change(lambda s: box_service.create_box(
        s, actor(), text("fonds"), whole("number", _("box number")), code=text("code"), epc=text("epc"),
        home=text("home"), condition=text("condition") or "good", condition_note=text("condition_note")))
    if made is None:
        kept = {k: v for k, v in request.form.items() if k != "csrf_token"}
        return redirect(url_for(".box_new", **kept))
    warn_over(over_capacity(db_session(), made.home_id))
    return redirect(url_for(".box", code=made.code))


@bp.get("/boxes/<path:code>")
@requires("view")
def box(code: str):
    session = db_session()
    try:
        found = box_service.get_box(session, code)
    except KhoError as error:
        abort(404, description=explain(error))
    if found.code != code:  # found by its EPC or in another case: show it under its code
        return redirect(url_for(".box", code=found.code))
    files = box_service.files_of(session, found, regimes(), can("restricted"))
    trail = ancestors(session, found.home) + [found.home] if found.home else []
    return render_template("register/box.html", box=found, files=files, trail=trail,
                           conditions=CONDITIONS)


@bp.post("/boxes/<path:code>/edit")
@requires("manage_register")
def box_update(code: str):
    done = change(lambda s: box_service.update_box(
        s, actor(), code, new_code=text("code"), number=whole("number", _("box number")),
        epc=text("epc"), home=text("home"), condition=text("condition"),
        condition_note=text("condition_note")), _("Saved."))
    if done is None:
        return redirect(url_for(".box", code=code))
    warn_over(over_capacity(db_session(), done.home_id))
    return redirect(url_for(".box", code=done.code))


@bp.get("/files/<int:file_id>/edit")
@requires("manage_register")
def file_edit(file_id: int):
    try:
        found = box_service.get_file(db_session(), file_id, regimes(), can("restricted"))
    except KhoError as error:
        abort(403 if isinstance(error, Refused) else 404, description=explain(error))
    return render_template("register/file_edit.html", file=found)


def _file_values() -> dict:
    values = {k: text(k) for k in ("number", "file_code", "title", "retention", "access", "note")}
    return values | {"position": whole("position", _("No.")), "pages": whole("pages", _("Sheets")),
                     "start_date": day("start_date", _("start date")),
                     "end_date": day("end_date", _("end date")), "completed": bool(text("completed"))}


@bp.post("/files/<int:file_id>/edit")
@requires("manage_register")
def file_update(file_id: int):
    done = change(lambda s: box_service.update_file(s, actor(), file_id, _file_values(), regimes(),
                                                    can("restricted")), _("Saved."))
    if done is None:
        return redirect(url_for(".file_edit", file_id=file_id))
    return redirect(url_for(".box", code=done.box.code) + f"#file-{done.id}")
