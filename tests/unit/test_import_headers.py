"""Header rows: found under titles, matched whatever the case, accents, Unicode form or line breaks."""

import unicodedata

import pytest

from warehouse.importing import register
from warehouse.importing.headers import data_rows, find_header, header_key
from warehouse.importing.sheets import read_rows


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("written, canonical", [
    ("Mã phông", "Mã phông"),
    ("MÃ PHÔNG", "Mã phông"),
    ("ma phong", "Mã phông"),
    (nfd("Số, ký hiệu hồ sơ"), "Số, ký hiệu hồ sơ"),
    ("Số,\nký hiệu\nhồ sơ", "Số, ký hiệu hồ sơ"),
    ("Hộp / cặp   số", "Hộp/cặp số"),
    ("Tên hồ sơ\r\n(ĐVBQ)", "Tên hồ sơ (ĐVBQ)"),
    (nfd("THỜI HẠN BẢO QUẢN"), "Thời hạn bảo quản"),
])
def test_headers_match_whatever_their_case_accents_form_and_line_breaks(written, canonical):
    assert header_key(written) == header_key(canonical)


def test_different_headers_do_not_match():
    assert header_key("Tên phông") != header_key("Mã phông")
    assert header_key("Số tờ") != header_key("Số TT")


@pytest.mark.parametrize("header, field", [
    ("Phông số", "fonds"), ("fonds", "fonds"), ("Hộp số", "box"), ("Số hộp", "box"), ("box", "box"),
    ("STT", "position"), ("Hồ sơ số", "number"), ("Số hồ sơ", "number"), ("file", "number"),
    ("Tên hồ sơ (ĐVBQ)", "title"), ("Tiêu đề", "title"), ("title", "title"),
    ("Thời gian tài liệu", "span"), ("THBQ", "retention"), ("Số tờ", "pages"), ("Số trang", "pages"),
    ("box code", "box_code"), ("EPC", "epc"), ("location", "location"),
])
def test_every_alias_of_the_register_is_known(header, field):
    rows = read_rows([[header, "Tiêu đề hồ sơ" if field != "title" else "Mã phông"]])
    _, columns, _ = find_header(rows, register.FIELDS, ())
    assert columns is not None and columns.found[field][0] == 0


def test_the_header_is_found_under_title_rows_and_unknown_columns_are_ignored():
    rows = read_rows([
        ["UBND TỈNH X", None, None],
        ["MỤC LỤC HỒ SƠ", None, None],
        [],
        ["Cột lạ", "Tiêu đề hồ sơ", "Mã phông"],
    ])
    at, columns, errors = find_header(rows, register.FIELDS, ("fonds", "title"))
    assert (at, errors) == (3, [])
    assert columns.row == 4
    assert dict(columns.found) == {"title": (1, "Tiêu đề hồ sơ"), "fonds": (2, "Mã phông")}


def test_a_missing_required_column_is_named_with_the_header_row():
    rows = read_rows([["Mã phông", "Hộp số", "Tiêu đề"]])
    _, _, errors = find_header(rows, register.FIELDS, register.REQUIRED)
    assert errors == [{"row": 1, "column": "Số, ký hiệu hồ sơ", "error": "required column is missing"}]


def test_a_sheet_without_a_header_is_an_error():
    _, columns, errors = find_header(read_rows([["a", "b"], ["c", "d"]]), register.FIELDS, register.REQUIRED)
    assert columns is None and errors[0]["row"] is None and "no header row" in errors[0]["error"]


def test_column_numbers_blank_rows_and_one_cell_footers_are_skipped():
    rows = read_rows([
        ["Mã phông", "Tiêu đề hồ sơ", "Hộp số"],
        ["(1)", "(2)", "(3)"],
        ["P1", "Hồ sơ A", 1],
        [None, None, None],
        ["Mục lục này gồm 1 hồ sơ", None, None],
        [None, "Viết bằng chữ: một", None],
        ["Tổng cộng", None, None],
        ["P1", "Hồ sơ B", 2],
    ])
    at, _, _ = find_header(rows, register.FIELDS, ())
    assert [n for n, _ in data_rows(rows, at)] == [3, 8]


def test_a_plain_column_number_row_right_under_the_header_is_skipped():
    rows = read_rows([["Mã phông", "Tiêu đề hồ sơ", "Hộp số"], ["1", "2", "3"], ["P1", "Hồ sơ A", "1"]])
    assert [n for n, _ in data_rows(rows, 0)] == [3]
