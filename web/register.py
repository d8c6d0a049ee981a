"""Blueprint `register` (to be filled in)."""

from flask import Blueprint

bp = Blueprint("register", __name__)
