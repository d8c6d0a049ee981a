"""Alert rules as tables: facts in, drafts out."""

from datetime import UTC, datetime, timedelta

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


def test_each_box_still_in_transit_on_an_overdue_transfer_is_alerted():
    drafts = rules.overdue_transfers([{"transfer": 3, "expected_at": T, "boxes": ["A", "B"]}], T)
    assert [(d.kind, d.code, d.source) for d in drafts] == [
        ("overdue_transit", "A", "transfer:3"), ("overdue_transit", "B", "transfer:3")]


@pytest.mark.parametrize("gap_minutes, other_store, raised", [(5, True, True), (120, True, False),
                                                               (5, False, False)])
def test_one_code_in_two_stores_too_close_in_time_is_a_duplicate(gap_minutes, other_store, raised):
    reads = [(1, "P1-H0001", T, 100), (1, "P1-H0001", T + timedelta(minutes=gap_minutes),
                                        200 if other_store else 100)]
    assert bool(rules.duplicate_codes(reads, timedelta(hours=1))) is raised


def test_a_reused_sequence_number_names_device_and_seq():
    [draft] = rules.scan_conflicts([(9, "HH-1", 42, T)])
    assert (draft.kind, draft.code, draft.detail["seq"]) == ("scan_conflict", "HH-1#42", 42)


def test_not_seen_for_n_days_counts_never_seen_boxes_too():
    drafts = rules.not_seen([(1, "A", T - timedelta(days=40)), (2, "B", T - timedelta(days=2)), (3, "C", None)],
                            T, 30)
    assert [d.box_id for d in drafts] == [1, 3]


def test_every_kind_has_a_severity():
    assert set(rules.KINDS) == set(rules.SEVERITY)
