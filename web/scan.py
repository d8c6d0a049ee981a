"""The handheld scan page: keyboard-wedge reads, instant feedback, a queue that survives the network.

The browser keeps its reads (device id, seq) in localStorage and posts them here in batches; this
face checks that the device is the logged-in user's own browser device and hands the batch to the
same ingest service as the API and the CLI. A browser device is named WEB-… and belongs to the user
who first sent reads with it: another user's reads under that name are refused.

A counter may count for an open stock-take: the page offers them (never what they expect) and each
read carries the choice made when it was queued in its context; a read naming a stock-take that does
not exist is refused (by the ingest service, as on every way in), one naming a closed one is kept and
not counted."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from warehouse import accounts
from warehouse.errors import N_, KhoError, not_found
from warehouse.models import Device, Stocktake
from warehouse.scans.feedback import Feedback, Known, decide, know
from warehouse.scans.ingest import ScanRules, StoredMeanwhile, ingest
from warehouse.stocktake import counting
from web.access import requires
from web.db import db_session
from web.words import explain, kind_label

bp = Blueprint("scan", __name__)
BROWSER_DEVICE = re.compile(r"^WEB-[A-Z0-9]{8,40}$")
MOST_EVENTS = 1000


def _fail(status: int, reason: str, **extra):
    response = jsonify({"error": reason, **extra})
    response.status_code = status
    return response


@bp.get("/scan")
@requires("scan")
def page():
    """The scan page; ?stocktake=N chooses that stock-take when it is open, else says why not."""
    session = db_session()
    preselect, notice = _preselect(session, request.args.get("stocktake"))
    return render_template("scan/index.html", words=_words(), stocktakes=counting.open_for_counting(session),
                           preselect=preselect, notice=notice)


def _preselect(session, asked: str | None) -> tuple[str, str | None]:
    """("" when nothing was asked, the id when it is open, "none" when refused) and why it was refused."""
    if asked is None:
        return "", None
    asked = asked.strip()
    try:
        if not asked.isdigit():
            raise not_found(N_("no stock-take %(id)s"), id=asked)
        return str(counting.chosen(session, int(asked))["id"]), None
    except KhoError as e:
        return "none", _("Cannot count for it: %(reason)s. No stock-take is chosen: reads are day-to-day reads.",
                         reason=explain(e))


def _words() -> dict:
    """The browser's own messages (offline, queue), in the reader's language."""
    return {"queued": _("Queued: sent when the network is back"),
            "waiting": _("Waiting to send: %(n)s"), "online": _("Connected"),
            "offline": _("No connection: reads are kept on this device"),
            "sending": _("Sending…"), "login": _("Session ended: log in again to send the reads"),
            "refused": _("Refused by the server"), "manual": _("typed by hand"),
            "no_place": _("No place: scan a shelf label"), "checking": _("Checking…"),
            "coarse": _("Too coarse to place a box: scan a rack or shelf label"),
            "sound_on": _("Sound on"), "sound_off": _("Sound off"),
            "stocktake_read": _("stock-take #%(id)s"),
            "stocktake_gone": _("Stock-take #%(id)s is no longer open for counting: no stock-take is chosen.")}


@bp.get("/scan/token")
@requires("scan")
def token():
    """A fresh CSRF token: a page left open longer than the token lives still sends its queue."""
    return {"csrf_token": generate_csrf()}


@bp.get("/scan/lookup")
@requires("scan")
def lookup():
    """What a read means where the device stands: {"verdict", "message", "place", …} (read-only)."""
    code, place = request.args.get("code", "").strip(), request.args.get("place", "").strip()
    if not code:
        return _fail(400, _("Give the code read (?code=…)."))
    session = db_session()
    known = know(session, [code, place], _rules().company_prefix)
    answer = _answer(decide(known.get(place), known[code]), code)
    stocktake = request.args.get("stocktake", type=int)
    if stocktake:
        answer["stocktake"] = _counting_note(session, stocktake)
    return answer


def _counting_note(session, stocktake_id: int) -> dict:
    """Whether a read for this stock-take counts: the feedback says so beside the verdict (which stays
    the box's own, judged against its home: nothing about what the stock-take expects)."""
    state = session.scalar(select(Stocktake.state).where(Stocktake.id == stocktake_id))
    note = {None: _("no stock-take #%(id)s: this read will be refused", id=stocktake_id),
            "open": _("counted for stock-take #%(id)s", id=stocktake_id)}.get(
        state, _("stock-take #%(id)s is closed: this read is kept, not counted", id=stocktake_id))
    return {"id": stocktake_id, "state": state, "note": note}


def _answer(fb: Feedback, code: str) -> dict:
    return {"code": code, "reading": fb.read.reading, "verdict": fb.verdict, "box": fb.read.code
            if fb.read.reading == "box" else None, "home": fb.read.home, "message": _message(fb),
            "place": _place(fb.place)}


def _place(place: Known | None) -> dict | None:
    if place is None:
        return None
    return {"code": place.code, "name": place.name, "kind": place.kind, "kind_label": kind_label(place.kind),
            "locates": place.locates}


def _message(fb: Feedback) -> str:
    read, place = fb.read, fb.place
    where = place.code if place else ""
    return {
        "place": lambda: _("Place set: %(place)s", place=where),
        "coarse": lambda: _("%(place)s is a %(kind)s: too coarse to place a box. Scan a rack or shelf label.",
                            place=where, kind=kind_label(read.kind)),
        "cleared": lambda: _("%(kind)s %(code)s: place cleared", kind=kind_label(read.kind), code=read.code),
        "in_place": lambda: _("In place: %(box)s", box=read.code),
        "misplaced": lambda: _("Misplaced: %(box)s belongs on %(home)s", box=read.code, home=read.home),
        "no_home": lambda: _("%(box)s has no home shelf: recorded at %(place)s", box=read.code, place=where),
        "no_place": lambda: _("Scan a shelf label first: %(box)s is recorded at an unknown place",
                              box=read.code),
        "unknown": lambda: _("Unknown code: %(code)s", code=read.code),
    }[fb.verdict]()


def _rules() -> ScanRules:
    return ScanRules.from_settings(current_app.config)


@bp.post("/scan/events")
@requires("scan")
def events():
    """A batch of the browser's reads, {"events": [...]}: the ingest answer plus the seqs acknowledged."""
    body = request.get_json(silent=True)
    batch = body.get("events") if isinstance(body, dict) else None
    if not isinstance(batch, list) or len(batch) > MOST_EVENTS:
        return _fail(400, _('Send a JSON object {"events": [...]} of at most %(n)s events.', n=MOST_EVENTS))
    names = {e.get("device") for e in batch if isinstance(e, dict)}
    if len(names) > 1 or not all(isinstance(n, str) and BROWSER_DEVICE.match(n) for n in names):
        return _fail(400, _("A batch holds the reads of one browser device (WEB-…)."))
    session = db_session()
    try:
        if names and not _claim(session, names.pop()):
            session.rollback()
            return _fail(409, _("This browser device belongs to another user: a new one is made."), renew=True)
        result = ingest(session, batch, actor=current_user.name, rules=_rules())
        session.commit()
    except (StoredMeanwhile, IntegrityError, OperationalError):
        session.rollback()  # another request of the same device was storing at the same time
        response = _fail(503, _("Busy: send again."))
        response.headers["Retry-After"] = "1"
        return response
    refused = {r["seq"] for r in result.refused}
    acked = [e["seq"] for e in batch
             if isinstance(e, dict) and type(e.get("seq")) is int and e["seq"] not in refused]
    return {**result.to_json(), "acked": acked}


def _claim(session, name: str) -> bool:
    """Register a browser device to the current user on first use; False if someone else's."""
    found = session.execute(select(Device.id, Device.owner_id).where(Device.name == name)).first()
    if found is None:
        accounts.create_device(session, name, current_user.name, "browser scan page", current_user.name)
        return True
    return found.owner_id == current_user.id
