"""Importing locations and registers from the web: upload → preview (nothing saved) → confirm →
the import runs in a background thread while the page shows its progress."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from warehouse.importing import jobs
from warehouse.models import ImportJob
from warehouse.models.imports import IMPORT_KINDS
from warehouse.text import fold
from web import import_jobs
from web.access import actor, can, requires
from web.db import database, db_session
from web.import_jobs import STATUSES, SUFFIXES

bp = Blueprint("imports", __name__, url_prefix="/imports")
RECENT = 20
LABELS = {
    "kho": _l("stores"), "phong": _l("rooms"), "day": _l("rack rows"), "gia": _l("racks"),
    "ngan": _l("shelves"), "cong": _l("gates"), "diem": _l("checkpoints"),
    "fonds": _l("fonds"), "boxes": _l("boxes"), "files": _l("files"),
}
KIND_LABELS = {
    "locations": _l("Locations (stores, rooms, rack rows, racks, shelves)"),
    "register": _l("Register of boxes and files (mục lục hồ sơ)"),
}
RESULT_LABELS = {
    "locations": _l("new locations"), "updated": _l("locations updated"), "unchanged": _l("locations unchanged"),
    "boxes": _l("boxes in the file"), "new_boxes": _l("new boxes"), "files": _l("files imported"),
    "fonds": _l("new fonds"), "catalogues": _l("new catalogues"),
}


@bp.get("/")
@requires("import")
def start():
    recent = db_session().scalars(select(ImportJob).order_by(ImportJob.id.desc()).limit(RECENT)).all()
    return render_template("imports/start.html", kinds=IMPORT_KINDS, recent=recent, kind_labels=KIND_LABELS,
                           statuses=STATUSES)


@bp.post("/")
@requires("import")
def upload():
    kind, upload = request.form.get("kind", ""), request.files.get("file")
    name = (upload.filename or "").strip() if upload else ""
    if kind not in IMPORT_KINDS:
        abort(400, description=_("Choose what the file holds: locations or a register."))
    if not name or Path(name).suffix.lower() not in SUFFIXES:
        flash(_("Choose a CSV (UTF-8) or XLSX file."), "error")
        return redirect(url_for("imports.start")), 303
    path = import_jobs.saved_upload(upload, name)
    with database().reading() as s:
        summary = jobs.preview(s, kind, path, name)
    session = db_session()
    job = jobs.create_job(session, kind, path, name, actor(), summary)
    session.commit()
    if summary["errors"]:
        path.unlink(missing_ok=True)  # a refused file cannot be confirmed: keep only its errors
    return redirect(url_for("imports.job", job_id=job.id), 303)


def _hide_restricted(rows: list[dict]) -> list[dict]:
    """Titles of restricted files stay hidden from roles without clearance."""
    if can("restricted"):
        return rows
    regimes = {fold(r) for r in current_app.config.get("RESTRICTED_ACCESS", [])}
    return [dict(r, title=_("(restricted)")) if fold(r.get("access")) in regimes else r for r in rows]


@bp.get("/<int:job_id>")
@requires("import")
def job(job_id: int):
    shown = import_jobs.page(db_session().get(ImportJob, job_id) or abort(404))
    shown["preview"]["rows"] = _hide_restricted(shown["preview"].get("rows", []))
    return render_template("imports/job.html", **shown, labels=LABELS, kind_labels=KIND_LABELS,
                           result_labels=RESULT_LABELS)


@bp.get("/<int:job_id>/status")
@requires("import")
def status(job_id: int):
    return import_jobs.status(db_session().get(ImportJob, job_id) or abort(404))


@bp.post("/<int:job_id>/confirm")
@requires("import")
def confirm(job_id: int):
    return import_jobs.confirm(job_id, "imports.job", f"import-{job_id}")
