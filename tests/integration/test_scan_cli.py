"""`flask scans ingest FILE.jsonl`: one result per file, refused events named by their file line."""

import json

from sqlalchemy import func, select

from tests.integration.test_scan_ingest import SHELVES, build_world, read
from warehouse import audit
from warehouse.models import AuditEntry, ScanEvent
from warehouse.stocktake.sessions import open_stocktake


def write(path, lines):
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                    encoding="utf-8")
    return str(path)


def ingest_cli(runner, *args):
    result = runner.invoke(args=["scans", "ingest", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_file_is_ingested_once_and_a_second_time_is_all_duplicates(db, runner, tmp_path):
    build_world(db)
    path = write(tmp_path / "reads.jsonl", [read(1, SHELVES[0]), read(2, "P001-H0001"), read(2, "P001-H0001")])
    first = ingest_cli(runner, path, "--json")
    assert {k: first[k] for k in ("accepted", "duplicates", "refused")} == {"accepted": 2, "duplicates": 1,
                                                                          "refused": []}
    again = ingest_cli(runner, path, "--json")
    assert (again["accepted"], again["duplicates"]) == (0, 3)


def test_refused_lines_are_named_by_their_line_in_the_file_across_chunks(db, runner, tmp_path):
    build_world(db)
    lines = [read(n, "P001-H0001") for n in range(1, 8)]
    lines[2] = "{not json"
    lines[4] = ""
    lines[5] = dict(read(6, "P001-H0001"), kind="qr")
    path = write(tmp_path / "reads.jsonl", lines)
    got = ingest_cli(runner, path, "--json", "--chunk", "2")
    assert got["accepted"] == 4
    assert [(r["line"], r["device"], r["seq"]) for r in got["refused"]] == [(3, None, None), (6, "HH-01", 6)]
    assert got["refused"][0]["error"].startswith("bad JSON")


def test_chunks_are_one_audit_entry_each_and_the_chain_verifies(db, runner, tmp_path):
    build_world(db)
    path = write(tmp_path / "reads.jsonl", [read(n, "P001-H0002") for n in range(1, 8)])
    assert ingest_cli(runner, path, "--json", "--chunk", "3")["accepted"] == 7
    with db.transaction() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.action == "scans.ingest")) == 3
        assert audit.verify(s).ok
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_the_stocktake_option_gives_events_without_a_context_that_stocktake(db, runner, tmp_path):
    build_world(db)
    with db.transaction() as s:
        sid = open_stocktake(s, actor="t", scope="K01")["id"]
    path = write(tmp_path / "reads.jsonl", [read(1, "P001-H0001"), read(2, "P001-H0002", context={"patrol": 2})])
    ingest_cli(runner, path, "--stocktake", str(sid), "--json")
    with db.transaction() as s:
        assert s.execute(select(ScanEvent.seq, ScanEvent.stocktake).order_by(ScanEvent.seq)).all() == [
            (1, sid), (2, None)]


def test_a_stocktake_option_naming_no_stocktake_fails_before_reading_a_line(db, runner, tmp_path):
    build_world(db)
    path = write(tmp_path / "reads.jsonl", [read(1, "P001-H0001")])
    result = runner.invoke(args=["scans", "ingest", path, "--stocktake", "41", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "no stock-take 41"}
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == 0


def test_without_json_a_summary_is_printed_for_people(db, runner, tmp_path):
    build_world(db)
    path = write(tmp_path / "reads.jsonl", [read(1, "P001-H0001"), "[]"])
    result = runner.invoke(args=["scans", "ingest", path])
    assert result.exit_code == 0
    assert "accepted 1" in result.output and "line 2: an event must be a JSON object" in result.output


def test_a_missing_file_fails_with_the_reason(db, runner, tmp_path):
    result = runner.invoke(args=["scans", "ingest", str(tmp_path / "none.jsonl")])
    assert result.exit_code != 0 and "does not exist" in result.output
