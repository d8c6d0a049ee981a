"""The scanner daemon into a real database: exactly once, through the database being cut off."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import text

from cli.scanner import _wiring
from scanner import open_driver
from scanner.daemon import Daemon
from scanner.spool import Spool, waiting
from tests.conftest import PG_URL
from tests.integration.daemon_peers import FakeScanner, cut_off, stored, wait_for
from warehouse import readers
from warehouse.models import Location
from warehouse.stocktake.sessions import open_stocktake


def codes(first: int, last: int) -> list[str]:
    return [f"P012-H{n:04d}" for n in range(first, last + 1)]


def test_a_replayed_file_is_stored_exactly_once(runner, db, tmp_path):
    reads = tmp_path / "reads.jsonl"
    reads.write_text("".join(json.dumps({"code": c, "kind": "barcode", "at": f"2026-03-01T08:{n // 60:02d}:"
                                         f"{n % 60:02d}+07:00"}) + "\n"
                             for n, c in enumerate(codes(1, 450))))
    result = runner.invoke(args=["scanner", "run", "--once", "--json", "--spool", str(tmp_path / "spool"),
                                 "--scanner", f"HH-01=file://{reads}"])
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)
    assert totals["read"] == totals["accepted"] == 450 and totals["waiting"] == 0
    assert stored(db, "HH-01") == list(enumerate(codes(1, 450), 1))
    with db.reading() as s:
        (state,) = readers.listing(s)
    assert (state["name"], state["state"]) == ("HH-01", "disconnected")
    assert state["url"] == f"file://{reads}"


def test_a_bad_scanner_url_is_refused_by_its_option_and_nothing_runs(runner, tmp_path):
    result = runner.invoke(args=["scanner", "run", "--once", "--spool", str(tmp_path / "spool"),
                                 "--scanner", "HH-01=serial:///dev/ttyACM0?baud=9600"])
    assert result.exit_code == 1
    assert "unknown option 'baud'" in result.stderr
    assert not (tmp_path / "spool").exists()


def test_two_scanners_with_one_name_are_refused(runner, tmp_path):
    result = runner.invoke(args=["scanner", "run", "--spool", str(tmp_path / "spool"),
                                 "--scanner", "HH=sim://", "--scanner", "HH=sim://?seed=2"])
    assert result.exit_code == 1 and "configured twice" in result.stderr


def test_without_scanners_the_daemon_refuses_to_idle(runner, tmp_path):
    result = runner.invoke(args=["scanner", "run", "--spool", str(tmp_path / "spool")])
    assert result.exit_code == 1 and "no scanners configured" in result.stderr


@pytest.fixture
def scanner():
    fake = FakeScanner()
    yield fake
    fake.close()


@pytest.fixture
def daemon_of(app, tmp_path):
    """daemon_of(drivers) runs a daemon wired to the app's database in a thread until the test ends."""
    running = []

    def start(drivers: dict) -> Daemon:
        with app.app_context():
            wiring = _wiring(None)
        spool = Spool(tmp_path / "spool")
        daemon = Daemon({name: open_driver(url) for name, url in drivers.items()}, spool, **wiring,
                        retry=0.05, retry_max=0.2, linger=0.05, report_every=0.1, log=lambda m: None)
        thread = threading.Thread(target=daemon.run, daemon=True)
        thread.start()
        running.append((daemon, thread, spool))
        return daemon

    yield start
    for daemon, thread, spool in running:
        daemon.stop()
        thread.join(timeout=30)
        spool.close()


def test_reads_made_while_the_database_is_cut_off_are_stored_once_when_it_returns(db, daemon_of, scanner,
                                                                                   tmp_path):
    daemon = daemon_of({"HH-01": f"serial://{scanner.port}?suffix=CR&gap=0.01"})
    wait_for(lambda: daemon.readers["HH-01"].driver.status.state == "connected", "the port to open")
    scanner.send(codes(1, 20))
    wait_for(lambda: len(stored(db, "HH-01")) == 20, "the first reads in the database")
    with cut_off(db, PG_URL):
        failures = daemon.totals["failures"]
        scanner.send(codes(21, 50))
        wait_for(lambda: daemon.spool.pending == 30, "the reads to be spooled")
        wait_for(lambda: daemon.totals["failures"] >= failures + 2, "deliveries to fail and back off")
        assert waiting(tmp_path / "spool") == 30
    scanner.send(codes(51, 60))
    wait_for(lambda: len(stored(db, "HH-01")) == 60 and daemon.spool.pending == 0, "every read stored")
    rows = stored(db, "HH-01")
    assert [code for _seq, code in rows] == codes(1, 60)
    assert [seq for seq, _code in rows] == list(range(1, 61))
    assert daemon.totals["accepted"] == 60 and daemon.totals["refused"] == 0
    assert (tmp_path / "spool" / "spool.jsonl").stat().st_size == 0
    assert daemon.readers["HH-01"].driver.status.errors == scanner.noisy  # the noise, nothing else
    with db.reading() as s:
        wait_for(lambda: readers.listing(s)[0]["state"] == "connected", "the state to be reported")


def test_two_devices_through_a_cut_keep_their_own_seqs(db, daemon_of, scanner):
    daemon = daemon_of({"HH-01": f"serial://{scanner.port}?suffix=CR&gap=0.01",
                        "SIM": "sim://?rate=400&seed=5&count=150"})
    wait_for(lambda: daemon.readers["HH-01"].driver.status.state == "connected", "the port to open")
    with cut_off(db, PG_URL):
        scanner.send(codes(1, 10))
        wait_for(lambda: daemon.readers["SIM"].done.is_set() and daemon.totals["read"] == 160
                 and daemon.totals["failures"] >= 1, "every read spooled, deliveries failing")
    wait_for(lambda: daemon.spool.pending == 0, "the spool to drain")
    assert stored(db, "HH-01") == list(enumerate(codes(1, 10), 1))
    assert [seq for seq, _code in stored(db, "SIM")] == list(range(1, 151))


def test_a_run_for_some_seconds_stores_everything_it_read(runner, db, tmp_path):
    result = runner.invoke(args=["scanner", "run", "--for", "0.5", "--json", "--spool", str(tmp_path / "spool"),
                                 "--scanner", "SIM=sim://?rate=200&seed=3"])
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)
    assert totals["read"] > 0 and totals["accepted"] == totals["read"] and totals["waiting"] == 0
    assert [seq for seq, _code in stored(db, "SIM")] == list(range(1, totals["read"] + 1))


def test_reads_of_a_stocktake_run_carry_it(runner, db, tmp_path):
    with db.transaction() as s:
        s.add(Location(code="K01", name="Kho 1", kind="kho", path="/K01/"))
        s.flush()
        sid = open_stocktake(s, actor="t", scope="K01")["id"]
    reads = tmp_path / "codes.txt"
    reads.write_text("K01-P01-D01-G01-N01\nP012-H0001\n")
    result = runner.invoke(args=["scanner", "run", "--once", "--stocktake", str(sid), "--spool",
                                 str(tmp_path / "spool"), "--scanner", f"HH-01=file://{reads}"])
    assert result.exit_code == 0, result.output
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT stocktake FROM scan_events")).scalars().all() == [sid, sid]


def test_a_run_for_a_stocktake_that_does_not_exist_does_not_start(runner, db, tmp_path):
    reads = tmp_path / "codes.txt"
    reads.write_text("P012-H0001\n")
    result = runner.invoke(args=["scanner", "run", "--once", "--stocktake", "5", "--spool",
                                 str(tmp_path / "spool"), "--scanner", f"HH-01=file://{reads}"])
    assert result.exit_code == 1 and "no stock-take 5" in result.output
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM scan_events")).scalar() == 0
