"""The official list's pure parts: numbers in Vietnamese words, periods, retention, the footer."""

from datetime import date

import pytest

from warehouse.handover.numerals import in_words
from warehouse.handover.official import Line, Part, is_permanent, span


@pytest.mark.parametrize("n, words", [
    (0, "Không"), (1, "Một"), (10, "Mười"), (11, "Mười một"), (15, "Mười lăm"), (20, "Hai mươi"),
    (21, "Hai mươi mốt"), (24, "Hai mươi tư"), (25, "Hai mươi lăm"), (55, "Năm mươi lăm"), (100, "Một trăm"),
    (101, "Một trăm lẻ một"), (110, "Một trăm mười"), (381, "Ba trăm tám mươi mốt"), (1000, "Một nghìn"),
    (1005, "Một nghìn không trăm lẻ năm"), (2024, "Hai nghìn không trăm hai mươi tư"),
    (50000, "Năm mươi nghìn"), (1234567, "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"),
    (2_000_000_000, "Hai tỷ"),
])
def test_numbers_are_written_in_vietnamese_words(n, words):
    assert in_words(n) == words


def test_a_negative_number_has_no_words():
    with pytest.raises(ValueError):
        in_words(-1)


@pytest.mark.parametrize("start, end, text", [
    (date(2001, 1, 1), date(2001, 12, 31), "2001"),
    (date(2001, 1, 1), date(2003, 12, 31), "2001 - 2003"),
    (date(2001, 3, 5), date(2001, 3, 5), "05/03/2001"),
    (date(2001, 3, 5), date(2002, 1, 9), "05/03/2001 - 09/01/2002"),
    (date(2001, 3, 5), None, "05/03/2001"),
    (None, None, ""),
])
def test_the_period_of_a_file_is_printed_as_the_form_writes_it(start, end, text):
    assert span(start, end) == text


@pytest.mark.parametrize("retention, permanent", [("Vĩnh viễn", True), ("VI\u0303NH VIE\u0302\u0303N", True),
                                                  ("70 năm", False), ("", False)])
def test_permanent_retention_is_recognised_in_any_case_and_form(retention, permanent):
    assert is_permanent(retention) is permanent


def test_the_footer_counts_files_in_figures_and_words_and_the_permanent_ones_and_boxes():
    lines = [Line(1, "P1-H0001", "01", "A", "", "Vĩnh viễn", 3, "", True),
             Line(1, "P1-H0001", "02", "B", "", "10 năm", 3, "", False),
             Line(2, "P1-H0002", "03", "C", "", "Vĩnh viễn", 3, "", True)]
    footer = Part("completed", lines).footer()
    assert footer[0] == "Mục lục này gồm: 3 hồ sơ (đơn vị bảo quản)."
    assert footer[1] == "Viết bằng chữ: Ba hồ sơ (đơn vị bảo quản)."
    assert "2 hồ sơ bảo quản vĩnh viễn, 1 hồ sơ bảo quản có thời hạn" in footer[2] and "2 hộp/cặp" in footer[2]
