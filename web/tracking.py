"""Tracking in the browser: where boxes are, move orders, transfers, check-outs, disposal, search and
each box's history (the pages under /tracking)."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from warehouse.boxes import get_box
from warehouse.errors import N_, KhoError, refused
from warehouse.fonds import list_fonds
from warehouse.models import Box, BoxStatus, Location, Stocktake
from warehouse.stocktake.export import when as format_when
from warehouse.tracking import checkouts, disposal, documents, history, moves, places, search, transfers
from warehouse.tracking.state import STATE_WORDS
from web.access import actor, can, requires
from web.db import db_session
from web.editing import change, day, regimes, text
from web.words import explain

bp = Blueprint("tracking", __name__, url_prefix="/tracking")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_WORDS = {"reading_room": N_("reading room"), "office": N_("office")}
DETAIL_WORDS = {"from": N_("From"), "to": N_("To"), "reason": N_("Reason"), "approved_by": N_("Approved by"),
                "seq": N_("Seq"), "read": N_("Read by"), "code": N_("Code as read"), "location": N_("Location"),
                "stocktake": N_("Stock-take"), "context": N_("Context"), "outcome": N_("Outcome"),
                "expected": N_("Expected place"), "read_at": N_("Read at"), "file": N_("File"), "title": N_("Title"),
                "direction": N_("Direction"), "number": N_("Decision number"), "decided_on": N_("Decision date"),
                "body": N_("Approving body"), "files": N_("Files"), "box_destroyed": N_("Box destroyed"),
                "borrower": N_("Borrower"), "due_on": N_("Due back"), "place": N_("Place")}
MOVE_WORDS = {"open": N_("open"), "done": N_("done"), "cancelled": N_("cancelled")}
EVENT_WORDS = {"sighting": N_("Seen"), "stocktake.result": N_("Stock-take result"),
               "stocktake.applied": N_("Place from a stock-take applied"), "rebox": N_("Files re-boxed"),
               "move.ordered": N_("Move ordered"), "move.done": N_("Moved"), "move.cancelled": N_("Move cancelled"),
               "transfer.listed": N_("Listed on a transfer"), "transfer.loaded": N_("Loaded (dispatch scan)"),
               "transfer.received": N_("Received"), "transfer.unlisted": N_("Received, not listed"),
               "transfer.missing": N_("Missing on receipt"), "checkout": N_("Checked out"),
               "checkin": N_("Checked in"), "disposal": N_("Disposal"), "found": N_("Found again"),
               "box.create": N_("Registered"), "box.update": N_("Register entry changed"),
               "alert": N_("Alert raised"), "alert.acknowledged": N_("Alert acknowledged"),
               "alert.resolved": N_("Alert resolved")}


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))


@bp.context_processor
def _helpers() -> dict:
    return {"when": lambda v: format_when(v, _zone()), "state_word": _state_word,
            "box_word": lambda s: gettext(documents.STATE_WORDS.get(s, s)),
            "transfer_word": lambda s: gettext(documents.TRANSFER_WORDS.get(s, s)),
            "kind_word": lambda k: gettext(KIND_WORDS.get(k, k)),
            "event_word": lambda k: gettext(EVENT_WORDS.get(k, k)),
            "move_word": lambda k: gettext(MOVE_WORDS.get(k, k)),
            "detail_word": lambda k: gettext(DETAIL_WORDS[k]) if k in DETAIL_WORDS else k, "day": lambda d: d.strftime("%d/%m/%Y") if d else ""}


def _state_word(state: str | None) -> str:
    return gettext(STATE_WORDS.get(state or "", state or ""))


def codes() -> list[str]:
    """Box codes from the form's `codes` (one a line, or separated by spaces or commas)."""
    return [c for c in re.split(r"[\s,;]+", request.form.get("codes", "")) if c]


def _found(lookup):
    try:
        return lookup(db_session())
    except KhoError as error:
        abort(404, description=explain(error))


def _again(endpoint: str):
    """Back to the page of a refused form, its fields filled in as they were sent."""
    return redirect(url_for(endpoint, **{k: v for k, v in request.form.items() if k != "csrf_token"}))


def _act(acts: dict, action: str, back: str):
    """Run the named action on a move order or transfer (404 for an unknown one), then back to its page."""
    if action not in acts:
        abort(404)
    change(acts[action], _("Saved."))
    return redirect(back)


# --- overview and a box ---------------------------------------------------------------------------------

@bp.get("/")
@requires("view")
def index():
    s = db_session()
    states = dict(s.execute(select(BoxStatus.state, func.count()).where(BoxStatus.state.is_not(None))
                            .group_by(BoxStatus.state)).all())
    closed = s.scalars(select(Stocktake).where(Stocktake.state == "closed").order_by(Stocktake.id.desc())
                       .limit(10)).all()
    return render_template("tracking/index.html", states=states, orders=moves.listing(s, "open"),
                           transfers=[t for t in transfers.listing(s) if t["state"] in transfers.OPEN],
                           lent=checkouts.listing(s, open_only=True), stocktakes=closed)


@bp.get("/box")
@requires("view")
def find_box():
    """The box form of the overview: ?code=… (a box code or EPC)."""
    return redirect(url_for(".box", code=request.args.get("code", "").strip() or "-"))


@bp.get("/boxes/<path:code>")
@requires("view")
def box(code: str):
    s = db_session()
    found = _found(lambda s: get_box(s, code))
    if found.code != code:
        return redirect(url_for(".box", code=found.code))
    return render_template("tracking/box.html", box=found, where=places.where_is(s, found.id),
                           doc=places.box_doc(s, Box.id == found.id),
                           timeline=history.box_timeline(s, found, regimes(), can("restricted")))


@bp.post("/stocktakes/<int:stocktake_id>/apply")
@requires("stocktake")
def apply_stocktake(stocktake_id: int):
    change(lambda s: places.apply_stocktake(s, stocktake_id, actor()),
           _("The places stock-take %(id)s found are now the boxes' last-known places.", id=stocktake_id))
    return redirect(request.referrer or url_for(".index"))


# --- move orders ------------------------------------------------------------------------------------------

@bp.get("/moves")
@requires("view")
def move_list():
    s = db_session()
    wanted = request.args.get("boxes", type=int)
    within = request.args.get("within", "").strip()
    suggested, problem = [], ""
    if wanted:
        try:
            suggested = moves.suggest_shelves(s, wanted, within or None)
        except KhoError as error:
            problem = explain(error)
    return render_template("tracking/moves.html", orders=moves.listing(s), suggested=suggested, wanted=wanted,
                           within=within, problem=problem, form=request.args)


@bp.post("/moves")
@requires("move")
def move_create():
    made = change(lambda s: moves.order_move(s, actor(), codes(), text("to"), text("reason"), text("approved_by")))
    if made is None:
        return _again(".move_list")
    flash(_("Move order %(id)s: scan each box at %(shelf)s to move it.", id=made["id"], shelf=made["to"]), "ok")
    return redirect(url_for(".move_show", order_id=made["id"]))


@bp.get("/moves/<int:order_id>")
@requires("view")
def move_show(order_id: int):
    return render_template("tracking/move.html", order=_found(lambda s: moves.order_doc(s, order_id)))


@bp.post("/moves/<int:order_id>/<action>")
@requires("move")
def move_act(order_id: int, action: str):
    acts = {"done": lambda s: moves.complete_by_hand(s, actor(), order_id, codes()),
            "cancel": lambda s: moves.cancel(s, actor(), order_id, text("reason"))}
    return _act(acts, action, url_for(".move_show", order_id=order_id))


# --- transfers --------------------------------------------------------------------------------------------

@bp.get("/transfers")
@requires("view")
def transfer_list():
    s = db_session()
    stores = s.scalars(select(Location).where(Location.kind == "kho")
                       .order_by(Location.code)).all()
    return render_template("tracking/transfers.html", rows=transfers.listing(s), stores=stores, form=request.args)


def _local(name: str, label: str) -> datetime | None:
    """A datetime-local field, read in the store's time zone."""
    raw = text(name)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=_zone())
    except ValueError:
        raise refused(N_("%(field)s %(value)r is not a date and time"), field=label, value=raw) from None


@bp.post("/transfers")
@requires("transfer")
def transfer_create():
    made = change(lambda s: transfers.create_transfer(
        s, actor(), codes(), text("origin"), destination=text("destination"), recipient=text("recipient"),
        vehicle=text("vehicle"), seals=text("seals"), people=text("people"),
        expected_at=_local("expected_at", _("expected arrival")), note=text("note")))
    if made is None:
        return _again(".transfer_list")
    return redirect(url_for(".transfer_show", transfer_id=made["id"]))


@bp.get("/transfers/<int:transfer_id>")
@requires("view")
def transfer_show(transfer_id: int):
    return render_template("tracking/transfer.html", t=_found(lambda s: transfers.transfer_doc(s, transfer_id)))


@bp.post("/transfers/<int:transfer_id>/<action>")
@requires("transfer")
def transfer_act(transfer_id: int, action: str):
    acts = {"load": lambda s: transfers.load_by_hand(s, actor(), transfer_id, codes()),
            "dispatch": lambda s: transfers.dispatch(s, actor(), transfer_id, load_all=bool(text("all")),
                                                     seals=text("seals") or None),
            "receive": lambda s: transfers.receive_by_hand(s, actor(), transfer_id, codes()),
            "missing": lambda s: transfers.declare_missing(s, actor(), transfer_id, codes()),
            "cancel": lambda s: transfers.cancel(s, actor(), transfer_id, text("reason"))}
    return _act(acts, action, url_for(".transfer_show", transfer_id=transfer_id))


@bp.get("/transfers/<int:transfer_id>.pdf")
@requires("view")
def transfer_pdf(transfer_id: int):
    doc = _found(lambda s: transfers.transfer_doc(s, transfer_id))
    lang = request.args.get("lang") if request.args.get("lang") in ("vi", "en") else "vi"
    with force_locale(lang):
        body = documents.pdf(doc, gettext, _zone())
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="chuyen-hop-{transfer_id}.pdf"'})


# --- check-outs -------------------------------------------------------------------------------------------

@bp.get("/checkouts")
@requires("view")
def checkout_list():
    return render_template("tracking/checkouts.html", rows=checkouts.listing(db_session()), form=request.args,
                           kinds=KIND_WORDS)


@bp.post("/checkouts")
@requires("checkout")
def checkout_create():
    made = change(lambda s: checkouts.check_out(s, actor(), codes(), kind=text("kind"), borrower=text("borrower"),
                                                due_on=day("due_on", _("due date")), place=text("place"),
                                                purpose=text("purpose")))
    if made is None:
        return _again(".checkout_list")
    return redirect(url_for(".checkout_show", checkout_id=made["id"]))


@bp.get("/checkouts/<int:checkout_id>")
@requires("view")
def checkout_show(checkout_id: int):
    return render_template("tracking/checkout.html", c=_found(lambda s: checkouts.checkout_doc(s, checkout_id)))


@bp.post("/checkouts/<int:checkout_id>/in")
@requires("checkout")
def checkout_in(checkout_id: int):
    change(lambda s: checkouts.check_in(s, actor(), checkout_id, codes()), _("Checked in."))
    return redirect(url_for(".checkout_show", checkout_id=checkout_id))


# --- disposal ---------------------------------------------------------------------------------------------

def _on() -> date:
    try:
        return date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        return date.today()


@bp.get("/disposal")
@requires("view")
def disposal_page():
    s, fonds = db_session(), request.args.get("fonds", "").strip()
    try:
        found, problem = disposal.candidates(s, _on(), regimes(), can("restricted"), fonds), ""
    except KhoError as error:
        found, problem = {"on": _on(), "files": [], "boxes": []}, explain(error)
    return render_template("tracking/disposal.html", found=found, fonds=fonds, problem=problem,
                           decisions=disposal.listing(s), fonds_codes=[r.fonds.code for r in list_fonds(s)])


@bp.post("/disposal")
@requires("dispose")
def disposal_create():
    ids = [int(v) for v in request.form.getlist("file") if v.isdigit()]
    made = change(lambda s: disposal.record_disposal(
        s, actor(), number=text("number"), decided_on=day("decided_on", _("decision date")), body=text("body"),
        file_ids=ids, box_codes=request.form.getlist("box"), note=text("note")))
    if made is None:
        return redirect(url_for(".disposal_page"))
    return redirect(url_for(".disposal_show", disposal_id=made["id"]))


@bp.get("/disposal/<int:disposal_id>")
@requires("view")
def disposal_show(disposal_id: int):
    doc = _found(lambda s: disposal.disposal_doc(s, disposal_id, regimes(), can("restricted")))
    return render_template("tracking/decision.html", d=doc)


# --- search -----------------------------------------------------------------------------------------------

def _filters() -> search.Filters:
    return search.Filters(*(request.args.get(k, "") for k in ("q", "fonds", "state", "place")))


def _search(limit: int):
    s, filters = db_session(), _filters()
    with_files = request.args.get("files") == "1"
    boxes = search.search_boxes(s, filters, limit)
    files = search.search_files(s, filters, regimes(), can("restricted"), limit) if with_files else []
    return boxes, files


@bp.get("/search")
@requires("view")
def search_page():
    boxes, files, problem = [], [], ""
    if any(request.args.get(k) for k in ("q", "fonds", "state", "place")):
        try:
            boxes, files = _search(whole_arg("limit", 500))
        except KhoError as error:
            problem = explain(error)
    return render_template("tracking/search.html", boxes=boxes, files=files, problem=problem, form=request.args,
                           states=search.FILTER_STATES, fonds_codes=[r.fonds.code for r in list_fonds(db_session())])


def whole_arg(name: str, default: int) -> int:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else default


@bp.get("/search.xlsx")
@requires("view")
def search_xlsx():
    try:
        boxes, files = _search(100_000)
    except KhoError as error:
        abort(400, description=explain(error))
    body = search.workbook(boxes, files, gettext, _state_word, _zone())
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": 'attachment; filename="tim-hop.xlsx"'})

