"""Blueprint `locations` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("locations", __name__)
