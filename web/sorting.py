"""Blueprint `sorting` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("sorting", __name__)
