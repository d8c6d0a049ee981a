"""`boxes list [--fonds CODE] --json`: every box with its fonds, number, EPC, home and file count."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly
from warehouse.importing.inventory import list_boxes

boxes = AppGroup("boxes", help="Boxes of the register.")


@boxes.command("list")
@click.option("--fonds", "fonds", help="Only the boxes of this fonds (its code).")
@click.option("--json", "as_json", is_flag=True)
def list_command(fonds: str | None, as_json: bool) -> None:
    """List boxes: code, fonds, box number, EPC, home shelf and how many files the register holds."""
    with failing_cleanly(as_json), db().reading() as s:
        rows = list_boxes(s, fonds)
    emit(rows, as_json, lambda rs: "\n".join(
        f"{r['code']}\t{r['fonds']}\t{r['box']}\t{r['epc'] or '-'}\t{r['home'] or '-'}\t{r['files']}"
        for r in rs))


COMMANDS = (boxes,)
