"""`handover` on the command line as CONTRACT.md drives it, on both databases: import and reconcile print
one JSON document; refusals exit 1 with the reason on stderr; check, list and the official export."""

import json
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.integration.test_handover_service import GIVER, LIST_ROWS, RECEIVER, counted, field_list, seed


def run(runner, *args):
    result = runner.invoke(args=[*map(str, args)])
    doc = json.loads(result.stdout) if "--json" in args and result.stdout.strip() else None
    return result, doc


def imported(runner, path, *extra) -> dict:
    result, doc = run(runner, "handover", "import", path, "--fonds", "P002", "--from", GIVER, "--to", RECEIVER,
                      *extra, "--json")
    assert result.exit_code == 0, result.stderr
    return doc


def test_import_and_reconcile_print_the_contract_documents(db, runner, tmp_path):
    seed(db)
    sid = counted(db)
    doc = imported(runner, field_list(tmp_path), "--date", "15/07/2025", "--giver-name", "Nguyễn Văn A")
    assert {k: doc[k] for k in ("rows", "boxes")} == {"rows": LIST_ROWS, "boxes": 5}
    result, rec = run(runner, "handover", "reconcile", doc["id"], "--stocktake", sid, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1  # exactly one JSON document
    assert rec["summary"] | {} == {"listed": 5, "matched": 2, "missing": 2, "misplaced": 1, "extra": 1,
                                   "count_mismatch": 1, "unknown": 1, "not_counted": 0, "away": 0}
    assert rec["matched"] == ["P002-H0001", "P002-H0002"] and rec["missing"] == ["P002-H0004", "P002-H0009"]
    assert rec["misplaced"] == [{"box": "P002-H0003", "listed": "K01-D01-G02-N1", "found": "K01-D01-G01-N2"}]
    assert rec["extra"] == ["P002-H0005"]
    assert rec["count_mismatch"] == [{"box": "P002-H0002", "listed_files": 1, "found_files": 2}]
    _, listed = run(runner, "handover", "list", "--json")
    assert [(r["id"], r["state"], r["date"], r["giver_person"]) for r in listed] == [
        (doc["id"], "draft", "2025-07-15", "Nguyễn Văn A")]


def test_a_bad_list_exits_1_naming_every_row_and_column(db, runner, tmp_path):
    seed(db)
    path = tmp_path / "bad.csv"
    path.write_text("Hộp số,Số hồ sơ,Tiêu đề\nHộp một,01,A\n1,,B\n", encoding="utf-8")
    result, doc = run(runner, "handover", "import", path, "--fonds", "P002", "--from", GIVER, "--to", RECEIVER,
                      "--json")
    assert result.exit_code == 1
    assert [(e["row"], e["column"]) for e in doc["errors"]] == [(2, "Hộp số"), (3, "Số hồ sơ")]
    assert "row 2, column Hộp số" in result.stderr and "nothing was saved" in result.stderr
    _, listed = run(runner, "handover", "list", "--json")
    assert listed == []


@pytest.mark.parametrize("args, reason", [
    (("handover", "reconcile", 99, "--json"), "no handover list 99"),
    (("handover", "check", 99), "no handover list 99"),
    (("handover", "official", "--fonds", "P999", "--xlsx", "x.xlsx"), "P999"),
])
def test_unknown_things_exit_1_with_the_reason(db, runner, args, reason):
    seed(db)
    result, _ = run(runner, *args)
    assert result.exit_code == 1 and reason in result.stderr


def test_an_open_stocktake_is_refused_and_check_marks_a_list_checked(db, runner, tmp_path):
    seed(db)
    hid = imported(runner, field_list(tmp_path))["id"]
    _, opened = run(runner, "stocktake", "open", "--scope", "K01", "--json")
    result, _ = run(runner, "handover", "reconcile", hid, "--stocktake", opened["id"], "--json")
    assert result.exit_code == 1 and "still open" in result.stderr
    run(runner, "stocktake", "close", opened["id"], "--json")
    result, doc = run(runner, "handover", "check", hid, "--stocktake", opened["id"], "--json")
    assert result.exit_code == 0 and doc["state"] == "checked" and doc["summary"]["missing"] == 5  # nothing was read


def test_reconcile_writes_the_xlsx_report(db, runner, tmp_path):
    seed(db)
    sid = counted(db)
    hid = imported(runner, field_list(tmp_path))["id"]
    out = tmp_path / "doi-chieu.xlsx"
    result, _ = run(runner, "handover", "reconcile", hid, "--stocktake", sid, "--xlsx", out, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Boxes", "File counts"]
    assert [r[1] for r in book["Boxes"].iter_rows(min_row=2, values_only=True)][:2] == ["P002-H0004", "P002-H0009"]


def test_the_official_list_round_trips_as_a_handover_list(db, runner, tmp_path):
    seed(db)
    out, pdf = tmp_path / "muc-luc.xlsx", tmp_path / "muc-luc.pdf"
    result, _ = run(runner, "handover", "official", "--fonds", "P002", "--part", "completed", "--xlsx", out,
                    "--pdf", pdf)
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet["A1"].value == GIVER.upper() and sheet["A8"].value == "Hộp/cặp số"
    assert {"A10:A11", "A14:A15"} <= {str(r) for r in sheet.merged_cells.ranges}  # boxes 1 and 4
    doc = imported(runner, out)  # the giving side's own list reads back as a list of its completed files
    assert (doc["rows"], doc["boxes"], doc["known"]) == (8, 6, 6)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
        assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in text and "Viết bằng chữ: Tám hồ sơ" in text
