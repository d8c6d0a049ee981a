"""Reading files into numbered rows: CSV with or without BOM, XLSX through either reader."""

from datetime import date, datetime

import pytest
from openpyxl import Workbook

from warehouse.errors import ImportRefused
from warehouse.importing import sheets


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_utf8_csv_is_read_with_or_without_bom(tmp_path, bom):
    path = tmp_path / "a.csv"
    path.write_bytes(bom + "Mã phông,Tiêu đề\n\nP1,\"Hồ sơ, năm 1997\"\n".encode())
    assert sheets.read_rows(path) == [(1, ("Mã phông", "Tiêu đề")), (2, ()), (3, ("P1", "Hồ sơ, năm 1997"))]


def test_a_csv_with_semicolons_is_read_as_such(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Mã vị trí;Tên;Loại\nK1;Kho 1, tầng 2;kho\n", encoding="utf-8")
    assert sheets.read_rows(path)[1] == (2, ("K1", "Kho 1, tầng 2", "kho"))


def test_an_old_excel_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "a.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportRefused, match="XLSX"):
        sheets.read_rows(path)


def test_a_damaged_xlsx_is_refused(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ImportRefused, match="cannot be read"):
        sheets.read_rows(path)


def _workbook(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet["B3"] = "  Hộp số "
    sheet["A5"], sheet["B5"], sheet["C5"] = 1, datetime(1997, 9, 6), 35680
    sheet.merge_cells("A5:A7")
    sheet["B7"] = 2.5
    sheet["C9"] = "cuối"
    path = tmp_path / "a.xlsx"
    book.save(path)
    return path


def _padded(rows):
    return [(n, tuple(c for c in cells) + (None,) * (3 - len(cells))) for n, cells in rows]


def test_both_xlsx_readers_number_rows_as_the_sheet_does_and_blank_merged_cells(tmp_path):
    path = _workbook(tmp_path)
    expected = [(1, (None,) * 3), (2, (None,) * 3), (3, (None, "Hộp số", None)), (4, (None,) * 3),
                (5, (1, date(1997, 9, 6), 35680)), (6, (None,) * 3), (7, (None, 2.5, None)), (8, (None,) * 3),
                (9, (None, None, "cuối"))]
    for rows in (sheets.read_rows(path), sheets._openpyxl_rows(path)):
        got = [(n, tuple(c.date() if isinstance(c, datetime) else c for c in cells)) for n, cells in _padded(rows)]
        assert got == expected
