"""Comparing two stock-take results of the same scope, box by box (pure), and how times are printed."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from warehouse.stocktake.compare import changes, where
from warehouse.stocktake.export import when

N1, N2, G2 = "K01-D01-G01-N1", "K01-D01-G01-N2", "K01-D01-G02"


def test_where_a_result_located_a_box():
    assert where(("found", "B1", N1, "K01-D01-G01")) == N1  # found at the rack: its home
    assert where(("misplaced", "B1", N1, N2)) == N2
    assert where(("missing", "B1", N1, None)) is None
    assert where(("unlocated", "B1", N1, None)) is None


def test_changes_name_newly_missing_found_again_still_missing_and_moved():
    before = {1: ("found", "B1", N1, N1), 2: ("missing", "B2", N1, None), 3: ("missing", "B3", N1, None),
              4: ("found", "B4", N1, N1), 5: ("misplaced", "B5", N1, N2), 6: ("found", "B6", N1, N1)}
    after = {1: ("missing", "B1", N1, None), 2: ("misplaced", "B2", N1, G2), 3: ("missing", "B3", N1, None),
             4: ("misplaced", "B4", N1, G2), 5: ("found", "B5", N1, N1), 7: ("missing", "B7", N2, None)}
    got = changes(before, after)
    assert got["newly_missing"] == ["B1", "B7"]
    assert got["found_again"] == ["B2"]
    assert got["still_missing"] == ["B3"]
    assert got["moved"] == [{"box": "B4", "before": N1, "after": G2}, {"box": "B5", "before": N2, "after": N1}]
    assert got["newly_expected"] == ["B7"]
    assert got["no_longer_expected"] == ["B6"]


def test_nothing_changed_gives_empty_lists():
    same = {1: ("found", "B1", N1, N1), 2: ("misplaced", "B2", N1, N2)}
    assert all(not items for items in changes(same, dict(same)).values())


def test_an_unlocated_box_that_was_missing_is_found_again_but_not_moved():
    got = changes({1: ("missing", "B1", N1, None)}, {1: ("unlocated", "B1", N1, None)})
    assert got["found_again"] == ["B1"] and got["moved"] == []


def test_times_print_in_the_stores_zone_whether_stored_naive_or_aware():
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    assert when(datetime(2025, 6, 2, 1, 15), zone) == "02/06/2025 08:15"
    assert when(datetime(2025, 6, 2, 17, 5, tzinfo=UTC), zone) == "03/06/2025 00:05"
    assert when(None, zone) == ""
