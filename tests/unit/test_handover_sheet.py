"""A handover list read by the register's parser: the list's fonds fills rows that name none."""

from warehouse.importing.register import group_boxes, read_register
from warehouse.importing.sheets import read_rows

NFD_HEADER = ["Ho\u0302\u0323p/ca\u0306\u0323p so\u0302\u0301", "So\u0302\u0301 TT",
              "So\u0302\u0301, ky\u0301 hie\u0323\u0302u ho\u0302\u0300 so\u031b", "Tie\u0302u \u0111e\u0302\u0300 ho\u0302\u0300 so\u031b"]


def test_a_list_without_a_fonds_column_takes_the_fonds_of_the_list():
    sheet = read_register(read_rows([NFD_HEADER, ["Hộp 1", 1, "01", "A"], [None, 2, "02", "B"], [2, 3, "03", "C"]]),
                          fonds="P002")
    assert sheet.errors == []
    assert [(r.fonds, r.box, r.number) for r in sheet.records] == [("P002", 1, "01"), ("P002", 1, "02"),
                                                                   ("P002", 2, "03")]
    boxes, errors = group_boxes(sheet)
    assert errors == [] and {k: b.files for k, b in boxes.items()} == {("P002", 1): 2, ("P002", 2): 1}


def test_without_a_list_fonds_the_fonds_column_stays_required():
    sheet = read_register(read_rows([NFD_HEADER, ["1", 1, "01", "A"]]))
    assert [(e["column"], e["error"]) for e in sheet.errors] == [("Mã phông", "required column is missing")]


def test_a_fonds_cell_that_is_given_is_kept_and_a_blank_one_is_filled():
    rows = read_rows([["Mã phông", "Hộp số", "Số hồ sơ", "Tiêu đề"], ["P003", 1, "01", "A"], [None, 2, "02", "B"]])
    sheet = read_register(rows, fonds="P002")
    assert [r.fonds for r in sheet.records] == ["P003", "P002"]


def test_a_bad_fonds_cell_is_still_an_error_and_not_replaced():
    rows = read_rows([["Mã phông", "Hộp số", "Số hồ sơ", "Tiêu đề"], ["P 3", 1, "01", "A"]])
    sheet = read_register(rows, fonds="P002")
    assert [(e["row"], e["column"]) for e in sheet.errors] == [(2, "Mã phông")] and sheet.records == []
