"""Alert rules as tables: facts in, drafts out."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from warehouse.alerts import rules

T = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_a_closed_stocktake_gives_one_alert_per_missing_misplaced_box_and_unknown_code():
    drafts = rules.stocktake_closed(5, T, [(1, "P1-H0001", 10)], [(2, "P1-H0002", 10, 11)], ["ZZZ"])
    assert [(d.kind, d.subject, d.location_id) for d in drafts] == [
        ("missing", "box:1", 10), ("misplaced", "box:2", 11), ("unknown_code", "code:ZZZ", None)]
    assert all(d.source == "stocktake:5" for d in drafts)


@pytest.mark.parametrize("place, home, rack, moving, raised", [
    (10, 10, 5, set(), False),    # at its home shelf
    (5, 10, 5, set(), False),     # at the rack holding its home
    (11, 10, 5, set(), True),     # another shelf, even of the same rack
    (11, 10, 5, {1}, False),      # an open move order covers it
    (11, None, None, set(), False),  # a box with no home cannot be misplaced
])
def test_a_box_seen_away_from_home_without_a_move_order_is_misplaced(place, home, rack, moving, raised):
    drafts = rules.misplaced_sightings([(1, "P1-H0001", place, home, rack, T)], moving)
    assert bool(drafts) is raised
    if raised:
        assert drafts[0].kind == "misplaced" and drafts[0].location_id == place


def test_a_box_at_a_gate_is_the_most_urgent_alert():
    [draft] = rules.gate_exits([{"at": T, "box_id": 1, "box": "P1-H0001", "gate_id": 7, "gate": "K01-CONG"}])
    assert draft.kind == "unauthorised_exit" and draft.severity == "critical"
    assert max(rules.SEVERITY.values(), key=["low", "medium", "high", "critical"].index) == draft.severity


def test_each_box_still_in_transit_on_an_overdue_transfer_is_alerted_on_the_box():
    drafts = rules.overdue_transfers([{"transfer": 3, "expected_at": T, "boxes": [(1, "A"), (2, "B")]}], T)
    assert [(d.kind, d.subject, d.code, d.source) for d in drafts] == [
        ("overdue_transit", "box:1", "A", "transfer:3"), ("overdue_transit", "box:2", "B", "transfer:3")]


def test_boxes_declared_missing_on_a_transfers_receipt_are_missing_at_its_destination():
    drafts = rules.missing_on_receipt(4, T, [(1, "A"), (2, "B")], 70)
    assert [(d.kind, d.subject, d.location_id, d.source, d.severity) for d in drafts] == [
        ("missing", "box:1", 70, "transfer:4", "high"), ("missing", "box:2", 70, "transfer:4", "high")]


@pytest.mark.parametrize("path, store", [("/K01/", "K01"), ("/K01/K01-D01/K01-D01-G01/", "K01"),
                                         ("/KHO_2/KHO_2-P1/", "KHO_2")])
def test_a_place_is_in_the_store_its_path_starts_with(path, store):
    assert rules.store_of(path) == store


TRAVEL = timedelta(minutes=30)


def _seen(minutes, store, judged=True, box=1, place=None):
    return (box, f"P1-H000{box}", T + timedelta(minutes=minutes), store, place, judged)


@pytest.mark.parametrize("sightings, raised_at", [
    # two reads judged now, one code in two stores 10 minutes apart: once, at the later read
    ([_seen(0, "K01"), _seen(10, "K02", place=9)], [10]),
    # as far apart as the trip or more: nothing
    ([_seen(0, "K01"), _seen(30, "K02")], []),
    ([_seen(0, "K01"), _seen(45, "K02")], []),
    # the same store, even a minute apart: nothing
    ([_seen(0, "K01"), _seen(1, "K01")], []),
    # a read judged now against one stored before it
    ([_seen(0, "K01", judged=False), _seen(5, "K02")], [5]),
    # a read arriving late is compared with one stored after it
    ([_seen(5, "K02", judged=False), _seen(0, "K01")], [0]),
    # stored reads alone are not judged again
    ([_seen(0, "K01", judged=False), _seen(5, "K02", judged=False)], []),
    # each judged read that contradicts another store counts: K01, K02, K01 again
    ([_seen(0, "K01"), _seen(10, "K02"), _seen(20, "K01")], [10, 20]),
    # another box in the other store is no duplicate
    ([_seen(0, "K01", box=1), _seen(5, "K02", box=2)], []),
])
def test_one_code_in_two_stores_closer_than_the_trip_is_a_duplicate(sightings, raised_at):
    drafts = rules.duplicate_codes(sightings, TRAVEL)
    assert [d.at for d in drafts] == [T + timedelta(minutes=m) for m in raised_at]
    assert all((d.kind, d.subject, d.severity) == ("duplicate_code", "box:1", "medium") for d in drafts)


def test_a_duplicate_names_both_stores_and_where_it_was_read():
    [draft] = rules.duplicate_codes([_seen(0, "K01", judged=False), _seen(12, "K02", place=9)], TRAVEL)
    assert (draft.location_id, draft.detail["store"], draft.detail["other_store"], draft.detail["seconds"]) == (
        9, "K02", "K01", 720.0)


CLOSED = date(2026, 1, 1)


@pytest.mark.parametrize("place, home, rack, closed, covered, raised", [
    (11, 10, 5, CLOSED, set(), True),             # off its shelf, fonds closed, no transfer
    (10, 10, 5, CLOSED, set(), False),            # at its home shelf
    (5, 10, 5, CLOSED, set(), False),             # at the rack holding it
    (11, 10, 5, None, set(), False),              # fonds open: only misplaced (another rule)
    (11, 10, 5, CLOSED, {1}, False),              # an open transfer or a check-out accounts for it
    (11, None, None, CLOSED, set(), False),       # no home: received, not shelved yet
    (11, 10, 5, date(2026, 3, 2), set(), False),  # the fonds closes the day after the read
    (11, 10, 5, date(2026, 3, 1), set(), True),   # from its closing day on
])
def test_a_box_of_a_closed_fonds_seen_off_its_shelf_without_a_transfer(place, home, rack, closed, covered,
                                                                         raised):
    drafts = rules.closed_fonds_sightings([(1, "P1-H0001", place, home, rack, closed, T)], covered)
    assert [(d.kind, d.subject, d.location_id, d.severity) for d in drafts] == (
        [("closed_fonds", "box:1", place, "high")] if raised else [])


@pytest.mark.parametrize("closed, raised", [(CLOSED, True), (date(2026, 3, 1), True), (None, False),
                                            (date(2026, 4, 1), False)])
def test_a_move_order_completed_for_a_box_of_a_closed_fonds(closed, raised):
    drafts = rules.closed_fonds_moved([(1, "P1-H0001", closed, T, 12, 7)])
    assert [(d.kind, d.subject, d.location_id, d.source) for d in drafts] == (
        [("closed_fonds", "box:1", 12, "move:7")] if raised else [])


def test_a_reused_sequence_number_names_device_and_seq():
    [draft] = rules.scan_conflicts([(9, "HH-1", 42, T)])
    assert (draft.kind, draft.code, draft.detail["seq"]) == ("scan_conflict", "HH-1#42", 42)


def test_not_seen_for_n_days_counts_never_seen_boxes_too():
    drafts = rules.not_seen([(1, "A", T - timedelta(days=40)), (2, "B", T - timedelta(days=2)), (3, "C", None)],
                            T, 30)
    assert [d.box_id for d in drafts] == [1, 3]


def test_every_kind_has_a_severity():
    assert set(rules.KINDS) == set(rules.SEVERITY)


HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NIGHT = datetime(2026, 2, 28, 18, 30)  # naive UTC: 01:30 on 1 March in Hà Nội


@pytest.mark.parametrize("closed, zone, raised", [
    (date(2026, 3, 1), HANOI, True),    # the closing day has begun where the archive is
    (date(2026, 3, 1), UTC, False),     # in UTC it is still the day before
    (date(2026, 3, 2), HANOI, False),
])
def test_the_closing_day_is_a_day_of_the_archives_calendar(closed, zone, raised):
    seen = rules.closed_fonds_sightings([(1, "P1-H0001", 11, 10, 5, closed, NIGHT)], set(), zone)
    moved = rules.closed_fonds_moved([(1, "P1-H0001", closed, NIGHT.replace(tzinfo=UTC), 12, 7)], zone)
    assert (len(seen), len(moved)) == ((1, 1) if raised else (0, 0))
    assert rules.day_of(NIGHT, HANOI) == date(2026, 3, 1) and rules.day_of(NIGHT) == date(2026, 2, 28)
