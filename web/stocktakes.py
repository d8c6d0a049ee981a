"""Stock-takes in the browser: list, open, follow live, order recounts, close, result, exports, compare."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
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

from warehouse import locations
from warehouse.errors import KhoError
from warehouse.models import Fonds, Stocktake
from warehouse.stocktake import apart, compare, export, progress, report, sessions
from web.access import actor, can, requires
from web.db import db_session
from web.words import explain, kind_label

bp = Blueprint("stocktakes", __name__, url_prefix="/stocktakes")
SCOPE_KINDS = ("kho", "phong", "day", "gia", "ngan")
PAGE_LINES = 500  # found boxes shown on the result page (the exports list them all)


@bp.context_processor
def _helpers() -> dict:
    return {"apart_word": lambda reason: gettext(apart.word(reason))}


def _zone():
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))


def _when(value) -> str:
    return export.when(value, _zone())


def _find(stocktake_id: int) -> Stocktake:
    try:
        return sessions.find(db_session(), stocktake_id)
    except KhoError as e:
        abort(404, description=explain(e))


def _blind_for_me(st: Stocktake) -> bool:
    """A blind stock-take hides what is expected from whoever does not run stock-takes."""
    return st.blind and not can("stocktake")


@bp.get("/")
@requires("view")
def index():
    s = db_session()
    all_takes = sessions.listing(s)
    return render_template("stocktakes/index.html", takes=all_takes, when=_when,
                           closed=[t for t in all_takes if not t.is_open])


@bp.get("/new")
@requires("stocktake")
def new():
    s = db_session()
    places = [p for p in locations.tree(s) if p.kind in SCOPE_KINDS]
    fonds = s.scalars(select(Fonds).order_by(Fonds.code)).all()
    return render_template("stocktakes/new.html", places=places, fonds=fonds, kind_label=kind_label,
                           form=request.args)


@bp.post("/")
@requires("stocktake")
def open_():
    s, form = db_session(), request.form
    try:
        doc = sessions.open_stocktake(s, actor=actor(), scope=form.get("scope"), fonds=form.get("fonds"),
                                      blind=form.get("blind") == "1", note=form.get("note", ""))
        s.commit()
    except KhoError as e:
        s.rollback()
        flash(_("Refused, nothing was changed: %(reason)s", reason=explain(e)), "error")
        return redirect(url_for("stocktakes.new", scope=form.get("scope"), fonds=form.get("fonds")))
    flash(_("Stock-take %(id)s opened: %(n)s box(es) expected.", id=doc["id"], n=doc["expected"]), "ok")
    return redirect(url_for("stocktakes.show", stocktake_id=doc["id"]))


@bp.get("/<int:stocktake_id>")
@requires("view")
def show(stocktake_id: int):
    s = db_session()
    st = _find(stocktake_id)
    summary = report.summary(s, st)
    if st.is_open:
        if _blind_for_me(st):
            return redirect(url_for("stocktakes.count", stocktake_id=st.id))
        doc = progress.progress(s, st)
        return render_template("stocktakes/session.html", st=st, summary=summary, doc=doc,
                               lines=progress.rack_map(doc["shelves"]), when=_when)
    lines = report.lines(s, st.id)
    others = [t for t in sessions.listing(s) if t.id != st.id and not t.is_open
              and (t.scope_id, t.fonds_id) == (st.scope_id, st.fonds_id)]
    return render_template("stocktakes/result.html", st=st, summary=summary, lines=lines, when=_when,
                           page_lines=PAGE_LINES, others=others, late=report.reads_after_close(s, st),
                           box_page="register.box" in current_app.view_functions)


@bp.get("/<int:stocktake_id>/progress.json")
@requires("view")
def progress_json(stocktake_id: int):
    st = _find(stocktake_id)
    if _blind_for_me(st):
        abort(403, description="a blind stock-take shows counters what they scanned only")
    return jsonify(progress.progress(db_session(), st))


@bp.get("/<int:stocktake_id>/count")
@requires("scan")
def count(stocktake_id: int):
    st = _find(stocktake_id)
    device = request.args.get("device", "").strip() or None
    return render_template("stocktakes/count.html", st=st, device=device,
                           doc=progress.scanned(db_session(), st, device), when=_when)


@bp.get("/<int:stocktake_id>/scanned.json")
@requires("scan")
def scanned_json(stocktake_id: int):
    device = request.args.get("device", "").strip() or None
    return jsonify(progress.scanned(db_session(), _find(stocktake_id), device))


def _change(stocktake_id: int, change, done):
    """Run one change in the request's transaction; flash what was done or why it was refused."""
    s = db_session()
    try:
        result = change(s)
        s.commit()
        flash(done(result), "ok")
    except KhoError as e:
        s.rollback()
        flash(_("Refused, nothing was changed: %(reason)s", reason=explain(e)), "error")
    return redirect(url_for("stocktakes.show", stocktake_id=stocktake_id))


@bp.post("/<int:stocktake_id>/recount")
@requires("stocktake")
def recount(stocktake_id: int):
    shelf = request.form.get("shelf", "")
    return _change(stocktake_id, lambda s: sessions.order_recount(s, stocktake_id, shelf, actor()),
                   lambda r: _("Recount of shelf %(shelf)s ordered: %(n)s earlier read(s) set aside.",
                               shelf=r["shelf"], n=r["set_aside"]))


@bp.post("/<int:stocktake_id>/close")
@requires("stocktake")
def close(stocktake_id: int):
    return _change(stocktake_id, lambda s: sessions.close(s, stocktake_id, actor()),
                   lambda r: _("Stock-take %(id)s closed: %(missing)s missing, %(misplaced)s misplaced.",
                               id=r["id"], missing=len(r["missing"]), misplaced=len(r["misplaced"])))


@bp.get("/<int:stocktake_id>/result.json")
@requires("view")
def result_json(stocktake_id: int):
    st = _find(stocktake_id)
    if _blind_for_me(st) and st.is_open:
        abort(403, description="a blind stock-take shows counters what they scanned only")
    return jsonify(sessions.result(db_session(), st.id))


@bp.get("/<int:stocktake_id>/export.<kind>")
@requires("view")
def export_file(stocktake_id: int, kind: str):
    if kind not in ("xlsx", "pdf"):
        abort(404)
    s, st = db_session(), _find(stocktake_id)
    if st.is_open:
        abort(409, description="close the stock-take before exporting its result")
    lang = request.args.get("lang", "vi") if request.args.get("lang") in ("vi", "en") else "vi"
    with force_locale(lang):
        render = export.xlsx if kind == "xlsx" else export.pdf
        body = render(report.summary(s, st), report.lines(s, st.id), gettext, _zone())
    kinds = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "pdf": "application/pdf"}
    name = f"kiem-ke-{st.id}.{kind}"
    return Response(body, mimetype=kinds[kind], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/compare")
@requires("view")
def compare_page():
    s = db_session()
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    doc, error = None, None
    if a and b:
        try:
            doc = compare.compare(s, a, b)
        except KhoError as e:
            error = explain(e)
    closed = [t for t in sessions.listing(s) if not t.is_open]
    return render_template("stocktakes/compare.html", doc=doc, error=error, closed=closed, a=a, b=b)


def scope_label(st: Stocktake) -> str:
    """How lists name what a stock-take counts."""
    parts = [st.scope.code if st.scope else "", st.fonds.code if st.fonds else ""]
    return " · ".join(p for p in parts if p)


@bp.app_template_global("stocktake_scope")
def _scope_global(st: Stocktake) -> str:
    return scope_label(st)

