"""The register in the browser: agencies, fonds and their catalogues, and search (boxes: register_boxes)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from warehouse import agencies as agency_service
from warehouse import fonds as fonds_service
from warehouse import search as finding
from warehouse.errors import KhoError
from web.access import actor, can, requires
from web.db import db_session
from web.editing import change, day, regimes, text, whole
from web.words import explain, labels

bp = Blueprint("register", __name__)
bp.context_processor(labels)


def _found(lookup, *args):
    """The thing looked up, or a 404 naming what was missing."""
    try:
        return lookup(db_session(), *args)
    except KhoError as error:
        abort(404, description=explain(error))


# --- agencies ---------------------------------------------------------------------------------------

@bp.get("/agencies")
@requires("view")
def agencies():
    query = request.args.get("q", "")
    session = db_session()
    rows = agency_service.list_agencies(session, query)
    everyone = rows if not query else agency_service.list_agencies(session)
    return render_template("register/agencies.html", rows=rows, query=query,
                           everyone=[r.agency for r in everyone])


def _agency_values() -> dict:
    return {"name": text("name"), "status": text("status") or "active",
            "successor_id": whole("successor_id", _("successor")),
            "ended_on": day("ended_on", _("date it ended")), "decision": text("decision")}


@bp.post("/agencies")
@requires("manage_register")
def agency_create():
    made = change(lambda s: agency_service.create_agency(s, actor(), **_agency_values()))
    if made is None:
        return redirect(url_for(".agencies"))
    return redirect(url_for(".agency", agency_id=made.id))


@bp.get("/agencies/<int:agency_id>")
@requires("view")
def agency(agency_id: int):
    found = _found(agency_service.get_agency, agency_id)
    own = [r for r in fonds_service.list_fonds(db_session()) if r.fonds.agency_id == found.id]
    everyone = [r.agency for r in agency_service.list_agencies(db_session()) if r.agency.id != found.id]
    return render_template("register/agency.html", agency=found, fonds_rows=own, everyone=everyone)


@bp.post("/agencies/<int:agency_id>")
@requires("manage_register")
def agency_update(agency_id: int):
    change(lambda s: agency_service.update_agency(s, actor(), agency_id, **_agency_values()), _("Saved."))
    return redirect(url_for(".agency", agency_id=agency_id))


# --- fonds ------------------------------------------------------------------------------------------

@bp.get("/fonds")
@requires("view")
def fonds_list():
    query = request.args.get("q", "")
    session = db_session()
    return render_template("register/fonds_list.html", rows=fonds_service.list_fonds(session, query), query=query,
                           agencies=[r.agency for r in agency_service.list_agencies(session)])


@bp.post("/fonds")
@requires("manage_register")
def fonds_create():
    made = change(lambda s: fonds_service.create_fonds(s, actor(), text("code"), text("name"),
                                               whole("agency_id", _("agency")), text("note")))
    if made is None:
        return redirect(url_for(".fonds_list"))
    return redirect(url_for(".fonds", code=made.code))


@bp.get("/fonds/<path:code>")
@requires("view")
def fonds(code: str):
    session = db_session()
    found = _found(fonds_service.get_fonds, code)
    return render_template("register/fonds.html", fonds=found, counts=fonds_service.counts(session, found),
                           catalogues=fonds_service.catalogues(session, found),
                           agencies=[r.agency for r in agency_service.list_agencies(session)])



@bp.post("/fonds/<path:code>/edit")
@requires("manage_register")
def fonds_update(code: str):
    done = change(lambda s: fonds_service.update_fonds(
        s, actor(), code, new_code=text("code"), name=text("name"),
        agency_id=whole("agency_id", _("agency")), note=text("note")), _("Saved."))
    return redirect(url_for(".fonds", code=done.code if done else code))


@bp.post("/fonds/<path:code>/close")
@requires("manage_register")
def fonds_close(code: str):
    change(lambda s: fonds_service.close_fonds(s, actor(), code, day("closed_on", _("closing date")),
                                           text("decision")), _("The fonds is closed."))
    return redirect(url_for(".fonds", code=code))


@bp.post("/fonds/<path:code>/reopen")
@requires("manage_register")
def fonds_reopen(code: str):
    change(lambda s: fonds_service.reopen_fonds(s, actor(), code, text("reason")), _("The fonds is open again."))
    return redirect(url_for(".fonds", code=code))


@bp.post("/fonds/<path:code>/catalogues")
@requires("manage_register")
def catalogue_create(code: str):
    change(lambda s: fonds_service.add_catalogue(s, actor(), code, whole("number", _("catalogue number")),
                                             text("title")), _("Catalogue added."))
    return redirect(url_for(".fonds", code=code))


@bp.post("/fonds/<path:code>/catalogues/<int:number>")
@requires("manage_register")
def catalogue_update(code: str, number: int):
    change(lambda s: fonds_service.update_catalogue(
        s, actor(), code, number, new_number=whole("number", _("catalogue number")),
        title=text("title")), _("Saved."))
    return redirect(url_for(".fonds", code=code))


# --- search -----------------------------------------------------------------------------------------

@bp.get("/search")
@requires("view")
def search():
    query = request.args.get("q", "")
    found = finding.search(db_session(), query, regimes(), can("restricted"))
    return render_template("register/search.html", found=found, query=query)


from web import register_boxes  # noqa: F401  (the box and file routes of this blueprint)
