"""`stocktake`: open a stock-take, follow it, order recounts, close it, export and compare results."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from cli.output import db, emit, failing_cleanly, say
from warehouse.errors import N_, refused
from warehouse.stocktake import compare, export, progress, report, sessions

stocktake_group = AppGroup("stocktake", help="Stock-takes (kiểm kê): count a shelf, a rack, a room or a fonds.")
ACTOR = "cli"


def _totals(doc: dict) -> str:
    totals = ", ".join(f"{name} {len(doc[name])}" for name in sessions.LISTS)
    return totals + (f"; listed apart {len(doc['apart'])}" if "apart" in doc else "")


def _apart(doc: dict) -> list[str]:
    """The boxes listed apart at opening, one line each with its reason and its home then."""
    return [f"  apart {a['box']}: {a['reason']}" + (f" (home {a['home']})" if a["home"] else "")
            for a in doc["apart"]]


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
    emit(doc, as_json, lambda d: f"stock-take {d['id']} opened: {d['expected']} box(es) expected, "
                                 f"{len(d['excluded'])} listed apart")


@stocktake_group.command("close")
@click.argument("stocktake_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True)
def close_command(stocktake_id: int, as_json: bool) -> None:
    """Close a stock-take: every expected box found, misplaced, missing or unlocated; frozen."""
    with failing_cleanly(as_json), db().transaction() as s:
        doc = sessions.close(s, stocktake_id, ACTOR)
    emit(doc, as_json, lambda d: f"stock-take {d['id']} closed: {_totals(d)}")



@stocktake_group.command("result")
@click.argument("stocktake_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True)
def result_command(stocktake_id: int, as_json: bool) -> None:
    """The frozen result of a closed stock-take (of an open one: what closing now would give), and the
    boxes listed apart at opening (`apart`)."""
    with failing_cleanly(as_json), db().reading() as s:
        doc = sessions.result(s, stocktake_id)
    emit(doc, as_json, lambda d: "\n".join(
        [f"stock-take {d['id']}{' (provisional)' if d.get('provisional') else ''}: {_totals(d)}", *_apart(d)]))


@stocktake_group.command("progress")
@click.argument("stocktake_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True)
def progress_command(stocktake_id: int, as_json: bool) -> None:
    """Boxes seen of those expected, overall and per shelf; the boxes listed apart at opening."""
    with failing_cleanly(as_json), db().reading() as s:
        doc = progress.progress(s, sessions.find(s, stocktake_id))
    emit(doc, as_json, lambda d: "\n".join(
        [(f"stock-take {d['id']} ({d['state']}): {d['seen']}/{d['expected']} seen, {d['reads']} reads, "
          f"{len(d['apart'])} listed apart")]
        + [f"  {row['shelf']}: {row['seen']}/{row['expected']}" for row in d["shelves"]] + _apart(d)))


@stocktake_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json: bool) -> None:
    """Every stock-take, newest first."""
    with failing_cleanly(as_json), db().reading() as s:
        doc = [_row(st) for st in sessions.listing(s)]
    emit(doc, as_json, lambda d: "\n".join(
        f"{r['id']:>5} {r['state']:<6} {r['scope'] or '-':<16} {r['fonds'] or '-':<8} "
        f"expected {r['expected']}" for r in d))


def _row(st) -> dict:
    return {"id": st.id, "state": st.state, "scope": st.scope.code if st.scope else None,
            "fonds": st.fonds.code if st.fonds else None, "blind": st.blind, "expected": st.expected,
            "opened_at": st.opened_at.isoformat(), "opened_by": st.opened_by,
            "closed_at": st.closed_at.isoformat() if st.closed_at else None,
            **{name: getattr(st, name) for name in ("found", "misplaced", "missing", "unlocated", "unexpected")}}


@stocktake_group.command("recount")
@click.argument("stocktake_id", metavar="ID", type=int)
@click.argument("shelf")
@click.option("--json", "as_json", is_flag=True)
def recount_command(stocktake_id: int, shelf: str, as_json: bool) -> None:
    """Order a recount of SHELF: the reads placed on it so far are set aside."""
    with failing_cleanly(as_json), db().transaction() as s:
        doc = sessions.order_recount(s, stocktake_id, shelf, ACTOR)
    emit(doc, as_json, lambda d: f"recount of {d['shelf']} ordered; {d['set_aside']} read(s) set aside")


@stocktake_group.command("compare")
@click.argument("first", type=int)
@click.argument("second", type=int)
@click.option("--json", "as_json", is_flag=True)
def compare_command(first: int, second: int, as_json: bool) -> None:
    """What changed between two closed stock-takes of the same scope."""
    with failing_cleanly(as_json), db().reading() as s:
        doc = compare.compare(s, first, second)
    emit(doc, as_json, lambda d: "\n".join(
        f"{name}: {len(d[name])}" for name in ("newly_missing", "found_again", "still_missing", "moved",
                                               "newly_expected", "no_longer_expected")))


@stocktake_group.command("export")
@click.argument("stocktake_id", metavar="ID", type=int)
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", default="vi", show_default=True, help="Language of the labels.")
def export_command(stocktake_id: int, xlsx_path: Path | None, pdf_path: Path | None, lang: str) -> None:
    """Write a closed stock-take's result as XLSX and/or PDF."""
    if not xlsx_path and not pdf_path:
        raise click.UsageError("give --xlsx FILE, --pdf FILE or both")
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    with failing_cleanly(), db().reading() as s, force_locale(lang):
        st = sessions.find(s, stocktake_id)
        if st.is_open:
            raise refused(N_("stock-take %(id)s is still open: close it before exporting"), id=st.id)
        summary, lines = report.summary(s, st), report.lines(s, st.id)
        for path, render in ((xlsx_path, export.xlsx), (pdf_path, export.pdf)):
            if path:
                path.write_bytes(render(summary, lines, gettext, zone))
                say(f"wrote {path}")


COMMANDS = (stocktake_group,)
