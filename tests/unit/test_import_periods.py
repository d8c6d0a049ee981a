"""Dates and periods in import files."""

from datetime import date, datetime

import pytest

from warehouse.importing.periods import parse_date, parse_span


@pytest.mark.parametrize("value, start, end", [
    ("05/09/2014", date(2014, 9, 5), date(2014, 9, 5)),
    ("5/9/2014", date(2014, 9, 5), date(2014, 9, 5)),
    ("05-09-2014", date(2014, 9, 5), date(2014, 9, 5)),
    ("02/2000", date(2000, 2, 1), date(2000, 2, 29)),
    ("11/2014", date(2014, 11, 1), date(2014, 11, 30)),
    ("1997", date(1997, 1, 1), date(1997, 12, 31)),
    (1997, date(1997, 1, 1), date(1997, 12, 31)),
    ("1998-09-14", date(1998, 9, 14), date(1998, 9, 14)),
    ("1998-09-14 00:00:00", date(1998, 9, 14), date(1998, 9, 14)),
    (datetime(2001, 2, 3, 0, 0), date(2001, 2, 3), date(2001, 2, 3)),
    (date(2001, 2, 3), date(2001, 2, 3), date(2001, 2, 3)),
    (35680, date(1997, 9, 7), date(1997, 9, 7)),
    (35680.0, date(1997, 9, 7), date(1997, 9, 7)),
    ("35680", date(1997, 9, 7), date(1997, 9, 7)),
    (None, None, None),
])
def test_a_date_or_period_means_its_first_day_as_a_start_and_its_last_as_an_end(value, start, end):
    assert parse_date(value) == start
    assert parse_date(value, end=True) == end


@pytest.mark.parametrize("value", ["31/02/2020", "13/2020", "ngày mai", "12", "2020/13/01", 42])
def test_what_is_not_a_date_is_refused_naming_the_value(value):
    with pytest.raises(ValueError, match=str(value)):
        parse_date(value)


@pytest.mark.parametrize("value, span", [
    ("05/09/2014 - 13/03/2015", (date(2014, 9, 5), date(2015, 3, 13))),
    ("05/09/2014-13/03/2015", (date(2014, 9, 5), date(2015, 3, 13))),
    ("1997-2000", (date(1997, 1, 1), date(2000, 12, 31))),
    ("1997 – 2000", (date(1997, 1, 1), date(2000, 12, 31))),
    ("01/2014 - 03/2014", (date(2014, 1, 1), date(2014, 3, 31))),
    ("2014", (date(2014, 1, 1), date(2014, 12, 31))),
    ("2014-01-19", (date(2014, 1, 19), date(2014, 1, 19))),
    (datetime(2014, 1, 19), (date(2014, 1, 19), date(2014, 1, 19))),
    (None, (None, None)),
])
def test_a_single_column_of_dates_gives_a_start_and_an_end(value, span):
    assert parse_span(value) == span


def test_a_range_that_is_not_one_is_refused():
    with pytest.raises(ValueError, match="date range"):
        parse_span("1997 - sau này")
