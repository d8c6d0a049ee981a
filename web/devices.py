"""Devices (handhelds, readers) and their API tokens: register, assign an owner, issue, revoke."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from warehouse import accounts
from warehouse.errors import KhoError
from web.access import actor, requires
from web.db import db_session
from web.words import explain

bp = Blueprint("devices", __name__, url_prefix="/devices")


def _page(issued: dict | None = None):
    session = db_session()
    users = accounts.list_users(session)
    response = make_response(render_template("devices/index.html", devices=accounts.list_devices(session),
                                              users=users, owners={u.id: u for u in users}, issued=issued))
    if issued:
        response.headers["Cache-Control"] = "no-store"  # a page showing a token stays out of caches
    return response


def _change(work: Callable[[Session], dict | None], done: str):
    """Run one change in one transaction; a refusal is flashed and nothing is saved."""
    session = db_session()
    try:
        issued = work(session)
        session.commit()
    except KhoError as e:
        session.rollback()
        flash(explain(e), "error")
        return redirect(url_for("devices.index"))
    flash(done, "ok")
    if issued is not None:  # the token's plain text lives in this response only
        return _page(issued)
    return redirect(url_for("devices.index"))


@bp.get("")
@requires("manage_devices")
def index():
    return _page()


@bp.post("")
@requires("manage_devices")
def create():
    form = request.form
    name = form.get("name", "").strip()
    return _change(lambda s: _none(accounts.create_device(
        s, name, actor(), form.get("description", ""), form.get("owner", ""))),
        _("Device %(n)s registered.", n=name))


@bp.post("/update")
@requires("manage_devices")
def update():
    form = request.form
    name = form.get("device", "")
    return _change(lambda s: _none(accounts.update_device(
        s, name, actor(), description=form.get("description"), owner=form.get("owner"))),
        _("Device %(n)s saved.", n=name))


@bp.post("/tokens")
@requires("manage_devices")
def issue():
    name = request.form.get("device", "").strip()

    def work(s: Session) -> dict:
        token, plain = accounts.issue_token(s, name, actor())
        return {"device": name, "token": plain, "id": token.id}

    return _change(work, _("Token issued for %(n)s.", n=name))


@bp.post("/tokens/<int:token_id>/revoke")
@requires("manage_devices")
def revoke(token_id: int):
    return _change(lambda s: _none(accounts.revoke_token(s, token_id, actor())),
                   _("Token %(n)s revoked.", n=token_id))


def _none(_result) -> None:
    return None
