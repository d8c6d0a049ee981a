"""Which stock-take a raw read names: only a well-formed id (the events' check refuses the others)."""

import pytest

from warehouse.stocktake.counting import named


@pytest.mark.parametrize("raw, stocktake", [
    ({"context": {"stocktake": 5}}, 5),
    ({"context": {"stocktake": 5, "manual": True}}, 5),
    ({"context": {"manual": True}}, None),
    ({}, None),
    ({"context": None}, None),
    ({"context": {"stocktake": "5"}}, None),
    ({"context": {"stocktake": 0}}, None),
    ({"context": {"stocktake": -2}}, None),
    ({"context": {"stocktake": True}}, None),
    ({"context": {"stocktake": 2**31}}, None),
    ({"context": ["stocktake", 5]}, None),
    ("not an event", None),
])
def test_a_read_names_a_stock_take_only_by_a_positive_id(raw, stocktake):
    assert named(raw) == stocktake
