"""The alerts dashboard: live alerts with counts by kind and a chart over time; acknowledging and
resolving them with a note; the server-sent event stream that keeps the page live."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import get_translations
from flask_babel import gettext as _

from warehouse.alerts import labels, listing, raising
from warehouse.alerts.rules import KINDS
from warehouse.models.alerts import ALERT_STATES
from warehouse.stocktake.export import when as format_when
from web import alert_live
from web.access import actor, requires
from web.db import db_session
from web.editing import change

bp = Blueprint("alerts", __name__, url_prefix="/alerts")
bp.record_once(lambda state: alert_live.install(state.app))
CHART_WIDTH, CHART_HEIGHT = 600, 120


def chart(days: list[tuple[str, int]]) -> dict:
    """Bars of an inline SVG chart: alerts first raised per day."""
    top = max([n for _day, n in days] + [1])
    step = CHART_WIDTH / max(len(days), 1)
    bars = [{"x": round(i * step, 1), "w": round(step * 0.8, 1), "h": round(n / top * (CHART_HEIGHT - 20), 1),
             "day": day, "n": n} for i, (day, n) in enumerate(days)]
    return {"bars": bars, "top": top, "width": CHART_WIDTH, "height": CHART_HEIGHT}


@bp.context_processor
def _helpers() -> dict:
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    return {"when": lambda v: format_when(v, zone) if v else "",
            "day": lambda iso: "/".join(reversed(iso.split("-")))}  # the chart's days as 31/12/2026


@bp.app_context_processor
def _box_alerts() -> dict:
    """`box_alerts(box_id)` for the box page's Alerts section (templates/alerts/_box.html); `alert_word`,
    `alert_message` and `alert_when` for any page that shows an alert (the dashboard, the box, its timeline)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    return {"box_alerts": lambda box_id: listing.alerts(db_session(), box_id=box_id, limit=50),
            "alert_word": lambda field, key: _(labels.label(field, key)) if key else "",
            "alert_message": lambda message: _(message) if message else "",
            "alert_when": lambda iso: format_when(datetime.fromisoformat(iso), zone) if iso else ""}


@bp.get("/")
@requires("view_places")
def index():
    state = request.args.get("state", "open")
    state = state if state in ALERT_STATES else ""
    kind = request.args.get("kind", "")
    kind = kind if kind in KINDS else ""
    s = db_session()
    rows = listing.alerts(s, state=state or None, kind=kind or None, limit=500)
    for row in rows:  # parsed back for display in the store's time zone
        for key in ("at", "first_at"):
            row[key + "_time"] = datetime.fromisoformat(row[key]) if row[key] else None
    last = s.scalar(listing.last_id_query())
    return render_template("alerts/index.html", rows=rows, state=state, kind=kind, kinds=KINDS,
                           states=ALERT_STATES, counts=listing.counts_by_kind(s), chart=chart(listing.per_day(s)),
                           last_id=last or 0)


def _decide(alert_id: int, action, done: str):
    note = request.form.get("note", "").strip()
    change(lambda s: action(s, alert_id, actor(), note), done)
    return redirect(request.referrer or url_for(".index"))


@bp.post("/<int:alert_id>/acknowledge")
@requires("alerts")
def acknowledge(alert_id: int):
    return _decide(alert_id, raising.acknowledge, _("Alert %(id)s acknowledged.", id=alert_id))


@bp.post("/<int:alert_id>/resolve")
@requires("alerts")
def resolve(alert_id: int):
    return _decide(alert_id, raising.resolve, _("Alert %(id)s resolved.", id=alert_id))


@bp.get("/stream")
@requires("view_places")
def stream():
    """text/event-stream of alerts new or changed after the id the page (or the browser) last had."""
    raw = request.headers.get("Last-Event-ID") or request.args.get("after", "0")
    last_id = int(raw) if raw.isdigit() else 0
    config = current_app.config
    body = alert_live.stream(current_app.extensions["kho_db"], last_id,
                             float(config.get("ALERT_STREAM_POLL_SECONDS", 2)), config.get("REDIS_URL", ""),
                             float(config.get("ALERT_STREAM_SECONDS", 300)),
                             get_translations().gettext)  # the reader's language, kept past the request
    return Response(body, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
