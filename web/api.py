"""Blueprint `api` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("api", __name__)
