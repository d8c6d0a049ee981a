"""What a label says (pure): the longest retention, the years, the first and last file in catalogue
order, the fields a template asks for in its order, and location labels."""

import pytest

from warehouse.errors import Refused
from warehouse.labelling.texts import (
    BoxFacts,
    box_label,
    check_fields,
    file_order,
    longest_retention,
    place_label,
    years,
)


@pytest.mark.parametrize(("values", "longest"), [
    ([], ""),
    (["10 năm", "20 năm", "5 năm"], "20 năm"),
    (["20 năm", "Vĩnh viễn", "70 năm"], "Vĩnh viễn"),
    (["70 nam", "VĨNH VIỄN"], "Vĩnh viễn"),
    (["Đến khi văn bản hết hiệu lực thi hành", "10 năm"], "10 năm"),
    (["Đến khi văn bản hết hiệu lực thi hành", ""], "Đến khi văn bản hết hiệu lực thi hành"),
    (["5 năm", "50 năm", "7 năm"], "50 năm"),
])
def test_the_longest_retention_vinh_vien_beats_years_and_years_beat_other_wordings(values, longest):
    assert longest_retention(values) == longest


@pytest.mark.parametrize(("first", "last", "text"), [
    (None, None, ""), (1995, 2001, "1995 – 2001"), (2005, 2005, "2005"), (2005, None, "2005"), (None, 1999, "1999"),
])
def test_years(first, last, text):
    assert years(first, last) == text


def test_files_sort_by_catalogue_then_position_then_number_naturally():
    files = [(1, None, "10"), (1, 2, "b"), (2, 1, "1"), (1, None, "2"), (1, 1, "z")]
    ordered = sorted(files, key=lambda f: file_order(*f))
    assert ordered == [(1, 1, "z"), (1, 2, "b"), (1, None, "2"), (1, None, "10"), (2, 1, "1")]


BOX = BoxFacts(id=1, code="P012-H0007", number=7, epc=None, fonds="P012", fonds_name="Phông Sở Nội vụ",
               agency="Trường Đại học Sư phạm Đà Nẵng", home="K01-D01-G01-N01", first_file="01",
               last_file="12", first_year=1995, last_year=2001, retention="Vĩnh viễn")


def test_a_box_label_in_the_usual_order():
    text = box_label(BOX, ("name", "box", "files", "years", "retention"))
    assert text.code == "P012-H0007"
    assert text.lines == ("Trường Đại học Sư phạm Đà Nẵng", "HỘP SỐ 7", "Từ hồ sơ số 01 Đến hồ sơ số 12",
                          "Thời gian: 1995 – 2001", "Thời hạn bảo quản: Vĩnh viễn")
    assert text.strong == (1,)


def test_the_fonds_name_stands_in_for_a_missing_agency_and_empty_fields_are_left_out():
    bare = BoxFacts(id=2, code="P9-H0001", number=1, epc="3414257BF400000000BC6038", fonds="P9",
                    fonds_name="Phông Ủy ban", agency=None, home=None)
    text = box_label(bare, ("box", "name", "files", "years", "retention", "home", "fonds"))
    assert text.lines == ("HỘP SỐ 1", "Phông Ủy ban", "Phông P9")
    assert text.strong == (0,) and text.epc == "3414257BF400000000BC6038"


def test_the_home_field():
    assert box_label(BOX, ("home",)).lines == ("Vị trí: K01-D01-G01-N01",)


def test_an_unknown_field_is_refused_by_name():
    with pytest.raises(Refused, match="'colour'"):
        check_fields(("box", "colour"))


def test_a_location_label_names_its_store_its_name_and_its_kind():
    text = place_label("K01-D01-G01-N03", "Ngăn 3", "ngan", "Kho lưu trữ tỉnh")
    assert (text.lines, text.strong) == (("Kho lưu trữ tỉnh", "Ngăn 3", "Ngăn (đợt)"), (1,))
    assert place_label("K01", "Kho 1", "kho", "Kho 1").lines == ("Kho 1", "Kho lưu trữ")
    assert place_label("K01-CONG", "", "cong", "Kho 1").lines == ("Kho 1", "K01-CONG", "Cổng")
