"""`stocktake` on the command line, as CONTRACT.md drives it: one JSON document per command, reads by
`scans ingest --stocktake`, refusals exit 1 with the reason on stderr; exports in XLSX and PDF."""

import json
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.integration.test_stocktake_service import EPC4, N1, N2, ev, seed


def run(runner, *args):
    result = runner.invoke(args=[*map(str, args)])
    doc = json.loads(result.stdout) if "--json" in args and result.stdout.strip() else None
    return result, doc


def ingest_file(runner, tmp_path, events, stocktake):
    path = tmp_path / f"reads-{stocktake}-{events[0]['device']}-{events[0]['seq']}.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    result, doc = run(runner, "scans", "ingest", path, "--stocktake", stocktake, "--json")
    assert result.exit_code == 0, result.stderr
    return doc


def counted(db, runner, tmp_path) -> int:
    seed(db)
    result, doc = run(runner, "stocktake", "open", "--scope", "K01", "--json")
    assert result.exit_code == 0, result.stderr
    assert set(doc) >= {"id", "expected"} and doc["expected"] == 7
    sid = doc["id"]
    ingest_file(runner, tmp_path, [ev("HH-01", 1, N1, 0), ev("HH-01", 2, "P012-H0001", 1),
                                   ev("HH-01", 3, "K01-D01-G02", 2), ev("HH-01", 4, "P012-H0005", 3),
                                   ev("HH-01", 5, "K01-C01", 4), ev("HH-01", 6, "P012-H0006", 5),
                                   ev("HH-01", 7, "UNKNOWN-7", 6)], sid)
    ingest_file(runner, tmp_path, [ev("RF-01", 1, EPC4.lower(), 7, kind="rfid", location=N1),
                                   ev("HH-02", 1, N2, 8), ev("HH-02", 2, "P031-H0002", 9)], sid)
    return sid


def test_close_prints_the_contract_document(db, runner, tmp_path):
    sid = counted(db, runner, tmp_path)
    result, doc = run(runner, "stocktake", "close", sid, "--json")
    assert result.exit_code == 0, result.stderr
    assert doc["id"] == sid
    assert doc["found"] == ["P012-H0001", "P012-H0004"]  # the RFID read names its box by EPC
    assert doc["misplaced"] == [{"box": "P012-H0005", "expected": N2, "found": "K01-D01-G02"}]
    assert doc["unlocated"] == ["P012-H0006"]
    assert doc["missing"] == ["P012-H0002", "P012-H0003", "P031-H0001"]
    assert doc["unexpected"] == ["P031-H0002", "UNKNOWN-7"]
    assert result.stdout.count("\n") == 1  # exactly one JSON document


def test_a_closed_stock_take_refuses_a_second_close_and_keeps_its_result(db, runner, tmp_path):
    sid = counted(db, runner, tmp_path)
    _, first = run(runner, "stocktake", "close", sid, "--json")
    ingest_file(runner, tmp_path, [ev("HH-03", 1, N1, 50), ev("HH-03", 2, "P012-H0002", 51)], sid)
    again, _ = run(runner, "stocktake", "close", sid, "--json")
    assert again.exit_code == 1 and "closed" in again.stderr
    result, doc = run(runner, "stocktake", "result", sid, "--json")
    assert result.exit_code == 0 and doc == {**first, "apart": []}  # the close document and what was apart


@pytest.mark.parametrize("args, reason", [
    (("stocktake", "open", "--json"), "scope"),
    (("stocktake", "open", "--scope", "K77", "--json"), "K77"),
    (("stocktake", "close", "99", "--json"), "99"),
    (("stocktake", "recount", "99", N1, "--json"), "99"),
])
def test_refusals_exit_1_with_the_reason_on_stderr(db, runner, args, reason):
    seed(db)
    result, _ = run(runner, *args)
    assert result.exit_code == 1 and reason in result.stderr


def test_recount_progress_and_list_print_json(db, runner, tmp_path):
    sid = counted(db, runner, tmp_path)
    result, doc = run(runner, "stocktake", "recount", sid, N1, "--json")
    assert result.exit_code == 0 and doc == {"id": sid, "recount": doc["recount"], "shelf": N1, "set_aside": 2}
    _, prog = run(runner, "stocktake", "progress", sid, "--json")
    assert {s["shelf"]: s["seen"] for s in prog["shelves"]}[N1] == 0
    assert prog["recounts"][0]["shelf"] == N1
    _, listing = run(runner, "stocktake", "list", "--json")
    assert [(t["id"], t["state"], t["scope"], t["expected"]) for t in listing] == [(sid, "open", "K01", 7)]


def test_compare_prints_what_changed(db, runner, tmp_path):
    first = counted(db, runner, tmp_path)
    run(runner, "stocktake", "close", first, "--json")
    _, second = run(runner, "stocktake", "open", "--scope", "K01", "--json")
    ingest_file(runner, tmp_path, [ev("HH-07", 1, N1, 0), ev("HH-07", 2, "P012-H0002", 1)], second["id"])
    run(runner, "stocktake", "close", second["id"], "--json")
    result, doc = run(runner, "stocktake", "compare", first, second["id"], "--json")
    assert result.exit_code == 0, result.stderr
    assert doc["found_again"] == ["P012-H0002"] and "P012-H0001" in doc["newly_missing"]


def test_exports_write_a_workbook_and_a_pdf_with_vietnamese_text(db, runner, tmp_path):
    sid = counted(db, runner, tmp_path)
    refused, _ = run(runner, "stocktake", "export", sid, "--xlsx", tmp_path / "early.xlsx")
    assert refused.exit_code == 1 and not (tmp_path / "early.xlsx").exists()
    run(runner, "stocktake", "close", sid, "--json")
    result, _ = run(runner, "stocktake", "export", sid, "--xlsx", tmp_path / "r.xlsx", "--pdf", tmp_path / "r.pdf")
    assert result.exit_code == 0, result.stderr
    book = load_workbook(tmp_path / "r.xlsx")
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert "K01 – Kho lưu trữ lịch sử tỉnh - Kho 1" in summary.values()
    assert "cli" in " ".join(str(v) for v in summary.values())  # who opened and closed it
    lines = list(book.worksheets[1].iter_rows(values_only=True))[1:]
    assert len(lines) == 9 and lines[0][1] == "P012-H0002"  # missing first, then by code
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Kho lưu trữ lịch sử tỉnh" in text and "P012-H0005" in text and "UNKNOWN-7" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "r.pdf")], check=True, capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts
