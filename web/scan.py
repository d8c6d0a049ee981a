"""Blueprint `scan` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("scan", __name__)
