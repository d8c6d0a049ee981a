"""One database session per request: read-only for GET and HEAD (no write lock on SQLite)."""

from __future__ import annotations

from flask import current_app, g, request
from sqlalchemy.orm import Session

from warehouse.db import Database


def database() -> Database:
    """The app's database, for work outside the request's session (a reading, a background thread)."""
    return current_app.extensions["kho_db"]


def db_session() -> Session:
    """The request's session; POST and friends commit it themselves (one unit of work)."""
    if "kho_session" not in g:
        db = database()
        if request and request.method in ("GET", "HEAD"):
            g.kho_reader = db.reading()
            g.kho_session = g.kho_reader.__enter__()
        else:
            g.kho_session = db.sessions()
    return g.kho_session


def close_session(_exc=None) -> None:
    session = g.pop("kho_session", None)
    reader = g.pop("kho_reader", None)
    if reader is not None:
        reader.__exit__(None, None, None)
    elif session is not None:
        session.close()
