"""Interpretation rules, one table per rule: places, gates, coarse labels, explicit locations, RFID."""

from datetime import datetime, timedelta

import pytest

from warehouse.scans.codes import UNKNOWN, Resolved
from warehouse.scans.interpret import DeviceState, Read, interpret

WINDOW = timedelta(seconds=30)
T0 = datetime(2026, 3, 1, 1, 0, 0)
LABELS = {
    "kho": Resolved("place", 1, "kho"), "phong": Resolved("place", 2, "phong"),
    "day": Resolved("place", 3, "day"), "gia": Resolved("place", 4, "gia"),
    "ngan": Resolved("place", 5, "ngan"), "ngan2": Resolved("place", 6, "ngan"),
    "cong": Resolved("gate", 7, "cong"), "diem": Resolved("checkpoint", 8, "diem"),
    "box": Resolved("box", 100), "box2": Resolved("box", 200), "?": UNKNOWN,
}


def reads(*names, kind="barcode", step=1, where=None):
    """Reads of the named codes, one second apart, seq from 1."""
    return [Read(i, kind, T0 + timedelta(seconds=step * i), LABELS[n], where and LABELS[where])
            for i, n in enumerate(names, start=1)]


def places(result):
    return [(r.reading, r.place_id, r.sighting) for r in result if r.reading == "box"]


@pytest.mark.parametrize("names, place", [
    (("ngan", "box"), 5),
    (("gia", "box"), 4),
    (("day", "box"), None),
    (("phong", "box"), None),
    (("kho", "box"), None),
    (("box",), None),
    (("ngan", "ngan2", "box"), 6),
    (("ngan", "?", "box"), 5),
    (("ngan", "box", "box2"), 5),
    (("ngan", "day", "box"), None),
    (("day", "ngan", "box"), 5),
])
def test_a_box_read_is_placed_by_the_last_label_the_device_read(names, place):
    result = interpret(reads(*names), DeviceState(), WINDOW)
    assert places(result)[-1] == ("box", place, True)


@pytest.mark.parametrize("names", [("ngan", "cong", "box"), ("ngan", "diem", "box"), ("cong", "box"),
                                   ("gia", "diem", "box")])
def test_a_gate_or_checkpoint_clears_the_place_and_never_places_a_box(names):
    result = interpret(reads(*names), DeviceState(), WINDOW)
    assert places(result) == [("box", None, True)]
    gate = next(r for r in result if r.reading in ("gate", "checkpoint"))
    assert gate.label_id in (7, 8) and gate.place_id is None and not gate.sighting


@pytest.mark.parametrize("where, place", [("ngan2", 6), ("gia", 4), ("day", None), ("kho", None),
                                          ("cong", None), ("diem", None), ("?", None)])
def test_an_explicit_location_wins_over_the_devices_place(where, place):
    result = interpret(reads("ngan", "box", where=where), DeviceState(), WINDOW)
    assert places(result) == [("box", place, True)]


def test_an_explicit_location_does_not_move_the_device():
    result = interpret([*reads("ngan", "box", where="ngan2")[:2], Read(3, "barcode", T0, LABELS["box2"])],
                       DeviceState(), WINDOW)
    assert places(result) == [("box", 6, True), ("box", 5, True)]


def test_the_place_carries_over_from_the_state_before_the_batch():
    state = DeviceState(place=LABELS["gia"])
    assert places(interpret(reads("box"), state, WINDOW)) == [("box", 4, True)]
    assert state.place == LABELS["gia"]


def test_an_unknown_code_changes_nothing_and_is_no_sighting():
    result = interpret(reads("ngan", "?", "box"), DeviceState(), WINDOW)
    assert (result[1].reading, result[1].sighting, result[1].place_id) == ("unknown", False, None)


@pytest.mark.parametrize("step, sightings", [(1, [True, False, False]), (10, [True, False, False]),
                                             (15, [True, False, False]), (16, [True, False, True]),
                                             (31, [True, True, True])])
def test_rfid_rereads_within_the_window_collapse_into_one_sighting(step, sightings):
    result = interpret(reads("box", "box", "box", kind="rfid", step=step, where="ngan"), DeviceState(), WINDOW)
    assert [r.sighting for r in result] == sightings


def test_barcode_rereads_never_collapse():
    result = interpret(reads("ngan", "box", "box", "box"), DeviceState(), WINDOW)
    assert [r.sighting for r in result[1:]] == [True, True, True]


def test_rfid_reads_of_different_tags_or_places_do_not_collapse():
    tags = interpret(reads("box", "box2", kind="rfid", where="ngan"), DeviceState(), WINDOW)
    assert [r.sighting for r in tags] == [True, True]
    moved = [Read(1, "rfid", T0, LABELS["box"], LABELS["ngan"]), Read(2, "rfid", T0, LABELS["box"], LABELS["ngan2"])]
    assert [r.sighting for r in interpret(moved, DeviceState(), WINDOW)] == [True, True]


def test_an_rfid_reread_collapses_into_a_sighting_of_an_earlier_batch():
    state = DeviceState(recent={(100, 5): T0 - timedelta(seconds=20)})
    assert [r.sighting for r in interpret(reads("box", kind="rfid", where="ngan"), state, WINDOW)] == [False]
    state = DeviceState(recent={(100, 5): T0 - timedelta(seconds=40)})
    assert [r.sighting for r in interpret(reads("box", kind="rfid", where="ngan"), state, WINDOW)] == [True]


def test_a_label_read_is_stored_with_its_location_and_no_place():
    result = interpret(reads("ngan"), DeviceState(), WINDOW)
    assert (result[0].reading, result[0].label_id, result[0].place_id, result[0].box_id) == ("place", 5, None, None)
