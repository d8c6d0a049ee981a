"""The home page: a summary of the stores for whoever is logged in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("pages", __name__)


@bp.get("/")
@login_required
def index():
    return render_template("pages/index.html")
