"""Pure rules of the stores: which kind sits in which, label codes, paths, free space."""

import pytest

from warehouse.errors import Refused
from warehouse.locations import (
    Space,
    check_nesting,
    child_path,
    clean_capacity,
    clean_code,
    depth,
    roll_up,
    walk,
)

ALLOWED = [("kho", None), ("phong", "kho"), ("day", "kho"), ("day", "phong"), ("gia", "day"),
           ("ngan", "gia"), ("cong", "kho"), ("cong", "ngan"), ("diem", "phong"), ("diem", "gia")]
REFUSED = [("kho", "kho"), ("kho", "phong"), ("phong", None), ("phong", "day"), ("day", "gia"),
           ("gia", "kho"), ("gia", "phong"), ("ngan", "day"), ("ngan", "kho"), ("ngan", None),
           ("cong", None), ("diem", None), ("cong", "cong"), ("ngan", "diem"), ("hop", None)]


@pytest.mark.parametrize("kind, parent", ALLOWED)
def test_each_kind_sits_where_the_tree_allows(kind, parent):
    check_nesting(kind, parent)


@pytest.mark.parametrize("kind, parent", REFUSED)
def test_a_kind_placed_anywhere_else_is_refused(kind, parent):
    with pytest.raises(Refused):
        check_nesting(kind, parent)


def test_the_refusal_names_the_kinds_involved():
    with pytest.raises(Refused, match="ngan.*kho.*gia"):
        check_nesting("ngan", "kho")


@pytest.mark.parametrize("raw, code", [("K01-D02-G05-N03", "K01-D02-G05-N03"), (" k01-d02 ", "K01-D02"),
                                       ("P012/1.A", "P012/1.A")])
def test_codes_are_ascii_upper_case(raw, code):
    assert clean_code(raw) == code


@pytest.mark.parametrize("raw", ["K01 D02", "KHO-ĐÔNG", "K01_D02", "-K01", "", "   ", "K01#2"])
def test_codes_outside_the_barcode_alphabet_are_refused_naming_the_value(raw):
    with pytest.raises(Refused) as caught:
        clean_code(raw)
    assert raw.strip() == "" or repr(raw) in str(caught.value)


def test_a_code_longer_than_allowed_is_refused():
    with pytest.raises(Refused, match="longer than 40"):
        clean_code("P" * 41, longest=40)


def test_a_path_is_the_parent_path_and_the_code():
    assert child_path(None, "K01") == "/K01/"
    assert child_path("/K01/K01-D01/", "K01-D01-G01") == "/K01/K01-D01/K01-D01-G01/"
    assert depth("/K01/") == 0 and depth("/K01/K01-D01/K01-D01-G01/") == 2


def test_gates_and_checkpoints_hold_no_capacity():
    assert clean_capacity(None, "cong") is None
    with pytest.raises(Refused):
        clean_capacity(5, "diem")
    with pytest.raises(Refused):
        clean_capacity(-1, "ngan")


def test_free_space_on_a_shelf_is_its_capacity_less_its_boxes():
    spaces = roll_up([("N1", None, 10, 7)])
    assert spaces["N1"] == Space(capacity=10, boxes=7, free=3, over=0)
    assert spaces["N1"].percent == 70


def test_an_overfull_shelf_shows_a_negative_free_space_and_counts_as_over():
    spaces = roll_up([("N1", None, 2, 5)])
    assert spaces["N1"].free == -3 and spaces["N1"].over == 1


def test_a_rack_sums_its_shelves_and_a_full_shelf_lends_no_room():
    spaces = roll_up([("G1", "D1", None, 0), ("N1", "G1", 2, 5), ("N2", "G1", 10, 1), ("N3", "G1", None, 2),
                      ("D1", None, None, 0)])
    assert spaces["G1"] == Space(capacity=12, boxes=8, free=9, over=1)
    assert spaces["D1"] == Space(capacity=12, boxes=8, free=9, over=1)


def test_a_place_with_its_own_capacity_counts_everything_inside_against_it():
    spaces = roll_up([("G1", None, 20, 0), ("N1", "G1", 10, 8), ("N2", "G1", 10, 8)])
    assert spaces["G1"] == Space(capacity=20, boxes=16, free=4, over=0)


def test_a_place_with_no_capacity_anywhere_has_unknown_room():
    spaces = roll_up([("K1", None, None, 0), ("C1", "K1", None, 0)])
    assert spaces["K1"] == Space(capacity=None, boxes=0, free=None, over=0)
    assert spaces["K1"].percent is None


def test_places_are_walked_in_tree_order_with_g2_before_g10():
    rows = [(1, None, "K01"), (3, 2, "K01-D1-G10"), (2, 1, "K01-D1"), (4, 2, "K01-D1-G2"), (5, 4, "N1"),
            (6, 1, "K01-D1-X")]
    assert walk(rows) == [(1, 0), (2, 1), (4, 2), (5, 3), (3, 2), (6, 1)]
