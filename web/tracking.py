"""Blueprint `tracking` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("tracking", __name__)
