"""closed_fonds on both databases: a register import adding files dated after their fonds was closed; a box
of a closed fonds seen off its shelf with no transfer or check-out for it; a move order completed for one."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests.integration.register_seed import seed
from tests.integration.test_tracking_service import K1, N2, N3, RULES, build
from warehouse.alerts import listing
from warehouse.fonds import close_fonds
from warehouse.importing.load_register import import_register
from warehouse.models import Alert
from warehouse.scans.ingest import ingest
from warehouse.stocktake import sessions as stocktakes
from warehouse.tracking import checkouts, moves, transfers

CSV = """Mã phông,Tên phông,Hộp số,"Số, ký hiệu hồ sơ",Tiêu đề hồ sơ,Thời gian bắt đầu,Thời gian kết thúc
P012,,4,41,Hồ sơ đất đai năm 2019,01/01/2019,31/12/2019
P012,,4,42,Hồ sơ đất đai 2021–2022,2021,2022
P012,,5,51,Báo cáo tổng kết,2023,
P099,Phông 99,1,1,Phông mới chưa đóng,2024,2024
"""


def test_files_dated_after_the_fonds_closed_raise_one_alert_per_box(db, tmp_path):
    seed(db)
    with db.transaction() as s:
        close_fonds(s, "t", "P012", date(2020, 12, 31), "QĐ 12/2020")
    source = tmp_path / "muc-luc.csv"
    source.write_text(CSV, encoding="utf-8")
    with db.transaction() as s:
        assert import_register(s, str(source), "archivist")["files"] == 4
    with db.transaction() as s:
        found = listing.alerts(s, kind="closed_fonds")
    assert sorted((a["box"], a["count"], a["severity"], a["state"]) for a in found) == [
        ("P012-H0004", 1, "high", "open"), ("P012-H0005", 1, "high", "open")]


def test_an_import_into_open_fonds_raises_nothing(db, tmp_path):
    seed(db)
    source = tmp_path / "muc-luc.csv"
    source.write_text(CSV, encoding="utf-8")
    with db.transaction() as s:
        import_register(s, str(source), "archivist")
    with db.transaction() as s:
        assert listing.alerts(s) == []


T = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def reads(db, *located, first_seq=1, **extra):
    """Reads (box code, place) by one handheld, a minute apart, through the ingest service."""
    events = [{"device": "HH-1", "seq": first_seq + i, "code": code, "kind": "barcode",
               "at": (T + timedelta(minutes=first_seq + i)).isoformat(), "location": place, **extra}
              for i, (code, place) in enumerate(located)]
    with db.transaction() as s:
        ingest(s, events, actor="t", rules=RULES)


def raised(db):
    with db.reading() as s:
        return sorted((a["kind"], a["box"], a["location"], a["count"]) for a in listing.alerts(s))


def closed(db, code="P001"):
    with db.transaction() as s:
        close_fonds(s, "t", code, date(2020, 12, 31), "QĐ 12/2020")


def test_a_box_of_a_closed_fonds_seen_off_its_shelf_without_a_transfer(db):
    build(db)
    closed(db)
    reads(db, ("P001-H0001", N3), ("P001-H0002", K1), ("P001-H0004", N2))  # N3: not its shelf; K1: its rack
    assert raised(db) == [("closed_fonds", "P001-H0001", N3, 1), ("misplaced", "P001-H0001", N3, 1)]
    reads(db, ("P001-H0001", N2), first_seq=4)  # seen away again: the same causes, counted
    assert raised(db) == [("closed_fonds", "P001-H0001", N2, 2), ("misplaced", "P001-H0001", N2, 2)]


def test_an_open_transfer_a_check_out_or_a_stock_take_covers_a_closed_fonds_box_off_its_shelf(db):
    build(db)
    closed(db)
    with db.transaction() as s:
        transfers.create_transfer(s, "anna", ["P001-H0004"], "K01", destination="K02")
        checkouts.check_out(s, "anna", ["P001-H0001"], kind="reading_room", borrower="Hoa",
                            due_on=date.today() + timedelta(days=7))
        sid = stocktakes.open_stocktake(s, actor="anna", scope="K01")["id"]
    reads(db, ("P001-H0004", N3), ("P001-H0001", N3))
    reads(db, ("P001-H0002", N3), first_seq=3, context={"stocktake": sid})
    assert [a[0] for a in raised(db)] == ["misplaced", "misplaced"]


def test_a_move_order_completed_for_a_box_of_a_closed_fonds_raises_closed_fonds_once(db):
    build(db)
    closed(db)
    with db.transaction() as s:
        by_scan = moves.order_move(s, "anna", ["P001-H0001"], N3, "Dồn ngăn", "Trưởng kho")["id"]
        by_hand = moves.order_move(s, "anna", ["P001-H0002"], N3, "Dồn ngăn", "Trưởng kho")["id"]
    reads(db, ("P001-H0001", N3))  # the move is done: at its new home, not misplaced
    with db.transaction() as s:
        moves.complete_by_hand(s, "anna", by_hand, ["P001-H0002"])
        sources = sorted(a.source for a in s.scalars(select(Alert)))
    assert raised(db) == [("closed_fonds", "P001-H0001", N3, 1), ("closed_fonds", "P001-H0002", N3, 1)]
    assert sources == [f"move:{by_scan}", f"move:{by_hand}"]


def test_boxes_of_an_open_fonds_move_without_a_closed_fonds_alert(db):
    build(db)
    with db.transaction() as s:
        moves.order_move(s, "anna", ["P001-H0001"], N3, "Dồn ngăn", "Trưởng kho")
    reads(db, ("P001-H0001", N3), ("P001-H0002", N3))
    assert raised(db) == [("misplaced", "P001-H0002", N3, 1)]  # H0001 moved from N1 without an alert
