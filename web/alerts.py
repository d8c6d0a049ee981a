"""Blueprint `alerts` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("alerts", __name__)
