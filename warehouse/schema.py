"""Creating and upgrading the schema through Alembic (the migrations are the source of truth).

Alembic is imported only when a schema is made or checked: every CLI command would pay for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from warehouse.settings import ROOT

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["url"] = url
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring an empty or older database up to the newest schema (every head)."""
    from alembic import command

    cfg = alembic_config(str(engine.url))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
