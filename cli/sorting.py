"""`rebox`: chỉnh lý from the command line — move files, split, merge and renumber boxes."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from warehouse import sorting

rebox = AppGroup("rebox", help="Re-box files during sorting (chỉnh lý); every change is audited.")
ACTOR = "cli"


@rebox.command("move-files")
@click.option("--to", "to_code", required=True, help="Code of the box the files go into.")
@click.argument("file_ids", nargs=-1, type=int, required=True)
@click.option("--reason", default="", help="Why the files move (kept in the history).")
@click.option("--json", "as_json", is_flag=True)
def move_files(to_code: str, file_ids: tuple[int, ...], reason: str, as_json: bool) -> None:
    """Move files (by id) into another box of their fonds."""
    with failing_cleanly(as_json), db().transaction() as s:
        result = sorting.move_files(s, list(file_ids), to_code, ACTOR, reason)
    emit(result, as_json, lambda r: f"{r['moved']} file(s) moved into box {r['to']}")


@rebox.command("split")
@click.argument("box")
@click.argument("file_ids", nargs=-1, type=int, required=True)
@click.option("--code", default=None, help="Code of the new box (default {fonds}-H{number:04d}).")
@click.option("--reason", default="")
@click.option("--json", "as_json", is_flag=True)
def split(box: str, file_ids: tuple[int, ...], code: str | None, reason: str, as_json: bool) -> None:
    """Put the chosen files of BOX into a new box on the same shelf."""
    with failing_cleanly(as_json), db().transaction() as s:
        result = sorting.split_box(s, box, list(file_ids), ACTOR, code, reason)
    emit(result, as_json, lambda r: f"new box {r['box']} (number {r['number']}) holds "
                                    f"{len(r['files'])} file(s) from box {r['from']}")


@rebox.command("merge")
@click.argument("into")
@click.argument("from_box", metavar="FROM")
@click.option("--reason", default="")
@click.option("--json", "as_json", is_flag=True)
def merge(into: str, from_box: str, reason: str, as_json: bool) -> None:
    """Move every file of box FROM into box INTO; FROM is retired and its code kept reserved."""
    with failing_cleanly(as_json), db().transaction() as s:
        result = sorting.merge_boxes(s, into, from_box, ACTOR, reason)
    emit(result, as_json, lambda r: f"{r['files']} file(s) moved from box {r['from']} into box "
                                    f"{r['into']}; box {r['retired']} retired")


@rebox.command("renumber")
@click.argument("box")
@click.argument("number", type=int)
@click.option("--code", default=None, help="A new code for the box as well.")
@click.option("--json", "as_json", is_flag=True)
def renumber(box: str, number: int, code: str | None, as_json: bool) -> None:
    """Give BOX another number in its fonds (and, with --code, another code)."""
    with failing_cleanly(as_json), db().transaction() as s:
        result = sorting.renumber_box(s, box, number, ACTOR, code)
    emit(result, as_json, lambda r: f"box {r['old_code']} is now number {r['number']}, code {r['box']}")


@rebox.command("positions")
@click.argument("fonds")
@click.option("--catalogue", default=1, show_default=True, type=int, help="Mục lục số.")
@click.option("--json", "as_json", is_flag=True)
def positions(fonds: str, catalogue: int, as_json: bool) -> None:
    """Renumber Số TT of a fonds' catalogue 1, 2, … in box order."""
    with failing_cleanly(as_json), db().transaction() as s:
        result = sorting.renumber_positions(s, fonds, catalogue, ACTOR)
    emit(result, as_json, lambda r: f"{r['changed']} of {r['files']} file(s) renumbered")


@rebox.command("history")
@click.argument("box")
@click.option("--json", "as_json", is_flag=True)
def history(box: str, as_json: bool) -> None:
    """Files moved into and out of BOX, and its own events, newest first."""
    with failing_cleanly(as_json), db().reading() as s:
        found = sorting.find_box(s, box)
        data = sorting.box_history(s, found)
    moves = [{k: v for k, v in m.items() if k not in ("title", "access")} for m in data["moves"]]
    result = {"box": found.code, "moves": moves, "events": data["events"]}
    if as_json:
        emit(result, True)
        return
    for m in moves:
        click.echo(f"{m['at']:%Y-%m-%d %H:%M}  file {m['number']} (id {m['file_id']}): "
                   f"{m['from'] or '-'} → {m['to']}  {m['actor']}  {m['reason']}")
    if not moves:
        say(f"no file has moved into or out of box {found.code}")


COMMANDS = (rebox,)
