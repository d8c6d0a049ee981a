"""The scanners page: each scanner the daemon runs, as it last reported (refreshes by itself)."""

from __future__ import annotations

from flask import Blueprint, render_template

from warehouse import readers
from web.access import requires
from web.db import db_session

bp = Blueprint("scanners", __name__, url_prefix="/scanners")
REFRESH_SECONDS = 5


@bp.get("")
@requires("manage_devices")
def index():
    return render_template("scanners/index.html", scanners=readers.listing(db_session()),
                           refresh=REFRESH_SECONDS)


@bp.get("/rows")
@requires("manage_devices")
def rows():
    """The table's rows alone, fetched by the page every few seconds."""
    return render_template("scanners/_rows.html", scanners=readers.listing(db_session()))
