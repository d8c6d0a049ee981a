"""closed_fonds: a file dated (its end, else its start) after the day its fonds closed."""

from datetime import UTC, date, datetime

import pytest

from warehouse.alerts.rules import late_files

AT = datetime(2026, 3, 1, tzinfo=UTC)
CLOSED = date(2020, 12, 31)


@pytest.mark.parametrize(("closed", "start", "end", "late"), [
    (CLOSED, date(2019, 1, 1), date(2019, 12, 31), False),
    (CLOSED, date(2020, 1, 1), date(2021, 1, 1), True),   # ends after the closing
    (CLOSED, date(2021, 1, 1), None, True),               # no end: its start counts
    (CLOSED, date(2019, 1, 1), CLOSED, False),            # on the closing day itself
    (CLOSED, None, None, False),                          # undated
    (None, date(2030, 1, 1), None, False),                # the fonds is open
])
def test_a_file_is_late_only_when_dated_after_its_fonds_closed(closed, start, end, late):
    drafts = late_files([(7, "P012-H0007", "42", closed, start, end)], AT)
    assert [(d.kind, d.box_id, d.code, d.detail["file"]) for d in drafts] == (
        [("closed_fonds", 7, "P012-H0007", "42")] if late else [])
