"""`handover`: import a handover list, reconcile it against the shelves, mark it checked, list lists, and
export a fonds' register in the official form of the mục lục hồ sơ (XLSX, PDF)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from cli.imports import _progress
from cli.output import db, emit, failing_cleanly, say
from warehouse import audit
from warehouse.handover import lists, official, report, states
from warehouse.handover.reconcile import reconcile_list
from warehouse.importing.periods import parse_date

handover_group = AppGroup("handover", help="Handover lists (mục lục hồ sơ nộp lưu, danh mục bàn giao).")
ACTOR = "cli"
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
OUT = click.Path(dir_okay=False, path_type=Path)


def _date(_ctx, _param, value: str | None) -> date | None:
    """dd/mm/yyyy or ISO, as in the import files."""
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as e:
        raise click.BadParameter(str(e))


@handover_group.command("import")
@click.argument("path", metavar="FILE", type=FILE)
@click.option("--fonds", required=True, help="Code of the fonds the list hands over.")
@click.option("--from", "giver", required=True, help="The giving agency (found by name, or created).")
@click.option("--to", "receiver", required=True, help="The receiving body (found by name, or created).")
@click.option("--date", "handed_on", callback=_date, help="Date of the handover (dd/mm/yyyy).")
@click.option("--giver-name", default="", help="Who hands over.")
@click.option("--receiver-name", default="", help="Who receives.")
@click.option("--note", default="")
@click.option("--json", "as_json", is_flag=True, help="Print {id, rows, boxes} as one JSON document.")
def import_command(path: Path, fonds: str, giver: str, receiver: str, handed_on: date | None, giver_name: str,
                   receiver_name: str, note: str, as_json: bool) -> None:
    """Import a handover list (CSV or XLSX with the register's columns); the register is not changed."""
    handing = lists.Handing.of(fonds, giver, receiver, handed_on, giver_name, receiver_name, note)
    with failing_cleanly(as_json), db().transaction() as s:
        result = lists.import_list(s, path, ACTOR, progress=_progress("rows"), **handing.options())
    for warning in result["warnings"]:
        say(f"warning: row {warning['row']}, column {warning['column']}: {warning['warning']}")
    emit({k: result[k] for k in ("id", "rows", "boxes", "known")}, as_json,
         lambda r: f"handover list {r['id']}: {r['rows']} rows, {r['boxes']} boxes ({r['known']} in the register)")


def _text(doc: dict) -> str:
    basis = f"stock-take {doc['basis']['stocktake']}" if doc["basis"]["stocktake"] else "last-known places"
    lines = [f"handover list {doc['id']} against {basis}: " + ", ".join(f"{k} {v}" for k, v in doc["summary"].items())]
    lines += [f"  missing {b}" for b in doc["missing"]]
    lines += [f"  misplaced {m['box']}: listed {m['listed']}, found {m['found']}" for m in doc["misplaced"]]
    lines += [f"  extra {b}" for b in doc["extra"]]
    lines += [f"  files {m['box']}: {m['listed_files']} listed, {m['found_files']} in the register"
              for m in doc["count_mismatch"]]
    return "\n".join(lines)


@handover_group.command("reconcile")
@click.argument("handover_id", metavar="ID", type=int)
@click.option("--stocktake", "stocktake_id", type=int,
              help="A closed stock-take; without it, each box's last-known place: that of its latest sighting "
                   "with a place.")
@click.option("--xlsx", "xlsx_path", type=OUT, help="Also write the report as XLSX.")
@click.option("--lang", default="vi", show_default=True, help="Language of the XLSX labels.")
@click.option("--json", "as_json", is_flag=True)
def reconcile_command(handover_id: int, stocktake_id: int | None, xlsx_path: Path | None, lang: str,
                      as_json: bool) -> None:
    """Check a list against a stock-take, or against the boxes' last-known places."""
    with failing_cleanly(as_json), db().reading() as s:
        doc = reconcile_list(s, handover_id, stocktake_id)
        if xlsx_path:
            with force_locale(lang):
                xlsx_path.write_bytes(report.xlsx(states.facts(s, handover_id), doc, gettext))
            say(f"wrote {xlsx_path}")
    emit(doc, as_json, _text)


@handover_group.command("check")
@click.argument("handover_id", metavar="ID", type=int)
@click.option("--stocktake", "stocktake_id", type=int, help="The closed stock-take the list was checked against.")
@click.option("--json", "as_json", is_flag=True)
def check_command(handover_id: int, stocktake_id: int | None, as_json: bool) -> None:
    """Mark a list checked against the shelves (its reconciliation is kept in the audit trail)."""
    with failing_cleanly(as_json), db().transaction() as s:
        doc = states.mark_checked(s, handover_id, stocktake_id, ACTOR)
    emit(doc, as_json, lambda d: f"handover list {d['id']} checked: " +
         ", ".join(f"{k} {v}" for k, v in d["summary"].items()))


@handover_group.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json: bool) -> None:
    """Every handover list, newest first."""
    with failing_cleanly(as_json), db().reading() as s:
        doc = [states.as_row(h) for h in states.listing(s)]
    emit(doc, as_json, lambda d: "\n".join(
        f"{r['id']:>5} {r['state']:<8} {r['fonds']:<8} {r['rows']:>7} rows {r['boxes']:>6} boxes  "
        f"{r['from']} → {r['to']}" for r in d))


@handover_group.command("official")
@click.option("--fonds", required=True, help="Code of the fonds whose register is listed.")
@click.option("--part", type=click.Choice(official.PARTS), default="both", show_default=True,
              help="Completed files, not-completed files (unfinished work for the successor), or both.")
@click.option("--xlsx", "xlsx_path", type=OUT)
@click.option("--pdf", "pdf_path", type=OUT)
def official_command(fonds: str, part: str, xlsx_path: Path | None, pdf_path: Path | None) -> None:
    """Write the register of a fonds as the official mục lục hồ sơ (Nghị định 30/2020, Phụ lục V)."""
    if not xlsx_path and not pdf_path:
        raise click.UsageError("give --xlsx FILE, --pdf FILE or both")
    with failing_cleanly(), db().transaction() as s:
        catalogue = official.load(s, fonds, part)
        for path, render in ((xlsx_path, official.xlsx), (pdf_path, official.pdf)):
            if path:
                path.write_bytes(render(catalogue))
                say(f"wrote {path}")
        audit.record(s, ACTOR, "handover.official", f"fonds:{catalogue.fonds}", part=part,
                     files=catalogue.total, formats=[p.suffix for p in (xlsx_path, pdf_path) if p])


COMMANDS = (handover_group,)
