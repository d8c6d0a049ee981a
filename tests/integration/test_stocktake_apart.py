"""Boxes a stock-take lists apart, on both databases: a box checked out and a box in transit when a
count of store K01 opens are stored apart with their reason, stay apart however they move during the
count, and are named — with the reason in words — by the result and progress documents, the CLI, the
supervisor's and the result pages and the exports, so that the totals add up to the boxes in scope;
the counters' page of a blind count never shows them."""

import json
import shutil
import subprocess
from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_stocktake_web import open_form, post_reads, token
from tests.integration.test_tracking_service import N1, N2, Clock, build, scan
from warehouse.models import AuditEntry, Box, Location, StocktakeApart, StocktakeBox
from warehouse.stocktake import sessions
from warehouse.tracking import checkouts, transfers

OUT, AWAY = "P001-H0001", "P001-H0004"  # checked out to the reading room; on a transfer to K02
COUNTED = ("found", "misplaced", "missing", "unlocated")
APART = [{"box": OUT, "reason": "checked_out", "home": N1}, {"box": AWAY, "reason": "in_transit", "home": N2}]


@pytest.fixture
def app(app):
    """The pages' words are read in English here (the exports default to Vietnamese)."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return app


def held_away(db) -> int:
    """Store K01 (boxes 1–3 on shelf 1, 4–6 on shelf 2): box 1 checked out, box 4 dispatched to K02.
    Returns the checkout's id."""
    build(db)
    with db.transaction() as s:
        out = checkouts.check_out(s, "anna", [OUT], kind="reading_room", place="Phòng đọc 1",
                                  borrower="Nguyễn Thị Hoa", due_on=date.today() + timedelta(days=3))
        tid = transfers.create_transfer(s, "anna", [AWAY], "K01", destination="K02", vehicle="29C-123.45",
                                        seals="S-1", people="Lê Văn Tám")["id"]
        assert transfers.dispatch(s, "anna", tid, load_all=True)["counts"]["in_transit"] == 1
    return out["id"]


def in_scope(db, store: str = "K01") -> int:
    """Boxes of the register in stock whose home is in the store, counted straight from the tables."""
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Box).join(Location, Location.id == Box.home_id)
                        .where(Box.retired_at.is_(None), Location.path.startswith(f"/{store}/"))) or 0


def counted(doc: dict) -> int:
    return sum(len(doc[name]) for name in COUNTED)


def test_boxes_held_away_at_opening_are_stored_apart_and_the_count_accounts_for_every_box(db):
    checkout = held_away(db)
    with db.transaction() as s:
        opened = sessions.open_stocktake(s, actor="anna", scope="K01")
    sid = opened["id"]
    assert opened["expected"] == 4 and opened["excluded"] == [{"box": OUT, "reason": "checked_out"},
                                                              {"box": AWAY, "reason": "in_transit"}]
    assert opened["apart"]["checked_out"] == [OUT] and opened["apart"]["in_transit"] == [AWAY]
    with db.reading() as s:
        stored = {(code, reason) for code, reason in s.execute(
            select(Box.code, StocktakeApart.reason).join(Box, Box.id == StocktakeApart.box_id)
            .where(StocktakeApart.stocktake_id == sid))}
        expected = set(s.scalars(select(Box.code).join(StocktakeBox, StocktakeBox.box_id == Box.id)
                                 .where(StocktakeBox.stocktake_id == sid)))
        logged = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "stocktake.open"))
    assert stored == {(OUT, "checked_out"), (AWAY, "in_transit")}
    assert expected == {"P001-H0002", "P001-H0003", "P001-H0005", "P001-H0006"}  # the rest of the scope
    assert '"checked_out": 1' in logged and '"in_transit": 1' in logged
    with db.transaction() as s:  # back from the reading room during the count: still apart, not expected
        checkouts.check_in(s, "bao", checkout)
    scan(db, "HH-01", [N1, "P001-H0002", OUT, N2, "P001-H0005"], Clock(), context={"stocktake": sid})
    with db.transaction() as s:
        provisional = sessions.result(s, sid)
        closed = sessions.close(s, sid, "anna")
    assert provisional["provisional"] and provisional["apart"] == APART
    assert set(closed) == {"id", "expected", *sessions.LISTS}  # the contract's close document, unchanged
    assert closed["found"] == ["P001-H0002", "P001-H0005"]
    assert closed["missing"] == ["P001-H0003", "P001-H0006"] and closed["unexpected"] == [OUT]
    with db.reading() as s:
        result = sessions.result(s, sid)
    assert result == {**closed, "apart": APART}
    assert counted(result) + len(result["apart"]) == in_scope(db) == 6


def test_a_stock_take_of_a_fonds_lists_apart_what_is_away_wherever_its_home(db):
    held_away(db)
    with db.transaction() as s:
        opened = sessions.open_stocktake(s, actor="anna", fonds="P001")
    with db.transaction() as s:
        result = sessions.result(s, opened["id"])
    # boxes 7 and 8 have no home yet: of the fonds, expected, and missing until read
    assert result["apart"] == APART and opened["expected"] == 6
    with db.reading() as s:
        fonds_boxes = s.scalar(select(func.count()).select_from(Box).where(Box.retired_at.is_(None)))
    assert counted(result) + len(result["apart"]) == fonds_boxes == 8


def cli(runner, *args):
    result = runner.invoke(args=[*map(str, args)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_cli_names_the_boxes_apart_in_result_and_progress_and_leaves_close_as_the_contract_says(
        db, runner, tmp_path):
    held_away(db)
    sid = json.loads(cli(runner, "stocktake", "open", "--scope", "K01", "--json"))["id"]
    progress = json.loads(cli(runner, "stocktake", "progress", sid, "--json"))
    assert progress["apart"] == APART and progress["expected"] == 4
    assert "2 listed apart" in cli(runner, "stocktake", "progress", sid)
    closed = json.loads(cli(runner, "stocktake", "close", sid, "--json"))
    assert set(closed) == {"id", "expected", "found", "missing", "misplaced", "unexpected", "unlocated"}
    result = json.loads(cli(runner, "stocktake", "result", sid, "--json"))
    assert result["apart"] == APART and counted(result) + len(result["apart"]) == in_scope(db)
    said = cli(runner, "stocktake", "result", sid)
    assert f"apart {OUT}: checked_out (home {N1})" in said and f"apart {AWAY}: in_transit (home {N2})" in said
    cli(runner, "stocktake", "export", sid, "--xlsx", tmp_path / "r.xlsx", "--lang", "en")
    sheet = load_workbook(tmp_path / "r.xlsx")["Listed apart"]
    assert list(sheet.iter_rows(values_only=True))[1:] == [(1, OUT, "checked out", N1),
                                                            (2, AWAY, "in transit", N2)]


def test_the_pages_and_exports_list_apart_with_reasons_and_the_counters_never_see_them(db, login):
    held_away(db)
    boss = login("warehouse")
    sid = open_form(boss, scope="K01", blind="1")
    page = boss.get(f"/stocktakes/{sid}").get_data(as_text=True)
    assert 'id="rack-map"' in page and 'id="apart"' in page  # the supervisor's page
    assert f'data-box="{OUT}" data-reason="checked_out"><td>{OUT}</td><td>checked out</td><td>{N1}</td>' in page
    assert f'data-box="{AWAY}" data-reason="in_transit"><td>{AWAY}</td><td>in transit</td><td>{N2}</td>' in page
    assert 'data-in-scope="6">6: 4 expected, 2 listed apart<' in page
    assert boss.get(f"/stocktakes/{sid}/progress.json").get_json()["apart"] == APART

    counter = login("patrol")  # counts, but may not see what is expected
    clock = Clock()
    post_reads(counter, token(db, "HH-03"), [
        {"device": "HH-03", "seq": n, "code": code, "kind": "barcode", "at": clock().isoformat()}
        for n, code in enumerate([N1, "P001-H0002", N2, "P001-H0005"], start=1)], sid)
    counting = counter.get(f"/stocktakes/{sid}/count").get_data(as_text=True)
    scanned = counter.get(f"/stocktakes/{sid}/scanned.json").get_json()
    assert "P001-H0002" in counting and scanned["boxes"] == 2
    for shown in (counting, json.dumps(scanned)):
        assert OUT not in shown and AWAY not in shown and "apart" not in shown.lower()
    assert counter.get(f"/stocktakes/{sid}").status_code == 403  # the supervisor's page needs "view"

    boss = login("warehouse")
    boss.post(f"/stocktakes/{sid}/close", data={"csrf_token": csrf_token(boss, f"/stocktakes/{sid}")})
    page = boss.get(f"/stocktakes/{sid}").get_data(as_text=True)
    assert 'id="result-chart"' in page and 'id="apart"' in page
    assert f"<td>{OUT}</td><td>checked out</td>" in page and f"<td>{AWAY}</td><td>in transit</td>" in page
    bars = {name: int(page.split(f'data-outcome="{name}">', 1)[1].split("<", 1)[0])
            for name in (*COUNTED, "apart", "unexpected")}
    assert bars == {"found": 2, "misplaced": 0, "missing": 2, "unlocated": 0, "apart": 2, "unexpected": 0}
    assert sum(bars[name] for name in (*COUNTED, "apart")) == in_scope(db)
    assert boss.get(f"/stocktakes/{sid}/result.json").get_json()["apart"] == APART

    book = load_workbook(BytesIO(boss.get(f"/stocktakes/{sid}/export.xlsx").data))  # in Vietnamese
    assert book.sheetnames[-1] == "Để riêng (không kiểm đếm)"
    assert list(book.worksheets[-1].iter_rows(values_only=True)) == [
        ("Số TT", "Hộp", "Lý do", "Vị trí gốc khi mở kiểm kê"), (1, OUT, "đang cho mượn", N1),
        (2, AWAY, "đang vận chuyển", N2)]
    facts = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert facts["Hộp trong phạm vi"] == "6" and facts["Hộp dự kiến"] == "4"
    assert facts["Để riêng (không kiểm đếm)"] == "2 (đang vận chuyển 1, đang cho mượn 1)"
    pdf = boss.get(f"/stocktakes/{sid}/export.pdf?lang=en").data
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, check=True, capture_output=True).stdout.decode()
    assert "Listed apart: 2" in text and OUT in text and "checked out" in text and "in transit" in text
