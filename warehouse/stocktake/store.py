"""Saving a closed stock-take's result in bulk: the driver's executemany on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from warehouse.models import StocktakeResult

COLUMNS = ("stocktake_id", "outcome", "box_id", "code", "expected_id", "found_id", "seen_at", "device_id",
           "seq")
COPY_FROM = 500  # rows from which COPY pays on PostgreSQL


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_field(value) -> str:
    """One field in COPY's text format: \\N for NULL, times in ISO 8601, text escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def copy_line(row: tuple) -> str:
    """A row as one line of COPY's text format (formatted here: much cheaper than row by row)."""
    return "\t".join(map(copy_field, row)) + "\n"


def save_results(session: Session, rows: list[tuple]) -> None:
    """Insert result rows, tuples in COLUMNS order (`seen_at` as the reads gave it: on SQLite the
    stored UTC text, written back as is; on PostgreSQL a datetime)."""
    if not rows:
        return
    conn = session.connection()
    names = ", ".join(COLUMNS)
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(COLUMNS))
        conn.exec_driver_sql(f"INSERT INTO stocktake_results ({names}) VALUES ({marks})", rows)
        return
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        cursor = conn.connection.cursor()
        try:
            with cursor.copy(f"COPY stocktake_results ({names}) FROM STDIN") as copy:
                for start in range(0, len(rows), 10_000):
                    copy.write("".join(copy_line(row) for row in rows[start:start + 10_000]))
        finally:
            cursor.close()
        return
    conn.execute(insert(StocktakeResult), [dict(zip(COLUMNS, row)) for row in rows])
