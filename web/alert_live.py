"""Alerts as they happen: after a transaction that raised alerts commits, notify (e-mail, webhook) and
signal other server processes through Redis; the dashboard's event stream; the scheduled sweep.

The stream polls the database (every ALERT_STREAM_POLL_SECONDS, default 2) for alerts new or changed
since it last looked, so it is right across processes without Redis; with REDIS_URL set it also wakes at
once when any process publishes on the `kho:alerts` channel."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from warehouse.alerts import labels, listing, notify, raising
from warehouse.db import Database
from warehouse.models import Alert, Box, Location

log = logging.getLogger(__name__)
CHANNEL = "kho:alerts"
PENDING = "kho_alerts_raised"


def _codes(session: Session, rows: list[dict]) -> list[dict]:
    """Rows of raise_alerts with box and location codes, for messages sent after the session is gone."""
    boxes = {r["box_id"] for r in rows if r["box_id"]}
    places = {r["location_id"] for r in rows if r["location_id"]}
    box = dict(session.execute(select(Box.id, Box.code).where(Box.id.in_(boxes))).all()) if boxes else {}
    place = dict(session.execute(select(Location.id, Location.code).where(Location.id.in_(places))).all()) \
        if places else {}
    return [r | {"box": box.get(r["box_id"]), "location": place.get(r["location_id"])} for r in rows]


def on_raise(session: Session, rows: list[dict]) -> None:
    """ON_RAISE hook: keep what to send until the transaction commits (nothing is sent on a rollback)."""
    if not has_app_context():
        return
    config = current_app.config
    notices = notify.plan(_codes(session, rows), config.get("ALERT_NOTIFY", [])) \
        if config.get("ALERT_NOTIFY") else []
    if not notices and not config.get("REDIS_URL"):
        return
    pending = session.info.setdefault(PENDING, [])
    pending.append((dict(config), notices))
    if not session.info.get("kho_alert_listeners"):
        session.info["kho_alert_listeners"] = True
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_rollback", lambda s: s.info.pop(PENDING, None))


def _committed(session: Session) -> None:
    for config, notices in session.info.pop(PENDING, []):
        notify.send_later(config, notices)
        publish(config.get("REDIS_URL", ""))


def publish(url: str) -> None:
    """Tell every server process that alerts changed (never fails the caller)."""
    if not url:
        return
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=2).publish(CHANNEL, "changed")
    except Exception:  # Redis down: the streams still poll the database
        log.warning("could not publish alert change to Redis", exc_info=True)


def snapshot(session: Session, after_id: int) -> dict[int, tuple]:
    """(state, count, at) of every live alert and of any alert newer than after_id."""
    rows = session.execute(select(Alert.id, Alert.state, Alert.count, Alert.at)
                           .where(or_(Alert.state != "resolved", Alert.id > after_id)))
    return {i: (state, count, str(at)) for i, state, count, at in rows}


def changes(db: Database, seen: dict[int, tuple], last_id: int) -> tuple[list[dict], dict[int, tuple], int]:
    """Alerts new or changed since `seen` (gone from the live set counts as changed: resolved)."""
    with db.reading() as s:
        now = snapshot(s, last_id)
        changed = [i for i, v in now.items() if seen.get(i) != v] + [i for i in seen if i not in now]
        rows = listing.alerts(s, ids=changed) if changed else []
    return rows, now, max([last_id, *now])


class _Wake:
    """Waits for a Redis message on the channel, or the poll interval, whichever comes first."""

    def __init__(self, url: str):
        self.pubsub = None
        if url:
            try:
                import redis

                self.pubsub = redis.Redis.from_url(url, socket_connect_timeout=2).pubsub(ignore_subscribe_messages=True)
                self.pubsub.subscribe(CHANNEL)
            except Exception:
                log.warning("Redis unreachable: the alert stream polls only", exc_info=True)
                self.pubsub = None

    def wait(self, seconds: float) -> None:
        if self.pubsub is None:
            time.sleep(seconds)
            return
        try:
            self.pubsub.get_message(timeout=seconds)
        except Exception:
            log.warning("Redis lost: the alert stream polls only", exc_info=True)
            self.pubsub = None
            time.sleep(seconds)

    def close(self) -> None:
        if self.pubsub is not None:
            self.pubsub.close()


def stream(db: Database, last_id: int, poll: float, redis_url: str, lifetime: float,
           translate: Callable[[str], str] | None = None) -> Iterator[str]:
    """Server-sent events: one `alert` event per new or changed alert (id: the alert's id). Ends after
    `lifetime` seconds (the browser reconnects with its last id) or when the client goes (the server
    closes the generator on the next write that fails; a comment is written at every poll). With
    `translate`, each row carries its kind, state, severity and message in the reader's words too."""
    wake = _Wake(redis_url)
    try:
        with db.reading() as s:  # what the page showed; newer ones go out at the first poll
            seen = {i: v for i, v in snapshot(s, last_id).items() if i <= last_id}
        yield f"retry: 3000\n: {len(seen)} live\n\n"
        ends = time.monotonic() + lifetime
        while time.monotonic() < ends:
            wake.wait(poll)
            rows, seen, last_id = changes(db, seen, last_id)
            for row in sorted(rows, key=lambda r: r["id"]):
                row = labels.labelled(row, translate) if translate else row
                yield f"id: {last_id}\nevent: alert\ndata: {json.dumps(row, ensure_ascii=False)}\n\n"
            yield ": ping\n\n"
    finally:
        wake.close()


def sweep_forever(app: Flask, seconds: float, stop: threading.Event) -> None:
    """Run the sweep every `seconds`, each in its own transaction, until `stop` is set."""
    from datetime import UTC, datetime

    from warehouse.alerts.sweep import sweep

    while not stop.wait(seconds):
        try:
            with app.app_context(), app.extensions["kho_db"].transaction() as s:
                sweep(s, datetime.now(UTC), "sweep", app.config.get("ALERT_NOT_SEEN_DAYS", 0))
        except Exception:  # the next sweep tries again
            log.exception("scheduled alert sweep failed")


def install(app: Flask) -> None:
    """Hook notifications into raising, and start the scheduled sweep with the first request served."""
    if on_raise not in raising.ON_RAISE:
        raising.ON_RAISE.append(on_raise)
    seconds = float(app.config.get("ALERT_SWEEP_SECONDS") or 0)
    if seconds <= 0 or app.config.get("TESTING"):
        return
    lock = threading.Lock()

    @app.before_request
    def _start_sweeper() -> None:
        with lock:
            if "kho_alert_sweep" in app.extensions:
                return
            stop = threading.Event()
            thread = threading.Thread(target=sweep_forever, args=(app, seconds, stop), name="kho-alert-sweep",
                                      daemon=True)
            app.extensions["kho_alert_sweep"] = (stop, thread)  # set the event to stop it
            thread.start()
