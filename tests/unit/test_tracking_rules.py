"""Pure tracking rules: a box's state and place, retention, search filters, the timeline's order."""

from datetime import date, datetime, timedelta

import pytest

from warehouse.tracking.disposal import box_expired, expired, kept_through
from warehouse.tracking.history import Entry, merge
from warehouse.tracking.search import keeps
from warehouse.tracking.state import Seen, latest, whereabouts

T = datetime(2026, 3, 1, 8, 0)
SHELF, OTHER, RACK = "K01-D01-G01-N1", "K01-D01-G02-N1", "K01-D01-G01"


def at(minutes: int, place: str | None) -> Seen:
    return Seen(T + timedelta(minutes=minutes), place, 420)


@pytest.mark.parametrize(("status", "read", "fix", "home", "expected"), [
    (None, None, None, SHELF, ("unknown", None, False)),
    (None, at(1, SHELF), None, SHELF, ("on_shelf", SHELF, False)),
    (None, at(1, RACK), None, SHELF, ("on_shelf", RACK, False)),  # the rack that holds its home
    (None, at(1, OTHER), None, SHELF, ("on_shelf", OTHER, True)),
    (None, at(1, None), None, SHELF, ("unknown", None, False)),  # last read at an unknown place
    (None, at(1, OTHER), at(2, SHELF), SHELF, ("on_shelf", SHELF, False)),  # an applied place, later
    (None, at(3, OTHER), at(2, SHELF), SHELF, ("on_shelf", OTHER, True)),  # a later read wins
    (None, at(1, OTHER), None, None, ("on_shelf", OTHER, False)),  # no home: not misplaced
    ("in_transit", at(1, SHELF), None, SHELF, ("in_transit", None, False)),
    ("checked_out", None, None, SHELF, ("checked_out", None, False)),
    ("destroyed", at(1, OTHER), None, SHELF, ("destroyed", None, False)),
    ("lost", None, None, SHELF, ("lost", None, False)),
    ("handed_over", None, None, None, ("handed_over", None, False)),
])
def test_a_box_s_state_and_place_follow_its_status_then_its_latest_read_or_applied_place(
        status, read, fix, home, expected):
    found = whereabouts(status, read, fix, home, RACK if home == SHELF else None)
    assert (found.state, found.place, found.misplaced) == expected


def test_the_place_comes_with_the_read_it_was_seen_by():
    assert whereabouts(None, at(1, OTHER), at(2, SHELF), SHELF, RACK).seen == at(2, SHELF)
    assert whereabouts("lost", at(5, OTHER), None, SHELF).seen == at(5, OTHER)


def test_an_applied_place_wins_a_tie_with_a_read():
    assert latest(at(1, OTHER), at(1, SHELF)) == at(1, SHELF)
    assert latest(None, None) is None


def test_a_box_without_a_home_is_unshelved_only_while_in_stock():
    assert whereabouts(None, at(1, OTHER), None, None).unshelved
    assert not whereabouts("in_transit", None, None, None).unshelved
    assert not whereabouts(None, None, None, SHELF).unshelved


@pytest.mark.parametrize(("end", "years", "on", "past"), [
    (date(2010, 6, 30), 10, date(2020, 12, 31), False),
    (date(2010, 6, 30), 10, date(2021, 1, 1), True),
    (date(2010, 1, 1), 0, date(2011, 1, 1), True),
    (date(2010, 6, 30), None, date(2100, 1, 1), False),  # permanent: no term in years
    (None, 10, date(2100, 1, 1), False),  # no end date: cannot be counted
])
def test_a_file_is_past_retention_from_the_year_after_end_year_plus_years(end, years, on, past):
    assert expired(end, years, on) is past


def test_kept_through_is_the_end_year_plus_years():
    assert kept_through(date(2010, 12, 31), 20) == 2030 and kept_through(None, 5) is None


@pytest.mark.parametrize(("files", "past"), [
    ([], False),
    ([(date(2000, 1, 1), 5, False), (date(2001, 1, 1), 5, False)], True),
    ([(date(2000, 1, 1), 5, False), (date(2001, 1, 1), None, False)], False),  # one kept permanently
    ([(date(2000, 1, 1), 5, False), (date(2020, 1, 1), 50, True)], True),  # the other destroyed already
    ([(date(2000, 1, 1), 5, True)], False),  # nothing left to destroy
])
def test_a_box_is_past_retention_when_each_file_left_in_it_is(files, past):
    assert box_expired(files, date(2010, 1, 1)) is past


@pytest.mark.parametrize(("state", "where", "inside", "kept"), [
    ("", whereabouts(None, at(1, OTHER), None, SHELF, RACK), None, True),
    ("misplaced", whereabouts(None, at(1, OTHER), None, SHELF, RACK), None, True),
    ("misplaced", whereabouts(None, at(1, SHELF), None, SHELF, RACK), None, False),
    ("unshelved", whereabouts(None, at(1, OTHER), None, None), None, True),
    ("on_shelf", whereabouts("checked_out", at(1, SHELF), None, SHELF), None, False),
    ("checked_out", whereabouts("checked_out", None, None, SHELF), None, True),
    ("", whereabouts(None, at(1, OTHER), None, SHELF, RACK), {SHELF}, True),  # its home is inside
    ("", whereabouts(None, at(1, OTHER), None, "K02-D01-G01-N1"), {OTHER}, True),  # its place is
    ("", whereabouts(None, at(1, OTHER), None, "K02-D01-G01-N1"), {SHELF}, False),
])
def test_search_keeps_boxes_by_state_and_by_home_or_place_inside_a_location(state, where, inside, kept):
    assert keeps(where, state, (lambda code: code in inside) if inside is not None else None) is kept


def test_the_timeline_is_newest_first_and_keeps_a_source_s_order_on_ties():
    step = Entry(T, "move.done")
    read = Entry(T, "sighting")
    older = Entry(T - timedelta(hours=1), "move.ordered")
    assert [e.kind for e in merge([[step, older], [read]])] == ["move.done", "sighting", "move.ordered"]
    assert [e.kind for e in merge([[step, older], [read]], limit=1)] == ["move.done"]
