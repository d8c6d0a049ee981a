"""Result rows written in PostgreSQL COPY's text format: NULLs, times, and codes as read escaped."""

from datetime import UTC, datetime

from warehouse.stocktake.store import copy_line


def test_a_result_row_becomes_one_copy_line():
    row = (7, "found", 12, "P012-H0001", 3, 4, datetime(2025, 6, 2, 1, 0, 5, tzinfo=UTC), 2, 41)
    assert copy_line(row) == "7\tfound\t12\tP012-H0001\t3\t4\t2025-06-02T01:00:05+00:00\t2\t41\n"


def test_nulls_and_awkward_codes_as_read_survive_the_text_format():
    row = (7, "unexpected", None, "A\tB\\C\nD\rE", None, None, None, None, None)
    assert copy_line(row) == "7\tunexpected\t\\N\tA\\tB\\\\C\\nD\\rE\t\\N\t\\N\t\\N\t\\N\t\\N\n"
