"""Set-based inserts: PostgreSQL's COPY where it is there (≈9× executemany), else Core executemany.

Column defaults set in Python (created_at, flags) are filled in here, since COPY does not know them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import FromClause, Table, insert
from sqlalchemy.orm import Session

from warehouse.db import is_postgres


def _defaults(table: Table, given: set[str]) -> dict:
    """Python-side defaults of the columns a row does not give (evaluated once for the batch)."""
    values = {}
    for column in table.columns:
        default = cast(Any, column.default)
        if column.name in given or default is None or column.primary_key:
            continue
        if default.is_scalar:
            values[column.name] = default.arg
        elif default.is_callable:
            values[column.name] = default.arg(None)
    return values


def insert_rows(session: Session, table: FromClause, rows: Sequence[dict]) -> None:
    """Insert rows (dicts with the same keys) into a model's table in one set-based statement."""
    if not rows:
        return
    table = cast(Table, table)
    connection = session.connection()
    if not is_postgres(connection):
        session.execute(insert(table), rows)
        return
    extra = _defaults(table, set(rows[0]))
    names = [*rows[0], *extra]
    columns = ", ".join(f'"{name}"' for name in names)
    tail = tuple(extra.values())
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row((*row.values(), *tail))
