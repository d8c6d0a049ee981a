"""`stocktake`: open a stock-take, follow it, order recounts, close it, export and compare results."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly
from warehouse.stocktake import sessions

stocktake_group = AppGroup("stocktake", help="Stock-takes (kiểm kê): count a shelf, a rack, a room or a fonds.")
ACTOR = "cli"


def _totals(doc: dict) -> str:
    return ", ".join(f"{name} {len(doc[name])}" for name in sessions.LISTS)


@stocktake_group.command("open")
@click.option("--scope", default=None, help="Code of the location whose subtree is counted.")
@click.option("--fonds", default=None, help="Code of the fonds whose boxes are counted.")
@click.option("--blind", is_flag=True, help="Counters see what they scanned, not what is expected.")
@click.option("--note", default="", help="A note kept with the stock-take.")
@click.option("--json", "as_json", is_flag=True)
def open_command(scope: str | None, fonds: str | None, blind: bool, note: str, as_json: bool) -> None:
    """Open a stock-take of a location subtree, a fonds, or both; its expected boxes are frozen now."""
    with failing_cleanly(as_json), db().transaction() as s:
        doc = sessions.open_stocktake(s, actor=ACTOR, scope=scope, fonds=fonds, blind=blind, note=note)
    emit(doc, as_json, lambda d: f"stock-take {d['id']} opened: {d['expected']} box(es) expected")


@stocktake_group.command("close")
@click.argument("stocktake_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True)
def close_command(stocktake_id: int, as_json: bool) -> None:
    """Close a stock-take: every expected box found, misplaced, missing or unlocated; frozen."""
    with failing_cleanly(as_json), db().transaction() as s:
        doc = sessions.close(s, stocktake_id, ACTOR)
    emit(doc, as_json, lambda d: f"stock-take {d['id']} closed: {_totals(d)}")


COMMANDS = (stocktake_group,)
