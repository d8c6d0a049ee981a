"""Blueprint `imports` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("imports", __name__)
