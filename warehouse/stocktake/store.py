"""Saving a closed stock-take's result in bulk: the driver's executemany on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from warehouse.models import StocktakeResult

COLUMNS = ("stocktake_id", "outcome", "box_id", "code", "expected_id", "found_id", "seen_at", "device_id",
           "seq")
COPY_FROM = 500  # rows from which COPY pays on PostgreSQL


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
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
        return
    conn.execute(insert(StocktakeResult), [dict(zip(COLUMNS, row)) for row in rows])
