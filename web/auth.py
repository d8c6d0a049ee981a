"""Logging in and out. Closed accounts cannot log in; sessions of disabled users end at once."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_user, logout_user

from warehouse import accounts
from warehouse.models import User
from web import login_manager
from web.db import db_session

bp = Blueprint("auth", __name__)


class SessionUser(UserMixin):
    """The logged-in user as Flask-Login sees it: plain values, no database session attached."""

    def __init__(self, user: User):
        self.id, self.name, self.role, self.full_name = user.id, user.name, user.role, user.full_name

    def get_id(self) -> str:
        return str(self.id)


@login_manager.user_loader
def load_user(user_id: str):
    user = db_session().get(User, int(user_id)) if user_id.isdigit() else None
    return SessionUser(user) if user is not None and user.active else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        session = db_session()
        user = accounts.authenticate(session, request.form.get("name", ""), request.form.get("password", ""))
        session.commit()
        if user is not None:
            login_user(SessionUser(user))
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//")
                            else url_for("pages.index"))
        flash(_("Wrong name or password, or the account is disabled."), "error")
    return render_template("auth/login.html")


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        logout_user()
    return redirect(url_for("auth.login"))
