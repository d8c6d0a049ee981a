"""Tracking on the command line, both databases: one JSON document per command, refusals exit 1 with the
reason on stderr, the transfer PDF and the search XLSX written, facts alert rules will use."""

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook

from tests.integration.test_tracking_service import GATE, M1, N1, N3, Clock, build, scan
from warehouse.tracking import checkouts, facts, transfers


def run(runner, *args):
    result = runner.invoke(args=[*map(str, args)])
    doc = json.loads(result.stdout) if "--json" in args and result.exit_code == 0 else None
    return result, doc


def test_move_commands_print_the_order_and_refuse_with_the_reason(db, runner):
    build(db)
    result, order = run(runner, "move", "order", "P001-H0001", "--to", N3, "--reason", "Dồn ngăn",
                        "--approved-by", "Trưởng kho", "--json")
    assert result.exit_code == 0 and result.stdout.count("\n") == 1
    assert (order["to"], order["state"], order["boxes"][0]["box"], order["boxes"][0]["from"]) == (
        N3, "open", "P001-H0001", N1)
    result, _ = run(runner, "move", "order", "P001-H0001", "--to", N3, "--reason", "x", "--approved-by", "y",
                    "--json")
    assert result.exit_code == 1 and "already on an open move order" in result.stderr
    _, listed = run(runner, "move", "list", "--state", "open", "--json")
    assert [(o["id"], o["boxes"], o["moved"]) for o in listed] == [(order["id"], 1, 0)]
    _, done = run(runner, "move", "done", order["id"], "P001-H0001", "--json")
    assert done["state"] == "done" and done["boxes"][0]["done_by"] == "cli"
    result, _ = run(runner, "move", "cancel", order["id"])
    assert result.exit_code == 1 and "is done" in result.stderr


def test_transfer_commands_and_the_pdf(db, runner, tmp_path):
    build(db)
    expected = datetime(2030, 1, 2, 15, 30, tzinfo=UTC).isoformat()
    result, t = run(runner, "transfer", "create", "P001-H0004", "P001-H0005", "--from", "K01", "--to", "K02",
                    "--seal", "S-1", "--seal", "S-2", "--person", "Lê Văn Tám", "--expected", expected, "--json")
    assert result.exit_code == 0, result.stderr
    assert (t["seals"], t["people"], t["expected_at"][:16]) == ("S-1, S-2", "Lê Văn Tám", "2030-01-02T15:30")
    assert run(runner, "transfer", "dispatch", t["id"], "--json")[0].exit_code == 1  # nothing loaded yet
    _, loaded = run(runner, "transfer", "load", t["id"], "P001-H0004", "--json")
    assert loaded["counts"]["in_transit"] == 1
    _, sent = run(runner, "transfer", "dispatch", t["id"], "--json")
    assert sent["counts"] == {"listed": 1, "in_transit": 1, "received": 0, "missing": 0, "unlisted": 0}
    _, got = run(runner, "transfer", "receive", t["id"], "P001-H0004", "P001-H0001", "--json")
    assert got["state"] == "received" and got["counts"]["unlisted"] == 1
    _, rows = run(runner, "transfer", "list", "--json")
    assert [(r["id"], r["state"], r["destination"]) for r in rows] == [(t["id"], "received", "K02")]
    result, _ = run(runner, "transfer", "create", "P001-H0006", "--from", "K01", "--to", "K02", "--expected",
                    "2030-01-02 15:30", "--json")
    assert result.exit_code == 1 and "offset" in result.stderr
    out = tmp_path / "t.pdf"
    result, _ = run(runner, "transfer", "pdf", t["id"], "--out", out)
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
        assert "Lê Văn Tám" in text and "P001-H0001" in text


def test_checkout_and_dispose_commands(db, runner):
    build(db)
    due = (date.today() + timedelta(days=3)).isoformat()
    _, out = run(runner, "checkout", "out", "P001-H0001", "P001-H0002", "--to", "office", "--place", "Phòng Nội vụ",
                 "--borrower", "Bình", "--due", due, "--json")
    assert [b["box"] for b in out["boxes"]] == ["P001-H0001", "P001-H0002"]
    _, back = run(runner, "checkout", "in", out["id"], "P001-H0001", "--json")
    assert [b["returned_by"] for b in back["boxes"]] == ["cli", None]
    _, still = run(runner, "checkout", "list", "--open", "--json")
    assert [(c["id"], c["boxes"], c["returned"]) for c in still] == [(out["id"], 2, 1)]
    _, found = run(runner, "dispose", "candidates", "--on", "2011-01-01", "--json")
    assert len(found["files"]) == 8 and found["boxes"] == []
    result, _ = run(runner, "dispose", "record", "--number", "1/QĐ", "--date", "2011-01-01", "--body", "UBND",
                    "--box", "P001-H0007", "--json")
    assert result.exit_code == 1 and "not past its retention" in result.stderr
    result, decision = run(runner, "dispose", "record", "--number", "1/QĐ", "--date", "2012-01-01", "--body", "UBND",
                           "--box", "P001-H0007", "--json")
    assert result.exit_code == 0 and decision["boxes_destroyed"] == ["P001-H0007"]
    _, decisions = run(runner, "dispose", "list", "--json")
    assert [(d["number"], d["files"], d["boxes"]) for d in decisions] == [("1/QĐ", 2, 1)]


def test_box_commands_where_history_and_search_with_xlsx(db, runner, tmp_path):
    build(db)
    scan(db, "HH-01", [N3, "P001-H0001"], Clock())
    _, where = run(runner, "box", "where", "p001-h0001", "--json")
    assert (where["code"], where["state"], where["place"], where["home"]) == ("P001-H0001", "on_shelf", N3, N1)
    _, timeline = run(runner, "box", "history", "P001-H0001", "--json")
    assert [(e["kind"], e["place"], e["device"]) for e in timeline] == [("alert", N3, None), ("sighting", N3, "HH-01")]
    assert (timeline[0]["detail"]["kind"], timeline[0]["at"]) == ("misplaced", timeline[1]["at"])  # the read raised it
    book = tmp_path / "found.xlsx"
    result, found = run(runner, "box", "search", "--state", "misplaced", "--files", "--xlsx", book, "--json")
    assert result.exit_code == 0, result.stderr
    assert [(b["code"], b["place"], b["misplaced"]) for b in found["boxes"]] == [("P001-H0001", N3, True)]
    assert [f["number"] for f in found["files"]] == ["1.1", "1.2"]
    sheets = load_workbook(book).worksheets
    assert [r[0] for r in sheets[0].iter_rows(min_row=2, values_only=True)] == ["P001-H0001"]
    result, _ = run(runner, "box", "search", "--place", "NOWHERE", "--json")
    assert result.exit_code == 1 and "NOWHERE" in result.stderr
    assert run(runner, "box", "history", "P404-H0001", "--json")[0].exit_code == 1


def test_facts_for_alert_rules_overdue_transfers_check_outs_and_uncovered_gate_reads(db):
    build(db)
    clock = Clock()
    with db.transaction() as s:
        tid = transfers.create_transfer(s, "anna", ["P001-H0004"], "K01", destination="K02",
                                        expected_at=datetime.now(UTC) - timedelta(hours=1))["id"]
        transfers.dispatch(s, "anna", tid, load_all=True)
        lent = checkouts.check_out(s, "anna", ["P001-H0002"], kind="office", borrower="Bình", due_on=date.today())
    scan(db, "RF-GATE", ["P001-H0001", "P001-H0002", "P001-H0004"], clock, location=GATE)
    scan(db, "HH-01", [M1, "P001-H0003"], clock)
    with db.reading() as s:
        late = facts.overdue_transfers(s, datetime.now(UTC))
        overdue = facts.overdue_checkouts(s, date.today() + timedelta(days=1))
        exits = facts.uncovered_gate_reads(s, datetime.now(UTC) - timedelta(hours=1))
    assert [(t["transfer"], t["boxes"]) for t in late] == [(tid, ["P001-H0004"])]
    assert [(c["checkout"], c["boxes"]) for c in overdue] == [(lent["id"], ["P001-H0002"])]
    assert [(r["box"], r["gate"], r["device"]) for r in exits] == [("P001-H0001", GATE, "RF-GATE")]
