"""Accounts and the audit trail: users, their roles and passwords; the hash-chained log of changes."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from warehouse import accounts
from warehouse import audit as trail
from warehouse.errors import KhoError
from web.access import actor, requires
from web.db import db_session
from web.words import explain

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _users_page(secret: dict | None = None):
    session = db_session()
    response = make_response(render_template("admin/users.html", users=accounts.list_users(session),
                                              roles=accounts.ROLES, secret=secret, me=actor()))
    if secret:
        response.headers["Cache-Control"] = "no-store"  # a page showing a password stays out of caches
    return response


def _change(work: Callable[[Session], str | None], done: str):
    """Run one change in one transaction; a refusal is flashed and nothing is saved."""
    session = db_session()
    try:
        secret = work(session)
        session.commit()
    except KhoError as e:
        session.rollback()
        flash(explain(e), "error")
        return redirect(url_for("admin.users"))
    if secret is not None:  # shown on this response only: never in a flash, never stored plain
        return _users_page({"user": request.form.get("user") or request.form.get("name"),
                            "password": secret, "message": done})
    flash(done, "ok")
    return redirect(url_for("admin.users"))


@bp.get("/users")
@requires("manage_users")
def users():
    return _users_page()


@bp.post("/users")
@requires("manage_users")
def create_user():
    form = request.form
    name, given = form.get("name", "").strip(), form.get("password", "")

    def work(s: Session) -> str | None:
        password = given or accounts.new_password()
        accounts.create_user(s, name, form.get("role", ""), password, actor=actor(),
                             full_name=form.get("full_name", "").strip())
        return None if given else password

    return _change(work, _("User %(n)s created.", n=name))


@bp.post("/users/role")
@requires("manage_users")
def set_role():
    name, role = request.form.get("user", ""), request.form.get("role", "")
    return _change(lambda s: _none(accounts.update_user(s, name, actor(), role=role)),
                   _("Role of %(n)s changed.", n=name))


@bp.post("/users/state")
@requires("manage_users")
def set_state():
    name, active = request.form.get("user", ""), request.form.get("active") == "1"
    done = _("Account %(n)s enabled.", n=name) if active else _("Account %(n)s disabled.", n=name)
    return _change(lambda s: _none(accounts.update_user(s, name, actor(), active=active)), done)


@bp.post("/users/password")
@requires("manage_users")
def reset_password():
    name, given = request.form.get("user", ""), request.form.get("password", "")

    def work(s: Session) -> str | None:
        password = accounts.reset_password(s, name, actor(), given)
        return None if given else password

    return _change(work, _("Password of %(n)s reset.", n=name))


def _none(_result) -> None:
    return None


@bp.get("/audit")
@requires("audit")
def audit():
    session = db_session()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = request.args.get("q", "").strip()
    size = current_app.config.get("PAGE_SIZE", 50)
    entries, total = trail.recent(session, page, size, query)
    verdict = trail.verify(session) if request.args.get("verify") else None
    return render_template("admin/audit.html", entries=entries, total=total, page=page,
                           pages=max((total + size - 1) // size, 1), query=query,
                           head=trail.head(session), verdict=verdict)
