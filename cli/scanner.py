"""`scanner run`: the scanner daemon — configured drivers → spool → ingest; `scanner status`."""

from __future__ import annotations

import json
import signal
import socket
import sys
import threading
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from scanner import UrlError, open_driver
from scanner.daemon import Daemon
from scanner.spool import Spool, SpoolBusy, waiting
from warehouse import readers, settings
from warehouse.errors import Refused

scanner = AppGroup("scanner", help="Serial scanners, file replays and the demo stream.")


def configured(entries, extra: tuple[str, ...]) -> dict:
    """Name → driver for config.toml's [[SCANNERS]] (NAME, URL) and --scanner NAME=URL."""
    if isinstance(entries, str):  # KHO_SCANNERS given as JSON text
        entries = json.loads(entries) if entries.strip() else []
    pairs = []
    for i, entry in enumerate(entries or [], 1):
        keys = {str(k).upper(): v for k, v in entry.items()} if isinstance(entry, dict) else {}
        if not keys.get("NAME") or not keys.get("URL"):
            raise Refused(f"SCANNERS entry {i} needs a NAME and a URL")
        pairs.append((str(keys["NAME"]).strip(), str(keys["URL"]).strip()))
    for given in extra:
        name, sep, url = given.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise Refused(f"--scanner {given!r}: write NAME=URL")
        pairs.append((name.strip(), url.strip()))
    drivers: dict = {}
    for name, url in pairs:
        if name in drivers:
            raise Refused(f"scanner {name!r} is configured twice: each device needs its own name")
        if len(name) > 80:
            raise Refused(f"scanner name {name!r} is longer than 80 characters")
        try:
            drivers[name] = open_driver(url)
        except UrlError as e:
            raise Refused(f"scanner {name}: {e}") from None
    return drivers


def spool_dir(given: str | None) -> Path:
    """The spool directory: --spool, else SPOOL_DIR (relative paths from the project folder)."""
    path = Path(given or current_app.config.get("SPOOL_DIR") or "instance/spool")
    return path if path.is_absolute() or given else settings.ROOT / path


def _stocktake_exists(stocktake: int) -> None:
    """Refuse to start for a stock-take that does not exist (its reads would all be refused); with the
    database away the daemon starts anyway: it spools, and the ingest service judges the reads later."""
    from sqlalchemy.exc import OperationalError

    from warehouse.stocktake.sessions import find

    try:
        with db().reading() as s:
            find(s, stocktake)
    except OperationalError:
        say(f"warning: the database is unreachable: stock-take {stocktake} is not checked")


def _wiring(stocktake: int | None) -> dict:
    """deliver, report and floor: ingest in its own transaction, device states, last seqs."""
    from warehouse.scans.ingest import ingest

    database, host = db(), socket.gethostname()

    def deliver(events: list[dict]):
        with database.transaction() as s:
            return ingest(s, events, actor="scanner", stocktake=stocktake)

    def report(states: list[dict]) -> None:
        with database.transaction() as s:
            readers.record(s, states, host)

    def floor(device: str) -> int | None:
        with database.reading() as s:
            return readers.last_seq(s, device)

    return {"deliver": deliver, "report": report, "floor": floor}


def _stop_on_signals(daemon: Daemon) -> dict:
    """SIGTERM and Ctrl-C stop the daemon cleanly (what is read stays spooled)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in previous:
        signal.signal(sig, lambda *_: daemon.stop())
    return previous


def _summary(totals: dict) -> str:
    return (f"read {totals['read']}, stored {totals['accepted']}, duplicates {totals['duplicates']}, "
            f"refused {totals['refused']}; {totals['waiting']} wait in the spool")


@scanner.command("run")
@click.option("--once", is_flag=True,
              help="Replay the drivers that end (file://, sim:// with count), deliver, exit.")
@click.option("--for", "seconds", type=click.FloatRange(min=0), help="Stop after SECONDS.")
@click.option("--scanner", "extra", multiple=True, metavar="NAME=URL",
              help="Run this driver too (besides config.toml's SCANNERS).")
@click.option("--stocktake", type=int, help="The reads belong to this stock-take.")
@click.option("--spool", "spool_path", type=click.Path(file_okay=False), help="Spool directory.")
@click.option("--json", "as_json", is_flag=True)
def run(once: bool, seconds: float | None, extra: tuple[str, ...], stocktake: int | None,
        spool_path: str | None, as_json: bool) -> None:
    """Read every configured scanner into the database; spool reads while it is unreachable."""
    with failing_cleanly(as_json):
        drivers = configured(current_app.config.get("SCANNERS"), extra)
        if not drivers and not once:
            raise Refused("no scanners configured: add [[SCANNERS]] NAME and URL to config.toml "
                          "or give --scanner NAME=URL")
        if stocktake is not None:
            _stocktake_exists(stocktake)
        try:
            spool = Spool(spool_dir(spool_path))
        except SpoolBusy as e:
            raise Refused(str(e)) from None
    try:
        daemon = Daemon(drivers, spool, **_wiring(stocktake), log=say)
        previous = _stop_on_signals(daemon)
        for name, driver in drivers.items():
            say(f"scanner {name}: {driver.url}")
        try:
            totals = daemon.run(once=once, seconds=seconds)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        spool.close()
    emit(totals, as_json, _summary)
    if once and totals["waiting"]:
        sys.exit(1)


@scanner.command("status")
@click.option("--spool", "spool_path", type=click.Path(file_okay=False), help="Spool directory.")
@click.option("--json", "as_json", is_flag=True)
def status(spool_path: str | None, as_json: bool) -> None:
    """Each scanner's last reported state, and how many reads wait in the spool."""
    with db().reading() as s:
        rows = readers.listing(s)
    data = {"waiting": waiting(spool_dir(spool_path)), "scanners": rows}
    emit(data, as_json, lambda d: "\n".join(
        [f"{r['name']}: {r['state']}{' (no report lately)' if r['stale'] else ''}, "
         f"{r['reads_per_minute']}/min, {r['errors']} errors, last read {r['last_read_at']}"
         for r in d["scanners"]] + [f"{d['waiting']} read(s) wait in the spool"]))


COMMANDS = (scanner,)
