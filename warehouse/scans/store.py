"""Appending scan events in bulk: one executemany on SQLite, COPY then one INSERT on PostgreSQL.

Both insert with "do nothing on a (device, seq) already stored" and return how many rows were
really inserted, so a caller can tell whether another writer stored some of them meanwhile."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import update
from sqlalchemy.orm import Session

from warehouse.models import ScanEvent

COLUMNS = ("device_id", "seq", "code", "kind", "at", "at_offset", "location", "antenna", "context",
           "stocktake", "reading", "box_id", "label_id", "place_id", "sighting")
_NAMES = ", ".join(COLUMNS)
COPY_FROM = 200  # rows from which COPY pays on PostgreSQL


def insert_events(session: Session, items: list) -> int:
    """Insert [(device id, Event, Reading)] in (device, seq) order; how many rows were inserted."""
    if not items:
        return 0
    items.sort(key=lambda item: (item[0], item[1].seq))
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        return _postgres(conn, items)
    rows = [(device, e.seq, e.code, e.kind, e.stamp, e.offset,
             e.location, e.antenna, e.context, e.stocktake, r.reading, r.box_id, r.label_id,
             r.place_id, 1 if r.sighting else 0) for device, e, r in items]
    marks = ", ".join("?" * len(COLUMNS))
    result = conn.exec_driver_sql(f"INSERT OR IGNORE INTO scan_events ({_NAMES}) VALUES ({marks})", rows)
    return result.rowcount


def _postgres(conn, items: list) -> int:
    rows = [(device, e.seq, e.code, e.kind, e.utc.replace(tzinfo=UTC), e.offset, e.location, e.antenna,
             e.context, e.stocktake, r.reading, r.box_id, r.label_id, r.place_id, r.sighting)
            for device, e, r in items]
    if len(rows) < COPY_FROM:
        marks = ", ".join(["%s"] * len(COLUMNS))
        sql = f"INSERT INTO scan_events ({_NAMES}) VALUES ({marks}) ON CONFLICT DO NOTHING"
        return conn.exec_driver_sql(sql, rows).rowcount
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS kho_scan_batch "
                         "(LIKE scan_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
    conn.exec_driver_sql("TRUNCATE kho_scan_batch")
    cursor = conn.connection.cursor()
    try:
        with cursor.copy(f"COPY kho_scan_batch ({_NAMES}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()
    return conn.exec_driver_sql(f"INSERT INTO scan_events ({_NAMES}) SELECT {_NAMES} FROM kho_scan_batch "
                                "ORDER BY device_id, seq ON CONFLICT DO NOTHING").rowcount


def update_readings(session: Session, changed: list) -> None:
    """Store new readings [(device id, seq, Reading)] of events already stored (a late read's effect)."""
    if changed:
        session.execute(update(ScanEvent), [
            {"device_id": device, "seq": seq, "place_id": r.place_id, "sighting": r.sighting}
            for device, seq, r in changed])
