"""Blueprint `handovers` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("handovers", __name__)
