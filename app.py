"""Kho's app factory: read config.toml, open the database, register the web and CLI faces."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask

from warehouse import settings
from warehouse.db import Database


def _secret_key(app: Flask) -> str:
    """The configured key, else one kept in instance/secret_key (made on first start)."""
    if app.config.get("SECRET_KEY"):
        return app.config["SECRET_KEY"]
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(settings.ROOT / "instance"))
    app.config.from_mapping(settings.load())
    if config:
        app.config.update(config)
        app.config["DATABASE_URL"] = settings.absolute_sqlite(app.config["DATABASE_URL"])
    app.config["SECRET_KEY"] = _secret_key(app)
    app.extensions["kho_db"] = Database(app.config["DATABASE_URL"], app.config)

    from cli import register_cli
    from web import register_web

    register_web(app)
    register_cli(app)
    return app


def db_of(app: Flask) -> Database:
    """The app's Database (engine and session factory)."""
    return app.extensions["kho_db"]
