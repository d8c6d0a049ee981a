"""The pure rules of chỉnh lý: which moves and merges are allowed, numbers, codes, Số TT plans."""

import pytest

from warehouse.errors import Refused
from warehouse.sorting import (
    BoxFacts,
    box_code,
    explain,
    merge_refusal,
    move_refusal,
    next_free_number,
    normal_code,
    number_clash,
    position_plan,
)

A1 = BoxFacts("P012-H0001", "P012")
A2 = BoxFacts("P012-H0002", "P012")
A_RETIRED = BoxFacts("P012-H0003", "P012", retired=True)
B1 = BoxFacts("P027-H0001", "P027")


@pytest.mark.parametrize("file_fonds, source, target, expected", [
    ("P012", A1, A2, None),
    ("P012", A1, A1, "file(s) 7 (id 9) are already in box P012-H0001"),
    ("P012", A1, B1, "file(s) 7 (id 9) of fonds P012 cannot go into box P027-H0001 of fonds P027"),
    ("P012", A1, A_RETIRED, "file(s) 7 (id 9): box P012-H0003 is retired"),
])
def test_a_file_moves_only_into_a_live_box_of_its_own_fonds(file_fonds, source, target, expected):
    why = move_refusal("7 (id 9)", file_fonds, source, target)
    assert why is None if expected is None else expected in explain(why)


@pytest.mark.parametrize("into, source, expected", [
    (A1, A2, None),
    (A1, A1, "cannot be merged into itself"),
    (A1, B1, "boxes of different fonds are never merged"),
    (A1, A_RETIRED, "box P012-H0003 is retired"),
    (A_RETIRED, A1, "box P012-H0003 is retired"),
])
def test_boxes_merge_only_within_a_fonds_and_while_live(into, source, expected):
    why = merge_refusal(into, source)
    assert why is None if expected is None else expected in explain(why)


@pytest.mark.parametrize("used, expected", [
    ([], 1),
    ([1, 2, 3], 4),
    ([1, 5, 2], 6),  # a gap is not filled: a new box goes after the last one
    ([7], 8),
])
def test_the_next_free_box_number_follows_the_highest_used_one(used, expected):
    assert next_free_number(used) == expected


@pytest.mark.parametrize("number, taken, expected", [
    (4, {1: "P012-H0001", 2: "P012-H0002"}, None),
    (2, {1: "P012-H0001", 2: "P012-H0002"}, "box number 2 of fonds P012 is taken by box P012-H0002"),
    (0, {}, "box numbers start at 1"),
    (-3, {}, "box numbers start at 1"),
])
def test_a_box_number_clash_names_the_box_that_holds_it(number, taken, expected):
    why = number_clash(number, "P012", taken)
    assert why is None if expected is None else expected in explain(why)


@pytest.mark.parametrize("fonds, number, expected", [
    ("P012", 7, "P012-H0007"),
    ("P3", 1234, "P3-H1234"),
    ("P3", 12345, "P3-H12345"),
])
def test_generated_box_codes_follow_the_contract(fonds, number, expected):
    assert box_code(fonds, number) == expected


@pytest.mark.parametrize("raw, expected", [
    (" p012-h0099 ", "P012-H0099"),
    ("KHO.1/A-2", "KHO.1/A-2"),
])
def test_a_given_box_code_is_stored_in_upper_case(raw, expected):
    assert normal_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "HỘP-1", "P012 H1", "-P012", "P012_H1", "X" * 81])
def test_a_box_code_that_is_not_barcode_safe_is_refused(raw):
    with pytest.raises(Refused):
        normal_code(raw)


@pytest.mark.parametrize("rows, expected", [
    # (file id, box number, position) → (file id, new position) for the files that change
    ([(1, 1, 1), (2, 1, 2), (3, 2, 3)], []),
    ([(1, 1, 1), (2, 2, 2), (3, 1, 3)], [(3, 2), (2, 3)]),
    ([(10, 3, None), (11, 3, 5), (12, 1, 9)], [(12, 1), (11, 2), (10, 3)]),
    ([(5, 1, None), (4, 1, None)], [(4, 1), (5, 2)]),
    ([(1, 2, 1), (2, 1, 1)], [(1, 2)]),  # file 2 keeps 1
    ([], []),
])
def test_positions_are_renumbered_in_box_order_then_old_order(rows, expected):
    assert position_plan(rows) == expected
