"""The handheld's verdict on a read, from the device's place and what the code names (pure)."""

import pytest

from warehouse.scans.feedback import Known, decide

SHELF = Known("K01-D01-G01-N1", "place", "Ngăn 1", "ngan")
OTHER_SHELF = Known("K01-D01-G01-N2", "place", "Ngăn 2", "ngan")
RACK = Known("K01-D01-G01", "place", "Giá 1", "gia")
OTHER_RACK = Known("K01-D01-G02", "place", "Giá 2", "gia")
ROW = Known("K01-D01", "place", "Dãy 1", "day")
GATE = Known("K01-C1", "gate", "Cổng 1", "cong")
CHECKPOINT = Known("K01-DIEM1", "checkpoint", "Điểm 1", "diem")
BOX = Known("P001-H0001", "box", home=SHELF.code, home_rack=RACK.code)
HOMELESS = Known("P001-H0002", "box")
UNKNOWN = Known("NOPE", "unknown")


@pytest.mark.parametrize("place, read, verdict, after", [
    (None, SHELF, "place", SHELF),
    (OTHER_SHELF, RACK, "place", RACK),
    (SHELF, ROW, "coarse", ROW),
    (SHELF, GATE, "cleared", None),
    (SHELF, CHECKPOINT, "cleared", None),
    (SHELF, BOX, "in_place", SHELF),
    (RACK, BOX, "in_place", RACK),
    (OTHER_SHELF, BOX, "misplaced", OTHER_SHELF),
    (OTHER_RACK, BOX, "misplaced", OTHER_RACK),
    (None, BOX, "no_place", None),
    (ROW, BOX, "no_place", ROW),
    (SHELF, HOMELESS, "no_home", SHELF),
    (SHELF, UNKNOWN, "unknown", SHELF),
    (None, UNKNOWN, "unknown", None),
    (UNKNOWN, BOX, "no_place", None),  # a place code that names nothing is no place
])
def test_each_read_gets_its_verdict_and_leaves_the_device_at_its_place(place, read, verdict, after):
    got = decide(place, read)
    assert (got.verdict, got.place) == (verdict, after)


def test_a_box_whose_home_is_on_another_rack_is_misplaced_on_a_rack_of_the_same_name_prefix():
    box = Known("P001-H0003", "box", home="K01-D01-G011-N1", home_rack="K01-D01-G011")
    assert decide(RACK, box).verdict == "misplaced"
