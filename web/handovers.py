"""Handovers in the browser: the lists, importing one (upload → preview, nothing saved → confirm → the
import runs with a progress bar, through the import jobs), reconciling it against a stock-take or the
last-known places (page with a chart, JSON, XLSX), marking it checked, and the official mục lục hồ sơ
of a fonds (XLSX, PDF; for readers cleared for restricted titles)."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, gettext
from flask_babel import gettext as _
from sqlalchemy import select

from warehouse import audit
from warehouse.boxes import is_restricted
from warehouse.errors import ImportRefused, KhoError, NotFound
from warehouse.handover import lists, official, report, states
from warehouse.handover.reconcile import get_handover, reconcile_list
from warehouse.importing import jobs
from warehouse.importing.periods import parse_date
from warehouse.models import Agency, Fonds, ImportJob, Stocktake
from warehouse.tracking.state import STATE_WORDS
from web import import_jobs
from web.access import actor, can, requires
from web.db import database, db_session
from web.editing import page_number, regimes
from web.words import explain

bp = Blueprint("handovers", __name__, url_prefix="/handovers")
ROWS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = ("fonds", "giver", "receiver", "date", "giver_person", "receiver_person", "note")


def _download(body: bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _handover(handover_id: int):
    try:
        return get_handover(db_session(), handover_id)
    except KhoError as e:
        abort(404, description=explain(e))


@bp.get("/")
@requires("view")
def index():
    return render_template("handovers/index.html", handovers=states.listing(db_session()))


@bp.get("/new")
@requires("handover")
def new():
    s = db_session()
    return render_template("handovers/new.html", form=request.args,
                           fonds=s.scalars(select(Fonds).order_by(Fonds.code)).all(),
                           agencies=s.scalars(select(Agency.name).order_by(Agency.name_key)).all())


def _handing(form) -> lists.Handing:
    handed_on = parse_date(form.get("date", "").strip() or None)
    return lists.Handing.of(form.get("fonds", ""), form.get("giver", ""), form.get("receiver", ""), handed_on,
                            form.get("giver_person", ""), form.get("receiver_person", ""), form.get("note", ""))


@bp.post("/new")
@requires("handover")
def upload():
    form, sent = request.form, request.files.get("file")
    name = (sent.filename or "").strip() if sent else ""
    again = redirect(url_for("handovers.new", **{k: form.get(k, "") for k in FIELDS}), 303)
    if not name or Path(name).suffix.lower() not in import_jobs.SUFFIXES:
        flash(_("Choose a CSV (UTF-8) or XLSX file."), "error")
        return again
    try:
        handing = _handing(form)
    except ValueError as e:
        flash(_("Refused, nothing was changed: %(reason)s", reason=f"{form.get('date')}: {e}"), "error")
        return again
    path = import_jobs.saved_upload(sent, name)
    try:
        with database().reading() as s:
            summary = lists.preview_list(s, path, handing, filename=name)
    except ImportRefused as e:  # the file could not be read at all
        summary = {"kind": "handover", "filename": name, "errors": e.errors, "warnings": [], "total": 0,
                   "new": {}, "existing": {}, "rows": [], "options": handing.options()}
    except KhoError as e:  # the handover's facts: unknown fonds, bodies missing or the same
        path.unlink(missing_ok=True)
        flash(_("Refused, nothing was changed: %(reason)s", reason=explain(e)), "error")
        return again
    session = db_session()
    job = jobs.create_job(session, "handover", path, name, actor(), summary)
    session.commit()
    if summary["errors"]:
        path.unlink(missing_ok=True)
    return redirect(url_for("handovers.job", job_id=job.id), 303)


def _job(job_id: int) -> ImportJob:
    found = db_session().get(ImportJob, job_id)
    if found is None or found.kind != "handover":
        abort(404)
    return found


@bp.get("/imports/<int:job_id>")
@requires("handover")
def job(job_id: int):
    shown = import_jobs.page(_job(job_id))
    if not can("restricted"):
        shown["preview"]["rows"] = [dict(r, title=None) if is_restricted(r.get("access"), regimes()) else r
                                    for r in shown["preview"].get("rows", [])]
    return render_template("handovers/job.html", **shown)


@bp.get("/imports/<int:job_id>/status")
@requires("handover")
def job_status(job_id: int):
    return import_jobs.status(_job(job_id))


@bp.post("/imports/<int:job_id>/confirm")
@requires("handover")
def confirm(job_id: int):
    _job(job_id)
    return import_jobs.confirm(job_id, "handovers.job", f"handover-{job_id}")


def _closed_stocktakes() -> list[Stocktake]:
    query = select(Stocktake).where(Stocktake.state == "closed").order_by(Stocktake.id.desc())
    return list(db_session().scalars(query))


@bp.get("/<int:handover_id>")
@requires("view")
def show(handover_id: int):
    found = _handover(handover_id)
    page = page_number()
    rows, total = states.rows_page(db_session(), found.id, page, ROWS_PER_PAGE, regimes(), can("restricted"))
    return render_template("handovers/show.html", h=found, rows=rows, page=page,
                           pages=max(1, -(-total // ROWS_PER_PAGE)), total=total, stocktakes=_closed_stocktakes())


def _stocktake_arg() -> int | None:
    raw = request.values.get("stocktake", "").strip()
    if raw and not raw.isdigit():
        abort(400, description="stocktake: a stock-take number")
    return int(raw) if raw else None


def _reconciled(handover_id: int) -> dict:
    try:
        return reconcile_list(db_session(), handover_id, _stocktake_arg())
    except KhoError as e:
        abort(404 if isinstance(e, NotFound) else 409, description=explain(e))


@bp.get("/<int:handover_id>/reconcile")
@requires("handover")
def reconcile(handover_id: int):
    found, doc = _handover(handover_id), _reconciled(handover_id)
    return render_template("handovers/reconcile.html", h=found, doc=doc, stocktakes=_closed_stocktakes(),
                           away={a["box"]: a["state"] for a in doc.get("away", [])},
                           state_word=lambda state: _(STATE_WORDS.get(state, state)))


@bp.get("/<int:handover_id>/reconcile.json")
@requires("handover")
def reconcile_json(handover_id: int):
    _handover(handover_id)
    return jsonify(_reconciled(handover_id))


@bp.get("/<int:handover_id>/reconcile.xlsx")
@requires("handover")
def reconcile_xlsx(handover_id: int):
    _handover(handover_id)
    doc = _reconciled(handover_id)
    lang = request.args.get("lang") if request.args.get("lang") in ("vi", "en") else "vi"
    with force_locale(lang):
        body = report.xlsx(states.facts(db_session(), handover_id), doc, gettext)
    return _download(body, XLSX, f"doi-chieu-{handover_id}.xlsx")


@bp.post("/<int:handover_id>/check")
@requires("handover")
def check(handover_id: int):
    s, stocktake = db_session(), _stocktake_arg()
    try:
        doc = states.mark_checked(s, handover_id, stocktake, actor())
        s.commit()
        flash(_("Handover list %(id)s marked as checked.", id=doc["id"]), "ok")
    except KhoError as e:
        s.rollback()
        flash(_("Refused, nothing was changed: %(reason)s", reason=explain(e)), "error")
    return redirect(url_for("handovers.reconcile", handover_id=handover_id, stocktake=stocktake or ""), 303)


@bp.get("/official")
@requires("restricted")
def official_page():
    fonds = db_session().scalars(select(Fonds).order_by(Fonds.code)).all()
    return render_template("handovers/official.html", fonds=fonds, parts=official.PARTS, chosen=request.args)


@bp.get("/official.<kind>")
@requires("restricted")
def official_file(kind: str):
    if kind not in ("xlsx", "pdf"):
        abort(404)
    code, part = request.args.get("fonds", ""), request.args.get("part", "both")
    try:
        doc = official.load(db_session(), code, part)
    except KhoError as e:
        abort(404 if isinstance(e, NotFound) else 400, description=explain(e))
    body = official.xlsx(doc) if kind == "xlsx" else official.pdf(doc)
    with database().transaction() as s:  # who took the list with its restricted titles is kept
        audit.record(s, actor(), "handover.official", f"fonds:{doc.fonds}", part=part, files=doc.total,
                     format=kind)
    return _download(body, XLSX if kind == "xlsx" else "application/pdf", f"muc-luc-{doc.fonds}-{part}.{kind}")
