"""The home page: a summary of the stores for whoever is logged in."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.access import requires

bp = Blueprint("pages", __name__)


@bp.get("/")
@requires("view_places")
def index():
    return render_template("pages/index.html")
