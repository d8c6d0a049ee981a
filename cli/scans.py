"""`scans ingest FILE.jsonl`: feed a file of scan events (one JSON object a line) to the ingest service.

The file is read in chunks (one transaction each, so memory stays flat and a rerun after a crash
counts what was stored as duplicates); the answer is one result for the whole file, with refused
events named by their line in the file."""

from __future__ import annotations

import itertools
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from warehouse.scans.events import decode_lines
from warehouse.scans.ingest import IngestResult, ScanRules, ingest
from warehouse.stocktake import sessions as stocktakes

scans = AppGroup("scans", help="Scan events: ingest files of reads.")
CHUNK = 5000


def _summary(result: dict) -> str:
    lines = [(f"accepted {result['accepted']}, duplicates {result['duplicates']}, "
             f"refused {len(result['refused'])}, sightings {result['sightings']}, "
             f"unknown codes {len(result['unknown'])}")]
    lines += [f"line {r['line']}: {r['error']}" for r in result["refused"]]
    return "\n".join(lines)


@scans.command("ingest")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--stocktake", type=click.IntRange(min=1), help="Stock-take id for events without a context.")
@click.option("--chunk", type=click.IntRange(min=1), default=CHUNK, show_default=True,
              help="Events per transaction.")
@click.option("--json", "as_json", is_flag=True)
def ingest_file(path: Path, stocktake: int | None, chunk: int, as_json: bool) -> None:
    """Ingest a JSONL file of scan events; refused events are listed with their line numbers."""
    rules = ScanRules.from_settings(current_app.config)
    total, known = IngestResult(), {}
    with failing_cleanly(as_json), open(path, encoding="utf-8-sig") as handle:
        if stocktake is not None:
            with db().reading() as s:
                stocktakes.find(s, stocktake)  # no such stock-take: say so before reading a line
        numbered = enumerate(handle, start=1)
        for count in itertools.count(1):
            part = list(itertools.islice(numbered, chunk))
            if not part:
                break
            raws, lines, refused = decode_lines(part)
            with db().transaction() as session:
                result = ingest(session, raws, actor="cli", stocktake=stocktake, lines=lines, rules=rules,
                                known=known)
            result.refused.extend(refused)
            total.add(result)
            if count % 10 == 0:
                say(f"{part[-1][0]} lines read")
    emit(total.to_json(), as_json, _summary)


COMMANDS = (scans,)
