"""`demo load`: fill an empty database with a provincial archive to try Kho on."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from warehouse import demo as demo_data

demo = AppGroup("demo", help="Demo data.")


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the register already holds boxes.")
@click.option("--json", "as_json", is_flag=True)
def load(if_empty: bool, as_json: bool) -> None:
    """Load the demo store, agencies, fonds, boxes and files (all or nothing)."""
    with failing_cleanly(as_json), db().transaction() as s:
        if if_empty and demo_data.has_boxes(s):
            say("the register already holds boxes: demo data not loaded")
            if as_json:
                emit({"loaded": False}, True)
            return
        counts = demo_data.load(s, actor="cli")
    say("demo data loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if as_json:
        emit({"loaded": True, **counts}, True)


COMMANDS = (demo,)
