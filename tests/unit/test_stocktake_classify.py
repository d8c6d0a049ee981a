"""Stock-take classification as a table of cases: each expected box found, misplaced, missing or
unlocated by its last located read; unexpected codes; recounts that set earlier reads aside."""

from datetime import datetime, timedelta

import pytest

from warehouse.stocktake.classify import Read, classify, in_place, set_aside, unknown_places

T0 = datetime(2025, 6, 2, 1, 0, 0)
# Places: store 1 › row 2 › rack 10 › shelves 11, 12; rack 20 › shelf 21; gate 30; checkpoint 31.
RACKS = {11: 10, 12: 10, 21: 20}
KINDS = {1: "kho", 2: "day", 10: "gia", 11: "ngan", 12: "ngan", 20: "gia", 21: "ngan", 30: "cong", 31: "diem"}
BY_CODE = {"K01": 1, "K01-D01": 2, "G1": 10, "G1-N1": 11, "G1-N2": 12, "G2": 20, "G2-N1": 21, "GATE": 30,
           "CP": 31}


def box(box_id, place=None, *, at=0, device="HH-01", seq=None):
    return Read(T0 + timedelta(seconds=at), device, seq if seq is not None else at, "box", box_id, place)


def unknown(code, *, at=0, device="HH-01", seq=None, location=None):
    return Read(T0 + timedelta(seconds=at), device, seq if seq is not None else at, "unknown", code=code,
                location=location)


def label(location, reading="place", *, at=0, device="HH-01", seq=None):
    return Read(T0 + timedelta(seconds=at), device, seq if seq is not None else at, reading, label=location)


def outcome_of(expected, reads, marks=None, unknown_place=None):
    result = classify(expected, reads, RACKS, marks, unknown_place)
    return {v.box: (v.outcome, v.home, v.place) for v in result.verdicts}, result


CASES = [
    ("read on its home shelf: found", {1: 11}, [box(1, 11)], ("found", 11, 11)),
    ("read at the rack holding its home: found", {1: 11}, [box(1, 10)], ("found", 11, 10)),
    ("read on another shelf of the same rack: misplaced", {1: 11}, [box(1, 12)], ("misplaced", 11, 12)),
    ("read at another rack: misplaced", {1: 11}, [box(1, 20)], ("misplaced", 11, 20)),
    ("read only at unknown places: unlocated", {1: 11}, [box(1, None), box(1, None, at=5)],
     ("unlocated", 11, None)),
    ("not read at all: missing", {1: 11}, [box(2, 11)], ("missing", 11, None)),
    ("a later unknown place does not undo a located read", {1: 11}, [box(1, 12), box(1, None, at=9)],
     ("misplaced", 11, 12)),
    ("the last located read by time wins", {1: 11}, [box(1, 11, at=1), box(1, 20, at=2)], ("misplaced", 11, 20)),
    ("the last located read wins whatever the order rows come in", {1: 11},
     [box(1, 20, at=2), box(1, 11, at=3), box(1, 12, at=1)], ("found", 11, 11)),
    ("equal times: the device later by name wins", {1: 11},
     [box(1, 11, at=4, device="HH-02", seq=1), box(1, 20, at=4, device="HH-01", seq=9)], ("found", 11, 11)),
    ("equal times on one device: the higher seq wins", {1: 11},
     [box(1, 21, at=4, seq=8), box(1, 11, at=4, seq=7)], ("misplaced", 11, 21)),
    ("a box without a home read anywhere is misplaced", {1: None}, [box(1, 11)], ("misplaced", None, 11)),
]


@pytest.mark.parametrize("name, expected, reads, verdict", CASES, ids=[c[0] for c in CASES])
def test_each_expected_box_gets_the_outcome_of_its_last_located_read(name, expected, reads, verdict):
    got, _ = outcome_of(expected, reads)
    assert got[1] == verdict


def test_every_expected_box_is_in_exactly_one_outcome():
    expected = {1: 11, 2: 11, 3: 12, 4: 21}
    got, result = outcome_of(expected, [box(1, 11), box(2, 21, at=1), box(3, None, at=2)])
    assert {b: v[0] for b, v in got.items()} == {1: "found", 2: "misplaced", 3: "unlocated", 4: "missing"}
    assert len(result.verdicts) == len(expected)


def test_unknown_codes_and_boxes_from_outside_are_unexpected_but_labels_are_not():
    reads = [label(11), label(30, "gate", at=1), label(31, "checkpoint", at=2), box(1, 11, at=3),
             box(7, 11, at=4), unknown("ZZ-999", at=5), unknown("ZZ-999", at=6), unknown("abc", at=7)]
    got, result = outcome_of({1: 11}, reads)
    assert got[1][0] == "found"
    assert [(v.box, v.outcome, v.place) for v in result.outside] == [(7, "unexpected", 11)]
    assert set(result.unknown) == {"ZZ-999", "abc"}
    assert result.reads == 8 and result.counted == 5


def test_a_box_outside_the_set_read_only_at_unknown_places_is_still_unexpected():
    _, result = outcome_of({1: 11}, [box(9, None)])
    assert [(v.box, v.place, v.read) for v in result.outside] == [(9, None, None)]


def test_the_deciding_read_is_kept_with_the_verdict():
    _, result = outcome_of({1: 11}, [box(1, 12, at=1, seq=3), box(1, 11, at=2, seq=4)])
    assert result.verdicts[0].read == (T0 + timedelta(seconds=2), "HH-01", 4)


MARKS = {11: {"HH-01": 5}}  # a recount of shelf 11 ordered when HH-01 had sent up to seq 5


RECOUNTS = [
    ("an earlier read on the recounted shelf is set aside: missing", [box(1, 11, seq=3)], "missing"),
    ("the recount's read counts", [box(1, 11, seq=3), box(1, 11, at=9, seq=6)], "found"),
    ("an earlier read on another shelf still counts", [box(1, 12, seq=3)], "misplaced"),
    ("the earlier read set aside, an earlier read elsewhere decides", [box(1, 21, seq=2), box(1, 11, seq=3)],
     "misplaced"),
    ("a device that sent nothing before the recount counts in full", [box(1, 11, device="HH-02", seq=1)],
     "found"),
    ("an earlier read at an unknown place still counts", [box(1, None, seq=3)], "unlocated"),
]


@pytest.mark.parametrize("name, reads, verdict", RECOUNTS, ids=[c[0] for c in RECOUNTS])
def test_a_recount_sets_aside_the_earlier_reads_placed_on_its_shelf(name, reads, verdict):
    got, _ = outcome_of({1: 11}, reads, MARKS)
    assert got[1][0] == verdict


def test_set_aside_reads_are_kept_apart_and_counted_as_such():
    _, result = outcome_of({1: 11}, [box(1, 11, seq=3), box(2, 11, seq=4), box(1, 11, seq=7)], MARKS)
    assert (result.set_aside, result.counted, result.outside) == (2, 1, [])


def test_an_unknown_code_read_on_a_recounted_shelf_before_the_recount_is_set_aside():
    reads = [label(11, seq=1), unknown("JUNK", seq=2), label(12, seq=3), unknown("OTHER", seq=4)]
    places = unknown_places(reads, KINDS, BY_CODE)
    _, result = outcome_of({}, reads, MARKS, places)
    assert set(result.unknown) == {"OTHER"}


PLACES = [
    ("after a shelf label", [label(11, seq=1), unknown("X", seq=2)], 11),
    ("after a rack label", [label(10, seq=1), unknown("X", seq=2)], 10),
    ("after a row label: too coarse", [label(2, seq=1), unknown("X", seq=2)], None),
    ("after a gate: cleared", [label(11, seq=1), label(30, "gate", seq=2), unknown("X", seq=3)], None),
    ("its explicit location wins", [label(11, seq=1), unknown("X", seq=2, location="g2-n1")], 21),
    ("an explicit checkpoint is no place", [unknown("X", seq=2, location="CP")], None),
    ("labels are taken in seq order", [unknown("X", seq=5), label(11, seq=1, at=9)], 11),
    ("another device's label does not count", [label(11, seq=1, device="HH-02"), unknown("X", seq=2)], None),
]


@pytest.mark.parametrize("name, reads, place", PLACES, ids=[c[0] for c in PLACES])
def test_the_place_of_an_unknown_code_follows_the_devices_labels(name, reads, place):
    read = next(r for r in reads if r.reading == "unknown")
    assert unknown_places(reads, KINDS, BY_CODE)[("HH-01", read.seq)] == place


def test_in_place_and_set_aside_rules():
    assert in_place(11, 11, RACKS) and in_place(10, 11, RACKS)
    assert not in_place(20, 11, RACKS) and not in_place(11, None, RACKS)
    assert set_aside(11, "HH-01", 5, MARKS) and not set_aside(11, "HH-01", 6, MARKS)
    assert not set_aside(12, "HH-01", 1, MARKS) and not set_aside(None, "HH-01", 1, MARKS)
    assert not set_aside(11, "HH-09", 1, MARKS)
