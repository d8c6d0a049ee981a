"""Label templates: the built-in A4 stock fits its pages, slots follow the grid, config adds and
overrides templates and refuses what cannot be printed, naming the template and the key."""

import pytest

from labels import BUILT_IN, LabelError, templates
from labels.output import settings, settings_from
from labels.templates import parse


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_the_built_in_templates_fit_their_pages(name):
    assert BUILT_IN[name].check() is BUILT_IN[name]


def test_slots_go_row_by_row_from_the_margins():
    stock = BUILT_IN["a4-2x7"]
    assert stock.per_page == 14
    assert stock.slot(0) == (4.65, 15.15)
    assert stock.slot(1) == pytest.approx((4.65 + 99.1 + 2.5, 15.15))
    assert stock.slot(2) == pytest.approx((4.65, 15.15 + 38.1))
    assert stock.slot(14) == stock.slot(0)


def test_without_margins_the_grid_is_centred():
    stock = parse("x", {"PAGE": "A4", "LABEL": [100, 50], "GRID": [2, 5]})
    assert stock.slot(0) == pytest.approx((5, 23.5))


def test_config_adds_a_template_and_overrides_a_built_in_one():
    found = templates([{"NAME": "mine", "PAGE": [100, 60], "LABEL": [100, 60], "FIELDS": ["box", "files"]},
                       {"NAME": "a4-3x8", "OUTLINE": True}])
    assert found["mine"].fields == ("box", "files") and found["mine"].grid == (1, 1)
    assert found["a4-3x8"].outline and found["a4-3x8"].label == (70.0, 37.0)
    assert set(BUILT_IN) < set(found)


@pytest.mark.parametrize(("table", "message"), [
    ({"LABEL": [70, 37], "GRID": [3, 9], "PAGE": "A4"}, "more than its 210 × 297 mm page"),
    ({"LABEL": [70, 37], "PAGE": "B5"}, "PAGE 'B5'"),
    ({"GRID": [1, 1]}, "LABEL = \\[width, height\\] is required"),
    ({"LABEL": [70, 37], "COLUMNS": 3}, "unknown key\\(s\\) COLUMNS"),
    ({"LABEL": [70, 37], "GRID": [1.5, 2]}, "whole numbers"),
    ({"LABEL": "70x37"}, "LABEL '70x37'"),
    ({"LABEL": [70, 37], "FIELDS": "box"}, "FIELDS must be a list"),
    ({"LABEL": [70, -1]}, "must be positive"),
])
def test_a_bad_template_is_refused_naming_it(table, message):
    with pytest.raises(LabelError, match=f"template bad: .*{message}"):
        parse("bad", table)


def test_a_template_without_a_name_is_refused():
    with pytest.raises(LabelError, match="with a NAME"):
        templates([{"LABEL": [70, 37]}])


def test_settings_from_the_apps_label_keys():
    conf = settings_from({"LABEL_TEMPLATE": "a4-2x7", "LABEL_PRINTER": "10.0.0.7", "LABEL_PRINTER_DPI": 300,
                          "LABEL_PRINTER_RFID": True, "LABEL_TEMPLATES": [{"NAME": "x", "LABEL": [50, 30]}],
                          "PAGE_SIZE": 50})
    assert conf.get(None).name == "a4-2x7" and conf.get(None, "thermal-100x50").name == "thermal-100x50"
    assert (conf.printer, conf.dpi, conf.rfid) == ("10.0.0.7", 300, True) and "x" in conf.templates
    assert settings(None).get(None).name == "a4-3x8"


@pytest.mark.parametrize(("table", "message"), [
    ({"TEMPLATE": "nope"}, "no label template 'nope'"),
    ({"PRINTER_DPI": 250}, "PRINTER_DPI 250"),
    ({"PRINTR": "x"}, "unknown label setting\\(s\\) PRINTR"),
])
def test_bad_settings_are_refused(table, message):
    with pytest.raises(LabelError, match=message):
        settings(table)
