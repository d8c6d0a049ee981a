"""Handover lists on both databases: a field-style list imported whole or refused whole, never touching
the register; reconciled against a closed stock-take and against the last-known places. Also the
seed and the list builder the other handover tests use."""

import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from warehouse import audit
from warehouse.errors import ImportRefused, NotFound, Refused
from warehouse.handover import lists, states
from warehouse.handover.reconcile import reconcile_list
from warehouse.importing import import_locations, import_register
from warehouse.models import Agency, AuditEntry, Box, File, Handover, HandoverBox, HandoverRow
from warehouse.scans.ingest import ingest
from warehouse.stocktake import sessions
from warehouse.tracking import checkouts

GIVER = "Sở Thông tin và Truyền thông tỉnh Yên Bái"
RECEIVER = "Sở Khoa học và Công nghệ tỉnh Lào Cai"
N1, N2, G2N1 = "K01-D01-G01-N1", "K01-D01-G01-N2", "K01-D01-G02-N1"
T0 = datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
LOCATIONS = [["Mã vị trí", "Tên", "Loại", "Mã vị trí cha"], ["K01", "Kho 1", "kho", None],
             ["K01-D01", "Dãy 1", "day", "K01"], ["K01-D01-G01", "Giá 1", "gia", "K01-D01"],
             [N1, "Ngăn 1", "ngan", "K01-D01-G01"], [N2, "Ngăn 2", "ngan", "K01-D01-G01"],
             ["K01-D01-G02", "Giá 2", "gia", "K01-D01"], [G2N1, "Ngăn 1", "ngan", "K01-D01-G02"]]
REGISTER_HEADER = ["Mã phông", "Tên phông", "Hộp số", "Số hồ sơ", "Tiêu đề hồ sơ", "Thời gian tài liệu",
                   "Thời hạn bảo quản", "Số tờ", "Chế độ sử dụng", "Tình trạng", "Vị trí"]
REGISTER = [  # P002: boxes 1–6 (6 retired below), P003: box 1
    ["P002", GIVER, 1, "01.VP", "Hồ sơ về thi đua, khen thưởng năm 2016", "2016", "Vĩnh viễn", 10, None,
     "Đã hoàn thành", N1],
    ["P002", GIVER, 1, "02.VP", "Hồ sơ thanh tra đất đai", "2017", "70 năm", 20, "Hạn chế", "Đã hoàn thành", N1],
    ["P002", GIVER, 2, "03.KH", "Kế hoạch phát triển kinh tế - xã hội", "01/2012 - 12/2012", "20 năm", 5, None,
     "Chưa hoàn thành", N1],
    ["P002", GIVER, 2, "04.KH", "Hồ sơ giải phóng mặt bằng", "2013", "Vĩnh viễn", 6, None, "Đã hoàn thành", N1],
    ["P002", GIVER, 3, "05.TH", "Báo cáo thống kê năm 2009", "2009", "10 năm", 7, None, "Đã hoàn thành", N2],
    ["P002", GIVER, 4, "06.TH", "Hồ sơ tuyển dụng công chức", "2011", "Vĩnh viễn", 8, None, "Đã hoàn thành", N2],
    ["P002", GIVER, 4, "07.TH", "Hồ sơ tổ chức bộ máy", "2012", "Vĩnh viễn", 9, None, "Chưa hoàn thành", N2],
    ["P002", GIVER, 4, "08.TH", "Hồ sơ phòng chống thiên tai", "2014", "10 năm", 4, None, "Đã hoàn thành", N2],
    ["P002", GIVER, 5, "09.VP", "Hồ sơ đầu tư xây dựng trường học", "2008", "20 năm", 3, None, "Đã hoàn thành",
     G2N1],
    ["P002", GIVER, 6, "10.VP", "Hồ sơ quản lý đất đai", "2010", "70 năm", 2, None, "Đã hoàn thành", G2N1],
    ["P003", "UBND huyện Văn Yên", 1, "01", "Hồ sơ về cầu đường", "1999", "Vĩnh viễn", 1, None,
     "Đã hoàn thành", N1],
]
LIST_HEADER = ["Hộp/cặp\nsố", "Số TT", "Số, ký hiệu\nhồ sơ", "Tiêu đề hồ sơ", "Thời gian\nbắt đầu",
               "Thời gian\nkết thúc", "Thời hạn\nbảo quản", "Số tờ/Số trang", "Tình trạng", "Vị trí", "Ghi chú"]
# box cell → its files; the list's Vị trí on the first file of box 3 (not its home)
LIST_BOXES = [
    ("Hộp 1", [("01.VP", "Hồ sơ về thi đua, khen thưởng năm 2016", datetime(2016, 1, 4), "12/2016", None),
               ("02.VP", "Hồ sơ thanh tra đất đai", "2017", "2017", None)]),
    ("02", [("03.KH", "Kế hoạch phát triển kinh tế - xã hội", "01/2012", 41274, None)]),  # one of its two files
    ("Hộp 3", [("05.TH", "Báo cáo thống kê năm 2009", "2009", "2009", G2N1)]),
    (4, [("06.TH", "Hồ sơ tuyển dụng công chức", "2011", "2011", None),
         ("07.TH", "Hồ sơ tổ chức bộ máy", "2012", "2012", None),
         ("08.TH", "Hồ sơ phòng chống thiên tai", "2014", "2014", None)]),
    ("Hộp 9", [("99.VP", "Hồ sơ không có trong sổ", "2020", "2020", None)]),
]
LIST_ROWS, LIST_FILES = 8, 8


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def cells(items: list[dict], *keys: str) -> list:
    """(row, column…) of errors or warnings, the column as NFC (the file spells its headers in NFD)."""
    return [tuple(unicodedata.normalize("NFC", str(i[k])) if k == "column" else i[k] for k in keys) for i in items]


def field_list(folder: Path, boxes=LIST_BOXES, name: str = "danh-muc-ban-giao.xlsx") -> Path:
    """A handover list as a giving agency sends it: title rows, NFD headers with line breaks, a
    `(1) (2)` row, box cells merged over their files, Excel dates and serials, footers; no fonds column."""
    book = Workbook()
    sheet = book.active
    width = len(LIST_HEADER)
    for number, title in ((1, "UBND TỈNH YÊN BÁI"), (2, nfd("SỞ THÔNG TIN VÀ TRUYỀN THÔNG")),
                          (3, "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU"), (4, "Năm 2025")):
        sheet.cell(number, 1, title)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    for column, header in enumerate(LIST_HEADER, 1):
        sheet.cell(6, column, nfd(header))
        sheet.cell(7, column, f"({column})")
    row, position = 8, 1
    for box, files in boxes:
        sheet.cell(row, 1, box)
        if len(files) > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row + len(files) - 1, end_column=1)
        for number, title, start, end, place in files:
            values = [None, position, number, nfd(title), start, end, "Vĩnh viễn", 12, "Đã hoàn thành", place,
                      None]
            for column, value in enumerate(values, 1):
                if value is not None:
                    sheet.cell(row, column, value)
            row, position = row + 1, position + 1
    sheet.cell(row + 1, 1, f"Mục lục này gồm {position - 1} hồ sơ (đơn vị bảo quản).")
    sheet.cell(row + 2, 1, "Viết bằng chữ: tám hồ sơ.")
    sheet.cell(row + 4, 7, "NGƯỜI LẬP")
    path = folder / name
    book.save(path)
    return path


def seed(db) -> None:
    """Locations, the register of P002 (box 6 retired) and P003."""
    with db.transaction() as s:
        import_locations(s, LOCATIONS, "test")
        import_register(s, [REGISTER_HEADER, *REGISTER], "test")
        s.execute(update(Box).where(Box.code == "P002-H0006").values(retired_at=T0))


def ev(device: str, seq: int, code: str, second: int, **extra) -> dict:
    return {"device": device, "seq": seq, "code": code, "kind": extra.pop("kind", "barcode"),
            "at": (T0 + timedelta(seconds=second)).isoformat(), **extra}


SHELF_READS = [ev("HH-01", 1, N1, 0), ev("HH-01", 2, "P002-H0001", 1), ev("HH-01", 3, "P002-H0002", 2),
               ev("HH-01", 4, N2, 3), ev("HH-01", 5, "P002-H0003", 4), ev("HH-01", 6, G2N1, 5),
               ev("HH-01", 7, "P002-H0005", 6), ev("HH-01", 8, "P002-H0006", 7), ev("HH-01", 9, "P003-H0001", 8)]


def counted(db) -> int:
    """A closed stock-take of K01 that read boxes 1, 2, 3, 5 of P002 (4 missing), P003's box elsewhere."""
    with db.transaction() as s:
        sid = sessions.open_stocktake(s, actor="test", scope="K01")["id"]
        ingest(s, SHELF_READS, actor="test", stocktake=sid)
    with db.transaction() as s:
        sessions.close(s, sid, "test")
    return sid


def imported(db, path: Path, **kw) -> dict:
    with db.transaction() as s:
        return lists.import_list(s, path, "archivist-1", fonds="P002", giver=kw.pop("giver", GIVER),
                                 receiver=kw.pop("receiver", RECEIVER), **kw)


def count(db, model) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_field_style_list_is_imported_into_its_own_tables(db, tmp_path):
    seed(db)
    before = (count(db, Box), count(db, File))
    result = imported(db, field_list(tmp_path), handed_on=date(2025, 7, 15), giver_person="Nguyễn Văn A",
                      receiver_person="Trần Thị B")
    assert (result["rows"], result["boxes"], result["known"]) == (LIST_ROWS, 5, 4)
    assert cells(result["warnings"], "row", "column") == [(15, "Hộp/cặp số")]  # box 9 is not in the register
    assert (count(db, Box), count(db, File)) == before  # the register is untouched
    with db.reading() as s:
        h = s.get(Handover, result["id"])
        assert (h.fonds.code, h.giver.name, h.receiver.name, h.state) == ("P002", GIVER, RECEIVER, "draft")
        assert (h.handed_on, h.giver_person, h.receiver_person, h.rows, h.boxes) == (
            date(2025, 7, 15), "Nguyễn Văn A", "Trần Thị B", LIST_ROWS, 5)
        listed = {b.number: (b.files, b.location) for b in s.scalars(select(HandoverBox))}
        assert listed == {1: (2, None), 2: (1, None), 3: (1, G2N1), 4: (3, None), 9: (1, None)}
        first = s.scalar(select(HandoverRow).order_by(HandoverRow.row).limit(1))
        assert (first.row, first.number, first.title) == (8, "01.VP", "Hồ sơ về thi đua, khen thưởng năm 2016")
        assert (first.start_date, first.end_date) == (date(2016, 1, 4), date(2016, 12, 31))


def test_agencies_are_found_by_name_whatever_the_accents_and_case_or_created(db, tmp_path):
    seed(db)
    agencies = count(db, Agency)
    imported(db, field_list(tmp_path), giver="SO THONG TIN VA TRUYEN THONG TINH YEN BAI")
    assert count(db, Agency) == agencies + 1  # the giver was known (from the register), the receiver is new
    imported(db, field_list(tmp_path), receiver=nfd(RECEIVER.upper()))
    assert count(db, Agency) == agencies + 1
    with db.reading() as s:
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("handover.import") == 2 and actions.count("agency.create") == 1


def test_a_bad_list_is_refused_whole_with_every_error_by_row_and_column(db, tmp_path):
    seed(db)
    boxes = [("Hộp 1", [("01.VP", "A", "31/02/2016", None, None), ("01.VP", "B", None, None, None)]),
             ("Hộp một", [("03.KH", "C", None, None, "K01 D01")])]
    with pytest.raises(ImportRefused) as refused:
        imported(db, field_list(tmp_path, boxes))
    assert cells(refused.value.errors, "row", "column") == [
        (8, "Thời gian bắt đầu"), (9, "Số, ký hiệu hồ sơ"), (10, "Hộp/cặp số"), (10, "Vị trí")]
    assert count(db, Handover) == count(db, HandoverBox) == count(db, HandoverRow) == 0


def test_rows_of_another_fonds_are_errors_and_a_list_needs_its_facts(db, tmp_path):
    seed(db)
    path = tmp_path / "other.csv"
    path.write_text("Mã phông,Hộp số,Số hồ sơ,Tiêu đề\nP002,1,01,A\nP003,1,02,B\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        imported(db, path)
    assert [(e["row"], e["column"]) for e in refused.value.errors] == [(3, "Mã phông")]
    with pytest.raises(NotFound), db.transaction() as s:
        lists.import_list(s, path, "x", fonds="P999", giver=GIVER, receiver=RECEIVER)
    for giver, receiver in (("", RECEIVER), (GIVER, " "), (GIVER, nfd(GIVER.lower()))):
        with pytest.raises(Refused), db.transaction() as s:
            lists.import_list(s, path, "x", fonds="P002", giver=giver, receiver=receiver)
    assert count(db, Handover) == 0


def test_reconciling_against_a_closed_stocktake(db, tmp_path):
    seed(db)
    sid = counted(db)
    hid = imported(db, field_list(tmp_path))["id"]
    with db.reading() as s:
        doc = reconcile_list(s, hid, sid)
    assert doc["matched"] == ["P002-H0001", "P002-H0002"]
    assert doc["misplaced"] == [{"box": "P002-H0003", "listed": G2N1, "found": N2}]  # the list's Vị trí counts
    assert doc["missing"] == ["P002-H0004", "P002-H0009"] and doc["unknown"] == ["P002-H0009"]
    assert doc["extra"] == ["P002-H0005"]  # not the retired box 6, not P003's box
    assert doc["count_mismatch"] == [{"box": "P002-H0002", "listed_files": 1, "found_files": 2}]
    assert doc["summary"] == {"listed": 5, "matched": 2, "missing": 2, "misplaced": 1, "extra": 1,
                              "count_mismatch": 1, "unknown": 1, "not_counted": 0, "away": 0}


def test_a_stocktake_of_part_of_the_store_does_not_find_the_boxes_outside_it(db, tmp_path):
    seed(db)
    with db.transaction() as s:
        sid = sessions.open_stocktake(s, actor="test", scope=N1)["id"]
        ingest(s, SHELF_READS[:3], actor="test", stocktake=sid)
    with db.transaction() as s:
        sessions.close(s, sid, "test")
    hid = imported(db, field_list(tmp_path))["id"]
    with db.reading() as s:
        doc = reconcile_list(s, hid, sid)
    assert doc["matched"] == ["P002-H0001", "P002-H0002"]
    assert doc["not_counted"] == ["P002-H0003", "P002-H0004"] and doc["extra"] == []


def test_without_a_stocktake_the_last_sighting_with_a_place_decides(db, tmp_path):
    seed(db)
    counted(db)
    later = [ev("HH-02", 1, G2N1, 100), ev("HH-02", 2, "P002-H0001", 101),  # box 1 moved away
             ev("HH-02", 3, N2, 102), ev("HH-02", 4, "P002-H0004", 103),  # box 4 seen at home
             ev("HH-02", 5, "K01-D01", 104), ev("HH-02", 6, "P002-H0003", 105)]  # too coarse: no place
    with db.transaction() as s:
        ingest(s, later, actor="test")
    hid = imported(db, field_list(tmp_path))["id"]
    with db.reading() as s:
        doc = reconcile_list(s, hid)
    assert doc["basis"] == {"stocktake": None, "last_known": True}
    assert doc["matched"] == ["P002-H0002", "P002-H0004"]
    assert doc["misplaced"] == [{"box": "P002-H0001", "listed": N1, "found": G2N1},
                                {"box": "P002-H0003", "listed": G2N1, "found": N2}]
    assert doc["missing"] == ["P002-H0009"] and doc["extra"] == ["P002-H0005"]


def test_without_a_stocktake_a_box_held_away_is_missing_and_named_with_its_state(db, tmp_path):
    seed(db)
    sid = counted(db)
    with db.transaction() as s:
        checkouts.check_out(s, "test", ["P002-H0002"], kind="reading_room", borrower="Phòng đọc",
                            due_on=date.today() + timedelta(days=7))
    hid = imported(db, field_list(tmp_path))["id"]
    with db.reading() as s:
        doc = reconcile_list(s, hid)
        snapshot = reconcile_list(s, hid, sid)
    assert "P002-H0002" in doc["missing"] and "P002-H0002" not in doc["matched"]
    assert doc["away"] == [{"box": "P002-H0002", "state": "checked_out"}] and doc["summary"]["away"] == 1
    assert "P002-H0002" in snapshot["matched"] and snapshot["away"] == []  # the stock-take's moment
    with db.transaction() as s:
        checkouts.check_in(s, "test", checkouts.listing(s)[0]["id"])
    with db.reading() as s:
        doc = reconcile_list(s, hid)
    assert "P002-H0002" in doc["matched"] and doc["away"] == []


def test_an_open_or_unknown_stocktake_is_refused(db, tmp_path):
    seed(db)
    hid = imported(db, field_list(tmp_path))["id"]
    with db.transaction() as s:
        sid = sessions.open_stocktake(s, actor="test", scope="K01")["id"]
    with db.reading() as s:
        with pytest.raises(Refused):
            reconcile_list(s, hid, sid)
        with pytest.raises(NotFound):
            reconcile_list(s, hid, sid + 1)
        with pytest.raises(NotFound):
            reconcile_list(s, hid + 1)


def test_marking_a_list_checked_is_audited_with_its_summary(db, tmp_path):
    seed(db)
    sid = counted(db)
    hid = imported(db, field_list(tmp_path))["id"]
    with db.transaction() as s:
        doc = states.mark_checked(s, hid, sid, "archivist-1")
    assert doc["state"] == "checked" and doc["summary"]["missing"] == 2
    with db.reading() as s:
        h = s.get(Handover, hid)
        assert (h.state, h.checked_by, h.checked_stocktake_id) == ("checked", "archivist-1", sid)
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "handover.check")).one()
        assert entry.target == f"handover:{hid}" and '"missing": 2' in entry.detail
        assert audit.verify(s).ok
    with db.transaction() as s:
        s.get(Handover, hid).state = "signed"
    with pytest.raises(Refused), db.transaction() as s:
        states.mark_checked(s, hid, sid, "archivist-1")


def test_restricted_titles_of_a_list_are_hidden_from_readers_without_clearance(db, tmp_path):
    seed(db)
    path = tmp_path / "list.csv"
    path.write_text("Hộp số,Số hồ sơ,Tiêu đề,Chế độ sử dụng\n1,01,Hồ sơ mật,MẬT\n1,02,Hồ sơ thường,\n",
                    encoding="utf-8")
    hid = imported(db, path)["id"]
    with db.reading() as s:
        hidden, total = states.rows_page(s, hid, 1, 50, ["Mật"], cleared=False)
        shown, _ = states.rows_page(s, hid, 1, 50, ["Mật"], cleared=True)
    assert total == 2
    assert [r.title for r in hidden] == [None, "Hồ sơ thường"]
    assert [r.title for r in shown] == ["Hồ sơ mật", "Hồ sơ thường"]
