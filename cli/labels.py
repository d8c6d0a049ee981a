"""`labels pdf|zpl (--fonds CODE | --boxes CODE,… | --homed PREFIX | --locations PREFIX)`: label sheets
and thermal/RFID printer streams; `labels templates`, `labels runs`, `labels send-font`.

--locations prints the labels of the locations whose code starts with PREFIX (every kind unless
--kinds says which), never the boxes on them; --homed prints the labels of the boxes whose home
shelf code starts with PREFIX. Progress goes to stderr; every run is recorded and audited."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from labels import Label, LabelError, zpl
from labels.fonts import FONT_DIR
from labels.output import Settings, settings_from, write
from warehouse.boxes import get_box
from warehouse.errors import Refused
from warehouse.labelling import runs
from warehouse.labelling.selection import Selection, selection
from warehouse.labelling.texts import LabelText, check_fields

labels_group = AppGroup("labels", help="Print box and location labels: PDF sheets, ZPL for thermal and RFID printers.")
ACTOR = "cli"


@contextmanager
def cleanly(as_json: bool) -> Iterator[None]:
    """Kho's, the renderers' and the file system's errors alike: the reason on stderr, exit 1."""
    with failing_cleanly(as_json):
        try:
            yield
        except LabelError as e:
            raise Refused(str(e)) from e
        except OSError as e:
            raise Refused(f"{e.filename or 'the output'}: {e.strerror or e}") from e


def label_settings() -> Settings:
    return settings_from(current_app.config)


def choose(fonds: str | None, boxes: str | None, homed: str | None, locations: str | None,
           kinds: str | None) -> Selection:
    given = {k: v for k, v in (("fonds", fonds), ("boxes", boxes), ("homed", homed),
                               ("locations", locations)) if v}
    if len(given) != 1:
        raise click.UsageError("give exactly one of --fonds CODE, --boxes CODE,…, --homed PREFIX, --locations PREFIX")
    (kind, value), = given.items()
    if kinds and kind != "locations":
        raise click.UsageError("--kinds goes with --locations")
    return selection(kind, value, [k.strip() for k in (kinds or "").split(",") if k.strip()])


def selecting(command):
    """The options that say which labels to print."""
    for option in reversed((
            click.option("--fonds", help="Every box of this fonds (its code)."),
            click.option("--boxes", help="These boxes: codes separated by commas."),
            click.option("--homed", metavar="PREFIX", help="The boxes whose home shelf code starts with PREFIX."),
            click.option("--locations", metavar="PREFIX", help="The labels of the locations whose code starts "
                         "with PREFIX (shelves, racks, rows, gates, checkpoints), not the boxes on them."),
            click.option("--kinds", help="With --locations: only these kinds (e.g. ngan,gia,cong,diem)."),
            click.option("--template", help="A label template (see `labels templates`)."),
            click.option("--json", "as_json", is_flag=True, help="Print the run as one JSON document."))):
        command = option(command)
    return command


def _progress():
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= 0.5:
            last[0] = now
            say(f"{done}/{total} labels")

    return report


def run_labels(sel: Selection, output: str, template_name: str | None, out: Path | None = None,
               printer: str = "", rfid: bool = False) -> dict:
    """Record a run, render it with progress on stderr and finish it; the run as a document."""
    conf = label_settings()
    template = conf.get(template_name, conf.template if output == "pdf" else conf.thermal)
    fields = check_fields(template.fields)
    with db().transaction() as s:
        run_id = runs.create_run(s, ACTOR, sel, output, template.name, rfid,
                                 destination=printer or str(out)).id
    codes: list[str] = []

    def render(texts: list[LabelText], progress) -> None:
        codes.extend(t.code for t in texts)
        write([Label(t.code, t.lines, t.strong, t.epc) for t in texts], template, output, path=out,
              printer=printer, dpi=conf.dpi, font=conf.font, rfid=rfid, progress=progress)

    run = runs.execute(db(), run_id, ACTOR, render, fields, current_app.config.get("GIAI_COMPANY_PREFIX", ""),
                       progress=_progress())
    return {"run": run.id, "labels": run.done, "output": output, "template": template.name,
            "out": str(out) if out else None, "printer": printer or None, "rfid": rfid, "codes": codes}


def _said(doc: dict) -> str:
    where = doc["out"] or f"printer {doc['printer']}"
    return f"{doc['labels']} labels ({doc['template']}) → {where}, print run {doc['run']}"


@labels_group.command("pdf")
@selecting
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The PDF to write.")
def pdf_command(fonds, boxes, homed, locations, kinds, template, as_json, out) -> None:
    """A PDF of label sheets (A4 label stock by default)."""
    with cleanly(as_json):
        doc = run_labels(choose(fonds, boxes, homed, locations, kinds), "pdf", template, out=out)
    emit(doc, as_json, _said)


@labels_group.command("zpl")
@selecting
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the ZPL to this file.")
@click.option("--printer", metavar="HOST:PORT", help="Send the ZPL to this printer (port 9100 unless given).")
@click.option("--rfid/--no-rfid", default=None, help="Also write each box's GIAI-96 EPC to its tag "
              "(boxes without an EPC get one). Default: LABEL_PRINTER_RFID in config.toml.")
def zpl_command(fonds, boxes, homed, locations, kinds, template, as_json, out, printer, rfid) -> None:
    """ZPL for a thermal (or RFID) printer, to a file or straight to the printer."""
    with cleanly(as_json):
        sel = choose(fonds, boxes, homed, locations, kinds)
        conf = label_settings()
        printer = printer or ("" if out else conf.printer)
        if not out and not printer:
            raise Refused("give --out FILE or --printer HOST:PORT (or LABEL_PRINTER in config.toml)")
        rfid = (conf.rfid if rfid is None else rfid) and sel.of_boxes
        doc = run_labels(sel, "zpl", template, out=out, printer=printer, rfid=rfid)
    emit(doc, as_json, _said)


@labels_group.command("templates")
@click.option("--json", "as_json", is_flag=True)
def templates_command(as_json: bool) -> None:
    """The label templates: built in and from config.toml."""
    with cleanly(as_json):
        conf = label_settings()
    rows = [{"name": t.name, "title": t.title, "page": list(t.page), "label": list(t.label),
             "grid": list(t.grid), "per_page": t.per_page, "fields": list(t.fields),
             "default": t.name in (conf.template, conf.thermal)} for t in conf.templates.values()]
    emit(rows, as_json, lambda rs: "\n".join(
        f"{r['name']}\t{r['title']}\t{r['per_page']}/page{'  (default)' if r['default'] else ''}" for r in rs))


@labels_group.command("runs")
@click.option("--box", help="Only the runs that printed this box's label.")
@click.option("--json", "as_json", is_flag=True)
def runs_command(box: str | None, as_json: bool) -> None:
    """Recent print runs, or those that printed one box."""
    with cleanly(as_json), db().reading() as s:
        if box:
            rows = [{"run": p.run, "at": p.at, "by": p.actor, "output": p.output, "template": p.template,
                     "destination": p.destination, "epc": p.epc}
                    for p in runs.box_print_runs(s, get_box(s, box).id)]
        else:
            rows = [{"run": r.id, "at": r.finished_at or r.created_at, "by": r.created_by, "output": r.output,
                     "template": r.template, "selection": r.selection, "value": r.value, "status": r.status,
                     "labels": r.done, "destination": r.destination} for r in runs.recent_runs(s, 50)]
    emit(rows, as_json, lambda rs: "\n".join(
        f"{r['run']}\t{r['at']}\t{r['by']}\t{r['output']}\t{r['template']}\t{r['destination']}" for r in rs))


@labels_group.command("send-font")
@click.option("--printer", metavar="HOST:PORT", help="The printer (default: LABEL_PRINTER in config.toml).")
@click.option("--name", default="E:DEJAVU.TTF", show_default=True, help="Where the printer keeps the font.")
def send_font_command(printer: str | None, name: str) -> None:
    """Store DejaVu Sans on a ZPL printer (once), for Vietnamese text: then set LABEL_PRINTER_FONT to its name."""
    with cleanly(False):
        printer = printer or label_settings().printer
        if not printer:
            raise Refused("give --printer HOST:PORT")
        sent = zpl.send(zpl.font_download((FONT_DIR / "DejaVuSans.ttf").read_bytes(), name), printer)
    say(f"sent {sent} bytes: {name} on {printer}; set LABEL_PRINTER_FONT = \"{name}\" in config.toml")


COMMANDS = (labels_group,)
