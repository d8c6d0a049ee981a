"""Set-based look-ups an import needs: many values in a few `IN (…)` queries, never one per row."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from sqlalchemy import Executable, select
from sqlalchemy.orm import Session

from warehouse.importing.sheets import Row, file_digest, read_rows
from warehouse.models import Base, Box, Location

CHUNK = 900  # under SQLite's oldest limit of 999 bound parameters


def chunks(values: Collection, size: int = CHUNK) -> Iterator[list]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def rows_in(session: Session, make: Callable[[list], Executable], values: Collection) -> list:
    """All rows of `make(chunk)` over the values, chunk by chunk."""
    found: list = []
    for part in chunks(values):
        found.extend(session.execute(make(part)).all())
    return found


def taken_codes(session: Session, codes: Collection[str]) -> dict[str, str]:
    """Which of these codes already name something in Kho: code → "box" or "location"."""
    owners: dict[str, str] = {}
    for (code,) in rows_in(session, lambda part: select(Location.code).where(Location.code.in_(part)), codes):
        owners[code] = "location"
    for (code,) in rows_in(session, lambda part: select(Box.code).where(Box.code.in_(part)), codes):
        owners[code] = "box"
    checkpoints = Base.metadata.tables.get("checkpoints")  # patrol checkpoints, where Kho has them
    if checkpoints is not None and "code" in checkpoints.c:
        column = checkpoints.c.code
        for (code,) in rows_in(session, lambda part: select(column).where(column.in_(part)), codes):
            owners[code] = "checkpoint"
    return owners


def source_rows(source, filename: str | None) -> tuple[list[Row], str, str]:
    """(rows, file name, SHA-256) of a path, or of rows handed in directly."""
    if isinstance(source, (str, Path)):
        return read_rows(source), filename or Path(source).name, file_digest(source)
    import hashlib
    import json

    rows = read_rows(source)
    digest = hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode()).hexdigest()
    return rows, filename or "(rows)", digest


def no_progress(done: int, total: int) -> None:
    """The default progress callback: says nothing."""
