"""Labels in the browser: find a box by fonds and box number and print its label (a PDF, or one at a
time on the thermal printer), then confirm its place by scanning; sheets for a fonds, listed boxes,
a shelf range or locations, rendered in the background while the page shows the progress."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

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
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from labels import Label, LabelError, png
from labels.output import Settings, settings_from, write
from warehouse.boxes import get_box
from warehouse.errors import KhoError
from warehouse.labelling import runs
from warehouse.labelling.selection import find_box, load, selection
from warehouse.labelling.texts import LabelText, check_fields
from warehouse.locations import get_location
from warehouse.models import Fonds, PrintRun
from web.access import actor, requires
from web.db import database, db_session
from web.words import explain

bp = Blueprint("labels", __name__, url_prefix="/labels")
SELECTION_LABELS = {"fonds": _l("every box of a fonds"), "boxes": _l("these boxes (codes)"),
                    "homed": _l("the boxes on a shelf range (home code starts with)"),
                    "locations": _l("location labels (code starts with)")}
STATUSES = {"queued": _l("waiting"), "running": _l("printing"), "done": _l("done"), "failed": _l("failed")}


def _conf() -> Settings:
    return settings_from(current_app.config)


def _why(error: Exception) -> str:
    return explain(error) if isinstance(error, KhoError) else str(error)


def _folder() -> Path:
    folder = Path(current_app.config.get("LABELS_DIR") or Path(current_app.instance_path) / "labels")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _renderer(output: str, template, path: Path | None, printer: str, rfid: bool, conf: Settings):
    """The face's renderer for a run: plain texts in, the labels/ leaf writes them."""

    def render(texts: list[LabelText], progress) -> None:
        write([Label(t.code, t.lines, t.strong, t.epc) for t in texts], template, output, path=path,
              printer=printer, dpi=conf.dpi, font=conf.font, rfid=rfid, progress=progress)

    return render


def _start(sel, output: str, template_name: str, to_printer: bool, background: bool) -> int:
    """Record a run and run it (in a thread for sheets); its id. Kho's and the renderers' errors rise."""
    conf = _conf()
    template = conf.get(template_name or None, conf.template if output == "pdf" and not to_printer else conf.thermal)
    fields = check_fields(template.fields)
    printer = conf.printer if to_printer else ""
    if to_printer and not printer:
        raise LabelError(_("No thermal printer is set: LABEL_PRINTER in config.toml."))
    rfid = to_printer and conf.rfid and sel.of_boxes
    path = None if printer else _folder() / f"{uuid.uuid4().hex}.{output}"
    session = db_session()
    run = runs.create_run(session, actor(), sel, output, template.name, rfid,
                          destination=f"printer {printer}" if printer else f"{sel.value[:60]}.{output}",
                          stored_path=str(path or ""))
    session.commit()
    args = (database(), run.id, actor(), _renderer(output, template, path, printer, rfid, conf), fields,
            current_app.config.get("GIAI_COMPANY_PREFIX", ""))
    if background:
        threading.Thread(target=_quietly, args=args, name=f"labels-{run.id}", daemon=True).start()
    else:
        runs.execute(*args)
    return run.id


def _quietly(*args) -> None:
    try:
        runs.execute(*args)
    except Exception:  # noqa: BLE001, S110 — recorded on the run by execute; the page shows it
        pass


@bp.get("/")
@requires("labels")
def index():
    s = db_session()
    conf = _conf()
    fonds = s.execute(select(Fonds.code, Fonds.name).order_by(Fonds.code)).all()
    return render_template("labels/index.html", fonds=fonds, recent=runs.recent_runs(s), conf=conf,
                           selections=SELECTION_LABELS, statuses=STATUSES, form=request.args)


@bp.get("/box")
@requires("labels")
def box():
    """A box found by its code, or by fonds and box number: its label, how to print it, what next."""
    s = db_session()
    try:
        if request.args.get("code"):
            found = get_box(s, request.args["code"])
        else:
            found = find_box(s, request.args.get("fonds", ""), request.args.get("number", type=int))
        (_, text), = load(s, selection("boxes", found.code), _conf().get(None).fields)
    except (KhoError, LabelError) as e:
        flash(_why(e), "error")
        return redirect(url_for("labels.index", **request.args), 303)
    prints = runs.box_print_runs(s, found.id)
    return render_template("labels/box.html", box=found, text=text, prints=prints, conf=_conf())


@bp.get("/preview.png")
@requires("labels")
def preview():
    """A label as an image, to see before printing (a box or a location, by code)."""
    s, code = db_session(), request.args.get("code", "")
    conf = _conf()
    try:
        template = conf.get(request.args.get("template") or None)
        try:
            sel = selection("boxes", get_box(s, code).code)
        except KhoError:
            sel = selection("locations", get_location(s, code).code)
        texts = [t for _, t in load(s, sel, check_fields(template.fields)) if t.code == sel.value]
        image = png.render(Label(texts[0].code, texts[0].lines, texts[0].strong), template, dpi=200)
    except (KhoError, LabelError) as e:
        abort(404, description=_why(e))
    return Response(image, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.post("/print")
@requires("labels")
def print_one():
    """One box's label: to the thermal printer (ZPL), or a PDF of the chosen template."""
    code, to_printer = request.form.get("code", ""), request.form.get("to") == "printer"
    try:
        sel = selection("boxes", get_box(db_session(), code).code)
        run_id = _start(sel, "zpl" if to_printer else "pdf", request.form.get("template", ""), to_printer, False)
    except (KhoError, LabelError) as e:
        db_session().rollback()
        flash(_why(e), "error")
        return redirect(url_for("labels.box", code=code), 303)
    if to_printer:
        flash(_("Sent to the printer. Stick the label on the box, then scan the shelf label and the box "
                "label on the Scan page to confirm where it stands."), "ok")
        return redirect(url_for("labels.box", code=sel.value), 303)
    return redirect(url_for("labels.run", run_id=run_id), 303)


@bp.post("/runs")
@requires("labels")
def start():
    """Sheets (or ZPL) for a fonds, listed boxes, a shelf range or locations, rendered in the background."""
    form = request.form
    output, to_printer = form.get("output", "pdf"), form.get("output") == "printer"
    try:
        kinds = form.getlist("kinds") if form.get("selection") == "locations" else ()
        sel = selection(form.get("selection", ""), form.get("value", ""), kinds)
        run_id = _start(sel, "zpl" if output in ("zpl", "printer") else "pdf", form.get("template", ""),
                        to_printer, True)
    except (KhoError, LabelError) as e:
        db_session().rollback()
        flash(_why(e), "error")
        return redirect(url_for("labels.index", **{k: v for k, v in form.items() if k != "csrf_token"}), 303)
    return redirect(url_for("labels.run", run_id=run_id), 303)


def _run(run_id: int) -> PrintRun:
    try:
        return runs.get_run(db_session(), run_id)
    except KhoError as e:
        abort(404, description=explain(e))


@bp.get("/runs/<int:run_id>")
@requires("labels")
def run(run_id: int):
    found = _run(run_id)
    done, total = runs.progress_of(found)
    return render_template("labels/run.html", run=found, done=done, total=total, statuses=STATUSES,
                           selections=SELECTION_LABELS)


@bp.get("/runs/<int:run_id>/status")
@requires("labels")
def status(run_id: int):
    found = _run(run_id)
    done, total = runs.progress_of(found)
    return jsonify({"id": found.id, "status": found.status, "done": done, "total": total, "error": found.error})


@bp.get("/runs/<int:run_id>/file")
@requires("labels")
def download(run_id: int):
    found = _run(run_id)
    if found.status != "done" or not found.stored_path or not Path(found.stored_path).exists():
        abort(404, description=_("This print run has no file to download."))
    suffix = Path(found.stored_path).suffix
    mimetype = "application/pdf" if suffix == ".pdf" else "text/plain"
    return send_file(found.stored_path, mimetype=mimetype, as_attachment=True,
                     download_name=f"labels-{found.id}{suffix}")

