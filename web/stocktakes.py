"""Blueprint `stocktakes` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("stocktakes", __name__)
