"""`init-db`: create or upgrade the schema."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from cli.output import db, say
from warehouse import schema


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema of an empty or older database."""
    database = db()
    schema.upgrade(database.engine)
    say(f"schema up to date: {database.engine.url.render_as_string(hide_password=True)}")


COMMANDS = (init_db,)
