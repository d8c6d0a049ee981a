"""Running a change from a form: read its fields, call a service in one transaction, flash the outcome."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from flask import current_app, flash, request
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from warehouse.errors import N_, KhoError, refused
from web.db import db_session
from web.words import explain

T = TypeVar("T")


def text(name: str) -> str:
    return request.form.get(name, "").strip()


def whole(name: str, label: str) -> int | None:
    """A whole number from the form (empty: None); anything else is refused naming the field."""
    raw = text(name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise refused(N_("%(field)s %(value)r is not a whole number"), field=label, value=raw) from None


def day(name: str, label: str) -> date | None:
    """A date from the form (yyyy-mm-dd, as date inputs send it; empty: None)."""
    raw = text(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise refused(N_("%(field)s %(value)r is not a date (yyyy-mm-dd)"), field=label, value=raw) from None


def change(action: Callable[[Session], T], done: str | None = None) -> T | None:
    """Run `action` in the request's session and commit; a refusal rolls back and is flashed."""
    session = db_session()
    try:
        result = action(session)
        session.commit()
    except KhoError as error:
        session.rollback()
        flash(explain(error), "error")
        return None
    if done:
        flash(done, "ok")
    return result


def regimes() -> list[str]:
    """The access regimes whose titles are hidden from readers without clearance."""
    return list(current_app.config.get("RESTRICTED_ACCESS", []))


def page_number() -> int:
    raw = request.args.get("page", "1")
    return max(int(raw), 1) if raw.isdigit() else 1


def warn_over(over: tuple[str, int, int] | None) -> None:
    """A capacity is advisory: exceeding it warns, never refuses."""
    if over:
        code, boxes, capacity = over
        flash(_("%(code)s now holds %(boxes)s boxes, more than its capacity of %(capacity)s.",
                code=code, boxes=boxes, capacity=capacity), "warn")
