"""The register sheet, as a pure function: rows → file records and errors by row and column."""

from datetime import date

from warehouse.importing.register import group_boxes, parse_register, read_register
from warehouse.importing.sheets import read_rows

HEADER = ["Mã phông", "Tên phông", "Hộp/cặp số", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ"]


def sheet(*rows, header=HEADER):
    return read_rows([header, *rows])


def test_a_blank_box_cell_continues_the_box_of_the_row_above():
    records, errors = parse_register(sheet(
        ["P1", "UBND", "Hộp 1", "01", "A"],
        ["P1", "UBND", None, "02", "B"],
        ["P1", "UBND", "02", "03", "C"],
        ["P1", "UBND", None, "04", "D"],
    ))
    assert errors == []
    assert [(r.row, r.box) for r in records] == [(2, 1), (3, 1), (4, 2), (5, 2)]


def test_a_blank_box_with_nothing_above_is_an_error():
    _, errors = parse_register(sheet(["P1", "UBND", None, "01", "A"]))
    assert errors == [{"row": 2, "column": "Hộp/cặp số",
                       "error": "blank, and there is no box above it to continue"}]


def test_a_blank_box_does_not_continue_into_another_fonds():
    _, errors = parse_register(sheet(["P1", "UBND", 1, "01", "A"], ["P2", "Sở", None, "01", "B"]))
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Hộp/cặp số")]
    assert "fonds P1" in errors[0]["error"]


def test_a_row_lacking_a_required_field_is_an_error_naming_each_column_as_in_the_file():
    rows = read_rows([["MÃ PHÔNG", "Hộp số", "Số hồ sơ", "Tiêu đề"], ["P1", 1, None, None]])
    _, errors = parse_register(rows)
    assert errors == [{"row": 2, "column": "Số hồ sơ", "error": "required, but blank"},
                      {"row": 2, "column": "Tiêu đề", "error": "required, but blank"}]


def test_every_bad_cell_of_every_row_is_listed():
    header = HEADER + ["Thời gian bắt đầu", "Mã RFID", "Tình trạng"]
    _, errors = parse_register(sheet(
        ["P 1", "UBND", "Hộp một", "01", "A", "31/02/2001", "XYZ", "Có"],
        ["P1", "UBND", 1, "02", "B", "2001", "ABC", None],
        header=header))
    assert [(e["row"], e["column"]) for e in errors] == [
        (2, "Mã phông"), (2, "Hộp/cặp số"), (2, "Thời gian bắt đầu"), (2, "Mã RFID"), (2, "Tình trạng"),
        (3, "Mã RFID")]


def test_a_file_listed_twice_is_an_error_on_the_second_row():
    _, errors = parse_register(sheet(["P1", "UBND", 1, "01", "A"], ["P1", "UBND", 2, "01", "B"]))
    assert errors[0]["row"] == 3 and errors[0]["column"] == "Số, ký hiệu hồ sơ"
    assert "row 2" in errors[0]["error"]


def test_the_same_file_number_in_another_catalogue_is_another_file():
    header = HEADER + ["Mục lục số"]
    records, errors = parse_register(sheet(["P1", "UBND", 1, "01", "A", 1], ["P1", "UBND", 2, "01", "B", 2],
                                           header=header))
    assert errors == [] and [r.catalogue for r in records] == [1, 2]


def test_every_column_of_a_full_row_is_read():
    header = ["Phông số", "Tên phông", "Mục lục số", "Hộp số", "STT", "Hồ sơ số", "Mã hồ sơ",
              "Tên hồ sơ (ĐVBQ)", "Thời gian tài liệu", "THBQ", "Số tờ", "Chế độ sử dụng", "Tình trạng",
              "Mã vạch hộp", "EPC", "Vị trí", "Ghi chú"]
    row = ["p1", "UBND  huyện", "02", "Hộp số 3", 7, "07.TH", "000.06.16.G09.2010.01.TH",
           "Hồ sơ về\nđất đai", "1997-2000", "70 năm", "45 tờ", "Hạn chế", "Chưa hoàn thành",
           "p1-x3", "36d6a1a62bcea795caee3af2", "k01-d01-g01-n1", "rách"]
    records, errors = parse_register(sheet(row, header=header))
    assert errors == []
    r = records[0]
    assert (r.fonds, r.fonds_name, r.catalogue, r.box, r.position, r.number, r.file_code) == (
        "P1", "UBND huyện", 2, 3, 7, "07.TH", "000.06.16.G09.2010.01.TH")
    assert (r.title, r.start_date, r.end_date, r.retention, r.retention_years, r.pages) == (
        "Hồ sơ về đất đai", date(1997, 1, 1), date(2000, 12, 31), "70 năm", 70, 45)
    assert (r.access, r.completed, r.box_code, r.epc, r.location, r.note) == (
        "Hạn chế", False, "P1-X3", "36D6A1A62BCEA795CAEE3AF2", "K01-D01-G01-N1", "rách")


def test_a_start_after_the_end_is_an_error():
    header = HEADER + ["Thời gian bắt đầu", "Thời gian kết thúc"]
    _, errors = parse_register(sheet(["P1", "UBND", 1, "01", "A", "2001", "12/2000"], header=header))
    assert [(e["row"], e["column"]) for e in errors] == [(2, "Thời gian bắt đầu")]


def test_rows_of_one_box_make_one_box_and_must_agree_on_its_code_epc_and_place():
    header = HEADER + ["Mã vạch hộp", "Mã RFID", "Vị trí"]
    epc = "36D6A1A62BCEA795CAEE3AF2"
    parsed = read_register(sheet(
        ["P1", "UBND", 1, "01", "A", "P1-B1", epc, "N1"],
        ["P1", "UBND", None, "02", "B", None, None, None],
        ["P1", "UBND", 1, "03", "C", "P1-B9", epc, "N2"],
        ["P1", "UBND", 2, "04", "D", None, None, None],
        header=header))
    boxes, errors = group_boxes(parsed)
    assert {k: (b.final_code, b.files) for k, b in boxes.items()} == {
        ("P1", 1): ("P1-B1", 3), ("P1", 2): ("P1-H0002", 1)}
    assert [(e["row"], e["column"]) for e in errors] == [(4, "Mã vạch hộp"), (4, "Vị trí")]


def test_two_boxes_cannot_share_a_code_or_an_epc():
    header = HEADER + ["Mã vạch hộp", "Mã RFID"]
    epc = "36D6A1A62BCEA795CAEE3AF2"
    parsed = read_register(sheet(["P1", "UBND", 1, "01", "A", "P1-H0002", epc],
                                 ["P1", "UBND", 2, "02", "B", None, epc], header=header))
    _, errors = group_boxes(parsed)
    assert sorted((e["row"], e["column"]) for e in errors) == [(3, "Mã RFID"), (3, "Mã vạch hộp")]
