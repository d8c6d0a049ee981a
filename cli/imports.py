"""`import locations FILE` and `import register FILE`: all-or-nothing imports of CSV or XLSX files.

Progress goes to stderr; a refused file lists every error by row and column on stderr and exits 1."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from warehouse.importing import import_locations, import_register

imports = AppGroup("import", help="Import locations or a register (mục lục hồ sơ) from CSV or XLSX.")
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _progress(what: str):
    """A progress callback that prints to stderr at most twice a second, and at the end."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= 0.5:
            last[0] = now
            say(f"{done}/{total} {what} saved")

    return report


def _warn(result: dict) -> None:
    for warning in result.get("warnings", []):
        say(f"warning: row {warning.get('row')}, column {warning.get('column')}: {warning.get('warning')}")


@imports.command("locations")
@click.argument("path", metavar="FILE", type=FILE)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON document.")
def locations(path: Path, as_json: bool) -> None:
    """Import stores, rooms, rack rows, racks, shelves, gates and checkpoints."""
    with failing_cleanly(as_json), db().transaction() as s:
        result = import_locations(s, path, actor="cli", progress=_progress("locations"))
    _warn(result)
    emit(result, as_json, lambda r: f"{r['locations']} locations imported, {r['updated']} updated, "
                                    f"{r['unchanged']} unchanged")


@imports.command("register")
@click.argument("path", metavar="FILE", type=FILE)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON document.")
def register(path: Path, as_json: bool) -> None:
    """Import a register of boxes and files (one row per file)."""
    with failing_cleanly(as_json), db().transaction() as s:
        result = import_register(s, path, actor="cli", progress=_progress("files"))
    _warn(result)
    emit(result, as_json, lambda r: f"{r['files']} files in {r['boxes']} boxes imported "
                                    f"({r['new_boxes']} new boxes, {r['fonds']} new fonds)")


COMMANDS = (imports,)
