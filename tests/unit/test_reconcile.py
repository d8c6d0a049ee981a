"""Reconciliation rules as tables: matching, matched/misplaced/missing, extra, file counts, summary."""

import pytest

from warehouse.handover.reconcile import Listed, Registered, in_place, match, reconcile

N1, N2, G1 = "K01-D01-G01-N1", "K01-D01-G01-N2", "K01-D01-G01"
OTHER = "K01-D02-G01-N1"
RACKS = {N1: G1, N2: G1, OTHER: "K01-D02-G01"}


def box(id_: int, number: int, home: str | None = N1, files: int = 2, fonds: str = "P002", code: str | None = None,
        retired: bool = False) -> Registered:
    return Registered(id_, code or f"{fonds}-H{number:04d}", fonds, number, home, files, retired)


@pytest.mark.parametrize("place, listed, expected", [
    (N1, N1, True),  # at the listed shelf
    (G1, N1, True),  # at the rack that holds it
    (N2, N1, False),  # another shelf of the same rack
    (OTHER, N1, False),
    (N1, None, False),  # nowhere listed: never in place
    (N1, "K09-UNKNOWN", False),  # a listed place Kho does not know
])
def test_in_place_follows_the_stocktake_rule(place, listed, expected):
    assert in_place(place, listed, RACKS) is expected


CASES = {
    # name: (listed, register, located, counted, expected lists)
    "found at its home": ([Listed(1, files=2)], [box(1, 1)], {1: N1}, None, {"matched": ["P002-H0001"]}),
    "found at the rack of its home": ([Listed(1, files=2)], [box(1, 1)], {1: G1}, None, {"matched": ["P002-H0001"]}),
    "found elsewhere": ([Listed(1, files=2)], [box(1, 1)], {1: OTHER}, None,
                        {"misplaced": [("P002-H0001", N1, OTHER)]}),
    "not located": ([Listed(1, files=2)], [box(1, 1)], {}, None, {"missing": ["P002-H0001"]}),
    "the list's place wins over the home": ([Listed(1, location=OTHER, files=2)], [box(1, 1)], {1: N1}, None,
                                            {"misplaced": [("P002-H0001", OTHER, N1)]}),
    "found at the list's place, not at home": ([Listed(1, location=OTHER, files=2)], [box(1, 1)], {1: OTHER},
                                               None, {"matched": ["P002-H0001"]}),
    "no home and no listed place": ([Listed(1, files=2)], [box(1, 1, home=None)], {1: N1}, None,
                                    {"misplaced": [("P002-H0001", None, N1)]}),
    "unknown to the register, by number": ([Listed(9, files=1)], [box(1, 1)], {}, None,
                                           {"missing": ["P002-H0009"], "unknown": ["P002-H0009"]}),
    "unknown to the register, by its code": ([Listed(9, code="X-77", files=1)], [], {}, None,
                                             {"missing": ["X-77"], "unknown": ["X-77"]}),
    "outside the stock-take": ([Listed(1, files=2)], [box(1, 1)], {}, {2}, {"missing": ["P002-H0001"],
                                                                            "not_counted": ["P002-H0001"]}),
    "counted but not found": ([Listed(1, files=2)], [box(1, 1)], {}, {1}, {"missing": ["P002-H0001"]}),
    "located and not listed: extra": ([], [box(1, 1)], {1: N1}, None, {"extra": ["P002-H0001"]}),
    "not located and not listed: nothing": ([], [box(1, 1)], {}, None, {}),
    "a retired box is never extra": ([], [box(1, 1, retired=True)], {1: N1}, None, {}),
    "another fonds' box is never extra": ([], [box(1, 1, fonds="P003")], {1: N1}, None, {}),
    "file counts differ, box matched": ([Listed(1, files=3)], [box(1, 1, files=2)], {1: N1}, None,
                                        {"matched": ["P002-H0001"], "count_mismatch": [("P002-H0001", 3, 2)]}),
    "file counts differ, box missing": ([Listed(1, files=1)], [box(1, 1, files=2)], {}, None,
                                        {"missing": ["P002-H0001"], "count_mismatch": [("P002-H0001", 1, 2)]}),
    "an unknown box has no file count to differ": ([Listed(9, files=5)], [], {}, None,
                                                   {"missing": ["P002-H0009"], "unknown": ["P002-H0009"]}),
}


@pytest.mark.parametrize("name", CASES)
def test_each_case_lands_in_its_lists(name):
    listed, register, located, counted, want = CASES[name]
    got = reconcile("P002", listed, register, located, RACKS, counted)
    for key in ("matched", "missing", "misplaced", "extra", "count_mismatch", "unknown", "not_counted"):
        assert getattr(got, key) == want.get(key, []), key
    assert got.listed == len(listed)


def test_a_box_code_on_the_list_matches_by_code_before_the_number():
    register = [box(1, 1), box(7, 7, code="CUSTOM-7")]
    got = match("P002", [Listed(1, code="CUSTOM-7")], register)
    assert [(name, known.id) for name, known, _, _ in got.values()] == [("CUSTOM-7", 7)]


def test_a_box_code_the_register_lacks_is_not_matched_by_number():
    got = reconcile("P002", [Listed(1, code="P002-H9999", files=2)], [box(1, 1)], {1: N1}, RACKS)
    assert got.unknown == ["P002-H9999"] and got.extra == ["P002-H0001"] and got.matched == []


def test_a_code_of_another_fonds_on_the_list_is_that_box():
    register = [box(5, 4, fonds="P003", home=OTHER)]
    got = reconcile("P002", [Listed(4, code="P003-H0004", files=2)], register, {5: OTHER}, RACKS)
    assert got.matched == ["P003-H0004"] and got.extra == []


def test_two_listed_boxes_naming_one_register_box_are_one_box_with_their_files_added():
    register = [box(3, 3, code="P002-H0003", files=4)]
    listed = [Listed(3, files=1), Listed(8, code="P002-H0003", files=2)]
    got = reconcile("P002", listed, register, {3: N1}, RACKS)
    assert got.listed == 1 and got.matched == ["P002-H0003"]
    assert got.count_mismatch == [("P002-H0003", 3, 4)]


def test_each_listed_box_is_in_exactly_one_of_matched_misplaced_missing():
    register = [box(i, i, home=N1 if i % 2 else N2) for i in range(1, 41)]
    located = {i: [N1, N2, G1, OTHER][i % 4] for i in range(1, 41) if i % 5}
    listed = [Listed(i, files=2) for i in range(1, 31)] + [Listed(99, files=1)]
    got = reconcile("P002", listed, register, located, RACKS)
    groups = [set(got.matched), {m[0] for m in got.misplaced}, set(got.missing)]
    assert sum(len(g) for g in groups) == got.listed == 31
    assert set.union(*groups) == {f"P002-H{i:04d}" for i in [*range(1, 31), 99]}
    assert set(got.extra) == {f"P002-H{i:04d}" for i in range(31, 41) if i % 5}


def test_the_summary_counts_boxes_and_the_lists_keep_the_order_of_the_list():
    register = [box(i, i) for i in (2, 10, 1)]
    got = reconcile("P002", [Listed(10, files=2), Listed(2, files=2), Listed(1, files=9)], register,
                    {1: N1, 2: N1, 10: N1}, RACKS)
    assert got.matched == ["P002-H0010", "P002-H0002", "P002-H0001"]
    doc = got.to_json(id=4)
    assert doc["summary"] == {"listed": 3, "matched": 3, "missing": 0, "misplaced": 0, "extra": 0,
                              "count_mismatch": 1, "unknown": 0, "not_counted": 0, "away": 0}
    assert doc["count_mismatch"] == [{"box": "P002-H0001", "listed_files": 9, "found_files": 2}]
    assert doc["id"] == 4


def test_database_rows_of_the_same_shape_as_the_named_tuples_will_do():
    listed, register = [(1, None, None, 2)], [(1, "P002-H0001", "P002", 1, N1, 2, 0)]
    assert reconcile("P002", listed, register, {1: G1}, RACKS).matched == ["P002-H0001"]


@pytest.mark.parametrize("away, expected", [
    ({}, {"matched": ["P002-H0001"], "missing": [], "away": [], "extra": ["P002-H0002"]}),
    ({1: "checked_out"}, {"matched": [], "missing": ["P002-H0001"], "away": [("P002-H0001", "checked_out")],
                          "extra": ["P002-H0002"]}),
    ({2: "in_transit"}, {"matched": ["P002-H0001"], "missing": [], "away": [], "extra": []}),  # not extra either
])
def test_a_box_held_away_is_not_located_whatever_its_last_read(away, expected):
    out = reconcile("P002", [Listed(1, files=2)], [box(1, 1), box(2, 2)], {1: N1, 2: N1}, RACKS, None, away)
    got = {"matched": out.matched, "missing": out.missing, "away": out.away, "extra": out.extra}
    assert got == expected and out.summary()["away"] == len(expected["away"])
