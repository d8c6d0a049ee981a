"""Blueprint `devices` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("devices", __name__)
