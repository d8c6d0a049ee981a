"""Blueprint `scanners` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("scanners", __name__)
