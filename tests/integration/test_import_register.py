"""Importing registers on both databases: a field-style XLSX, refusals that list every error and
save nothing, boxes already in Kho, capacity warnings. Also the sheet builders other import tests use."""

import hashlib
import json
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from warehouse import audit
from warehouse.errors import ImportRefused
from warehouse.importing import import_locations, import_register
from warehouse.importing.inventory import list_boxes
from warehouse.models import Agency, AuditEntry, Box, Catalogue, File, Fonds, Location

EPC = "36D6A1A62BCEA795CAEE3AF2"
LOCATIONS = """\ufeffMã vị trí,Tên,Loại,Mã vị trí cha,Sức chứa (hộp)
K1-D1-G1-N1,Ngăn 1,ngan,K1-D1-G1,5
K1-D1-G1-N2,Ngăn 2,Ngăn,K1-D1-G1,1
K1-D1-G1,Giá 1,gia,K1-D1,
K1-D1,Dãy 1,day,K1,
K1,Kho 1,kho,,
K1-C1,Cổng chính,cong,K1,
"""
FIELD_HEADER = ["STT", "Mã phông", "Tên phông", "Hộp/cặp\nsố", "Số, ký hiệu\nhồ sơ", "Tiêu đề hồ sơ",
                "Thời gian\nbắt đầu", "Thời gian\nkết thúc", "Thời hạn\nbảo quản", "Số tờ", "Tình trạng",
                "Mã RFID", "Vị trí", "Người nhập"]
FIELD_ROWS = [  # from row 7 of the sheet; None under a merged box cell
    [1, "P1", "UBND huyện Yên", "Hộp 1", "01.TH", "Hồ sơ về đất đai năm 1997", datetime(1997, 9, 6),
     35700, "Vĩnh viễn", 20, "Đã hoàn thành", EPC, "K1-D1-G1-N1", "Lan"],
    [2, "P1", None, None, "02.TH", "Hồ sơ về thuế", "03/1998", "1998", "70 năm", 12, "Chưa hoàn thành",
     None, None, "Lan"],
    [3, "P1", None, None, "03.TH", "Hồ sơ về trường học", "1998", "1999", "10 năm", None, None, None,
     "K1-D1-G1-N1", None],
    [4, "P1", None, "02", "04.TH", "Hồ sơ về cầu đường", "1999-01-05", "05/02/1999",
     "Đến khi văn bản hết hiệu lực thi hành", 7, "Đã hoàn thành", None, "K1-D1-G1-N1", None],
    [],
    [5, "P1", None, None, "05.TH", "Hồ sơ về y tế", None, None, None, None, None, None, None, None],
    [6, "P2", "Sở Nông nghiệp", "Hộp số 1", "01", "Hồ sơ về thủy lợi", 2001, 2002, "20 năm", 3, None, None,
     "K1-D1-G1-N2", None],
    [7, "P2", "Sở Nông nghiệp", 1, "02", "Hồ sơ về giống cây", "2001", "2001", None, None, None, None,
     None, None],
    [8, "P2", "Sở Nông nghiệp", "03", "03", "Hồ sơ về đê điều", None, None, None, None, None, None, None,
     None],
]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def write_locations(folder: Path) -> Path:
    path = folder / "locations.csv"
    path.write_text(LOCATIONS, encoding="utf-8")
    return path


def field_register(folder: Path, rows=FIELD_ROWS, name: str = "register.xlsx") -> Path:
    """A register as archives keep them: titles, NFD headers with line breaks, a `(1) (2)` row,
    merged box cells, Excel dates and serials, a blank row and footers."""
    book = Workbook()
    sheet = book.active
    width = len(FIELD_HEADER)
    for number, title in ((1, "ỦY BAN NHÂN DÂN TỈNH YÊN"), (2, "MỤC LỤC HỒ SƠ"), (3, "Phông: UBND huyện")):
        sheet.cell(number, 1, title)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    for column, header in enumerate(FIELD_HEADER, 1):
        sheet.cell(5, column, nfd(header))
        sheet.cell(6, column, f"({column})")
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            if value is not None:
                sheet.cell(7 + offset, column, value)
    if rows is FIELD_ROWS:
        sheet.merge_cells("D7:D9")
    end = 7 + len(rows) + 1
    for offset, footer in enumerate(("Mục lục này gồm 8 hồ sơ (đơn vị bảo quản).", "Viết bằng chữ: tám",
                                     "Tổng cộng: 3 hộp")):
        sheet.cell(end + offset, 1, footer)
    sheet.merge_cells(start_row=end, start_column=1, end_row=end, end_column=width)
    path = folder / name
    book.save(path)
    return path


def csv_register(folder: Path, lines: list[str], name: str = "register.csv") -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(db) -> dict:
    with db.transaction() as s:
        return {model.__tablename__: s.scalar(select(func.count()).select_from(model))
                for model in (Agency, Fonds, Catalogue, Box, File, Location, AuditEntry)}


@pytest.fixture
def stores(db, tmp_path):
    with db.transaction() as s:
        import_locations(s, write_locations(tmp_path), "tester")
    return tmp_path


def test_a_field_style_register_imports_to_the_right_counts(db, stores):
    path = field_register(stores)
    with db.transaction() as s:
        result = import_register(s, path, "tester")
    assert (result["boxes"], result["files"], result["fonds"], result["warnings"]) == (4, 8, 2, [])
    with db.reading() as s:
        boxes = list_boxes(s)
        files = {n: (start, end, ret, years, done) for n, start, end, ret, years, done in s.execute(
            select(File.number, File.start_date, File.end_date, File.retention, File.retention_years,
                   File.completed).join(Fonds).where(Fonds.code == "P1"))}
        fonds = {c: (n, a) for c, n, a in s.execute(select(Fonds.code, Fonds.name, Agency.name).join(Agency))}
        catalogues = s.scalar(select(func.count()).select_from(Catalogue))
    assert boxes == [
        {"code": "P1-H0001", "fonds": "P1", "box": 1, "epc": EPC, "home": "K1-D1-G1-N1", "files": 3},
        {"code": "P1-H0002", "fonds": "P1", "box": 2, "epc": None, "home": "K1-D1-G1-N1", "files": 2},
        {"code": "P2-H0001", "fonds": "P2", "box": 1, "epc": None, "home": "K1-D1-G1-N2", "files": 2},
        {"code": "P2-H0003", "fonds": "P2", "box": 3, "epc": None, "home": None, "files": 1},
    ]
    assert files["01.TH"] == (date(1997, 9, 6), date(1997, 9, 27), "Vĩnh viễn", None, True)
    assert files["02.TH"] == (date(1998, 3, 1), date(1998, 12, 31), "70 năm", 70, False)
    assert files["04.TH"][:2] == (date(1999, 1, 5), date(1999, 2, 5))
    assert fonds == {"P1": ("UBND huyện Yên", "UBND huyện Yên"), "P2": ("Sở Nông nghiệp", "Sở Nông nghiệp")}
    assert catalogues == 2


def test_one_audit_entry_records_the_import_with_the_files_digest(db, stores):
    path = field_register(stores)
    with db.transaction() as s:
        import_register(s, path, "tester", filename="mục lục.xlsx")
    with db.reading() as s:
        entries = s.execute(select(AuditEntry.action, AuditEntry.actor, AuditEntry.detail)
                            .where(AuditEntry.action.like("import.%")).order_by(AuditEntry.id)).all()
        assert audit.verify(s).ok
    assert [(a, who) for a, who, _ in entries] == [("import.locations", "tester"), ("import.register", "tester")]
    detail = json.loads(entries[-1][2])
    assert detail["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (detail["file"], detail["files"], detail["boxes"], detail["fonds"]) == ("mục lục.xlsx", 8, 4, 2)


BAD = [
    "Mã phông,Tên phông,Hộp số,Số hồ sơ,Tiêu đề hồ sơ,Thời gian tài liệu,Mã vạch hộp,Mã RFID,Vị trí,Tình trạng",
    "P1,UBND,1,01,Hồ sơ A,1997-2000,,,K1-D1-G1-N1,",          # 2: fine
    "P1,UBND,1,01,Hồ sơ A lần hai,,,,,",                        # 3: listed twice
    "P1,UBND,2,02,,,,,,",                                       # 4: no title
    "P 1,UBND,2,03,Hồ sơ C,,,,,",                               # 5: bad fonds code
    "P1,UBND,Hộp ba,04,Hồ sơ D,,,,,",                           # 6: bad box number
    "P1,UBND,1,05,Hồ sơ E,32/01/2000,,,,",                      # 7: bad date
    "P1,UBND,1,06,Hồ sơ F,,P1-X,,,",                            # 8: box 1 with two codes? first given here
    "P1,UBND,1,07,Hồ sơ G,,P1-Y,,,Có lẽ",                       # 9: disagrees; bad status
    "P1,UBND,4,08,Hồ sơ H,,,ABC,,",                             # 10: bad EPC
    "P3,,5,09,Hồ sơ I,,,,K1-D1-G1-N9,",                         # 11: new fonds without name; no such place
    "P1,UBND,6,10,Hồ sơ J,,,,K1-D1,",                           # 12: not a shelf
    ",,,,,Ghi chú lạc",                                         # 13: one cell only: skipped
    "P1,UBND,7,11,Hồ sơ K,,K1,,,",                              # 14: code of a location
]


def test_a_bad_file_is_refused_whole_with_every_error_by_row_and_column(db, stores):
    before = counts(db)
    with pytest.raises(ImportRefused) as refused, db.transaction() as s:
        import_register(s, csv_register(stores, BAD), "tester")
    got = [(e["row"], e["column"]) for e in refused.value.errors]
    assert got == [
        (3, "Số hồ sơ"), (4, "Tiêu đề hồ sơ"), (5, "Mã phông"), (6, "Hộp số"), (7, "Thời gian tài liệu"),
        (9, "Mã vạch hộp"), (9, "Tình trạng"), (10, "Mã RFID"), (11, "Tên phông"), (11, "Vị trí"),
        (12, "Vị trí"), (14, "Mã vạch hộp")]
    messages = {(e["row"], e["column"]): e["error"] for e in refused.value.errors}
    assert "row 2" in messages[(3, "Số hồ sơ")]
    assert "P1-X" in messages[(9, "Mã vạch hộp")] and "row 8" in messages[(9, "Mã vạch hộp")]
    assert "not a shelf" in messages[(12, "Vị trí")]
    assert "location" in messages[(14, "Mã vạch hộp")]
    assert counts(db) == before


def test_what_is_already_in_kho_is_checked_too(db, stores):
    with db.transaction() as s:
        import_register(s, field_register(stores), "tester")
    before = counts(db)
    again = csv_register(stores, [
        "Mã phông,Hộp số,Số hồ sơ,Tiêu đề hồ sơ,Mã vạch hộp,Mã RFID,Vị trí",
        "P1,9,01.TH,Đã có,,,",                                  # 2: file already in Kho
        f"P1,10,99,Mới,,{EPC},",                                # 3: EPC on another box
        "P1,11,98,Mới,P2-H0001,,",                              # 4: code of another box
        "P1,1,97,Mới,P1-ZZ,,",                                  # 5: box 1 has another code
        "P1,2,96,Mới,,,K1-D1-G1-N2",                            # 6: box 2 lives elsewhere
    ])
    with pytest.raises(ImportRefused) as refused, db.transaction() as s:
        import_register(s, again, "tester")
    assert [(e["row"], e["column"]) for e in refused.value.errors] == [
        (2, "Số hồ sơ"), (3, "Mã RFID"), (4, "Mã vạch hộp"), (5, "Mã vạch hộp"), (6, "Vị trí")]
    assert counts(db) == before


def test_boxes_already_in_kho_receive_the_new_files(db, stores):
    with db.transaction() as s:
        import_register(s, field_register(stores), "tester")
    more = csv_register(stores, ["Mã phông,Hộp số,Số hồ sơ,Tiêu đề hồ sơ,Mã RFID,Vị trí",
                                 "P1,1,06.TH,Hồ sơ thêm,,",
                                 f"P1,Hộp 2,07.TH,Hồ sơ thêm nữa,{EPC.replace('3', '4')},K1-D1-G1-N1"])
    with db.transaction() as s:
        result = import_register(s, more, "tester")
    assert (result["boxes"], result["new_boxes"], result["files"], result["fonds"]) == (2, 0, 2, 0)
    with db.reading() as s:
        boxes = {b["code"]: b for b in list_boxes(s, "P1")}
    assert len(boxes) == 2
    assert (boxes["P1-H0001"]["files"], boxes["P1-H0002"]["files"]) == (4, 3)
    assert boxes["P1-H0002"]["epc"] == EPC.replace("3", "4")


def test_a_retired_box_takes_no_more_files(db, stores):
    with db.transaction() as s:
        import_register(s, field_register(stores), "tester")
        s.execute(update(Box).where(Box.code == "P1-H0002").values(retired_at=func.now()))
    more = csv_register(stores, ["Mã phông,Hộp số,Số hồ sơ,Tiêu đề hồ sơ", "P1,2,08.TH,Hồ sơ muộn"])
    with pytest.raises(ImportRefused) as refused, db.transaction() as s:
        import_register(s, more, "tester")
    assert [(e["row"], e["column"]) for e in refused.value.errors] == [(2, "Hộp số")]
    assert "retired" in refused.value.errors[0]["error"]


def test_exceeding_a_shelf_capacity_only_warns(db, stores):
    path = csv_register(stores, ["Mã phông,Tên phông,Hộp số,Số hồ sơ,Tiêu đề hồ sơ,Vị trí",
                                 "P5,Sở Y tế,1,01,A,K1-D1-G1-N2",
                                 "P5,Sở Y tế,2,02,B,K1-D1-G1-N2"])
    with db.transaction() as s:
        result = import_register(s, path, "tester")
    assert result["boxes"] == 2
    assert [(w["row"], w["column"]) for w in result["warnings"]] == [(2, "Vị trí")]
    assert "capacity of 1" in result["warnings"][0]["warning"]


def test_progress_is_reported_as_rows_are_saved(db, stores):
    seen = []
    with db.transaction() as s:
        import_register(s, field_register(stores), "tester", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (8, 8) and seen == sorted(seen)
