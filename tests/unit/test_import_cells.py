"""Reading cells: box numbers, codes, EPCs, retention, completion."""

import pytest

from warehouse.importing import cells


@pytest.mark.parametrize("value, number", [
    (1, 1), (1.0, 1), ("1", 1), ("01", 1), ("Hộp 1", 1), ("Hộp số 1", 1), ("hop so 07", 7),
    ("HỘP 12", 12), ("Cặp 3", 3), ("Hộp số: 4", 4),
])
def test_box_numbers_are_read_as_written_in_the_field(value, number):
    assert cells.box_number(value) == number


@pytest.mark.parametrize("value", ["0", "Hộp", "1a", "Hộp một", -2])
def test_what_is_not_a_box_number_is_refused(value):
    with pytest.raises(ValueError, match="box number"):
        cells.box_number(value)


@pytest.mark.parametrize("value, code", [("p012-h0007", "P012-H0007"), (" K01-D02 ", "K01-D02"),
                                         (12, "12"), (12.0, "12"), ("A.1/2", "A.1/2")])
def test_codes_are_ascii_upper_case(value, code):
    assert cells.code(value) == code


@pytest.mark.parametrize("value", ["K 01", "Kho-Đ1", "P#1", "hộp-1"])
def test_codes_with_other_characters_are_refused(value):
    with pytest.raises(ValueError, match="not a code"):
        cells.code(value)


def test_an_epc_is_24_hex_digits_stored_upper_case():
    assert cells.epc("36d6a1a62bceA795caee3af2") == "36D6A1A62BCEA795CAEE3AF2"
    for bad in ("36D6A1A62BCEA795CAEE3AF", "36D6A1A62BCEA795CAEE3AFG"):
        with pytest.raises(ValueError, match="not an EPC"):
            cells.epc(bad)


@pytest.mark.parametrize("value, text, years", [
    ("Vĩnh viễn", "Vĩnh viễn", None),
    ("70 năm", "70 năm", 70),
    ("20 Năm", "20 Năm", 20),
    (10, "10", 10),
    ("Đến khi văn bản hết hiệu lực thi hành", "Đến khi văn bản hết hiệu lực thi hành", None),
    ("Theo quy định riêng", "Theo quy định riêng", None),
])
def test_retention_keeps_its_text_and_derives_years_where_numeric(value, text, years):
    assert cells.retention(value) == (text, years)


@pytest.mark.parametrize("value, done", [("Đã hoàn thành", True), ("CHƯA HOÀN THÀNH", False),
                                         ("chua hoan thanh", False), (None, True)])
def test_completion_is_read_from_tinh_trang(value, done):
    assert cells.completed(value) is done


def test_an_unknown_completion_is_refused():
    with pytest.raises(ValueError, match="Đã hoàn thành"):
        cells.completed("Có lẽ")


@pytest.mark.parametrize("value, number", [(120, 120), ("120", 120), ("120 tờ", 120), (None, None)])
def test_sheet_counts_are_whole_numbers(value, number):
    assert cells.count(value, "a number of pages") == number
