"""Importing locations and registers from the web: upload → preview (nothing saved) → confirm →
the import runs in a background thread while the page shows its progress."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from warehouse.errors import KhoError
from warehouse.importing import jobs
from warehouse.models import ImportJob
from warehouse.models.imports import IMPORT_KINDS
from warehouse.text import fold
from web.access import actor, can, requires
from web.db import db_session

bp = Blueprint("imports", __name__, url_prefix="/imports")
SUFFIXES = (".csv", ".xlsx", ".xlsm")
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
STATUSES = {
    "previewed": _l("previewed: ready to import"), "refused": _l("refused"), "queued": _l("waiting"),
    "running": _l("importing"), "done": _l("imported"), "failed": _l("failed"),
}


def _uploads() -> Path:
    folder = Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _database():
    return current_app.extensions["kho_db"]


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
    path = _uploads() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    upload.save(path)
    with _database().reading() as s:
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
    found = db_session().get(ImportJob, job_id) or abort(404)
    preview = json.loads(found.preview or "{}")
    preview["rows"] = _hide_restricted(preview.get("rows", []))
    done, total = jobs.progress_of(found)
    return render_template("imports/job.html", job=found, preview=preview,
                           errors=json.loads(found.errors or "[]"), result=json.loads(found.result or "{}"),
                           done=done, total=total, labels=LABELS, kind_labels=KIND_LABELS,
                           result_labels=RESULT_LABELS, statuses=STATUSES)


@bp.get("/<int:job_id>/status")
@requires("import")
def status(job_id: int):
    found = db_session().get(ImportJob, job_id) or abort(404)
    done, total = jobs.progress_of(found)
    return jsonify({"id": found.id, "status": found.status, "done": done, "total": total,
                    "errors": len(json.loads(found.errors or "[]")), "result": json.loads(found.result or "{}")})


@bp.post("/<int:job_id>/confirm")
@requires("import")
def confirm(job_id: int):
    session = db_session()
    try:
        jobs.confirm(session, job_id)
    except KhoError as e:
        session.rollback()
        flash(str(e), "error")
        return redirect(url_for("imports.job", job_id=job_id), 303)
    session.commit()
    worker = threading.Thread(target=jobs.run_job, args=(_database(), job_id, actor()),
                              name=f"import-{job_id}", daemon=True)
    worker.start()
    return redirect(url_for("imports.job", job_id=job_id), 303)
