"""Finding the header row of an import sheet and the rows of data under it.

Headers match case-, accent- and Unicode-form-insensitively; a line break or a run of white space
counts as one space. Rows above the header (titles), a `(1) (2) …` row under it, blank rows and rows
with text in one cell only (footers such as `Mục lục này gồm …`) are skipped."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from warehouse.importing.sheets import Cell, Row
from warehouse.text import fold

_PUNCT_SPACE = re.compile(r"\s*([/,:;()\-])\s*")
_COLUMN_NUMBER = re.compile(r"^\(\s*\d+\s*\)$")
# How far down the sheet a header row is looked for.
HEADER_SEARCH_ROWS = 60


def header_key(text: Cell) -> str:
    """A header's matching key: folded, one space between words, none around punctuation."""
    key = _PUNCT_SPACE.sub(r"\1", fold(str(text))) if text is not None else ""
    return key.strip(" *:.")


@dataclass(frozen=True)
class Columns:
    """Where each field is in the sheet: field → (cell index, header text as in the file)."""

    row: int
    found: Mapping[str, tuple[int, str]]

    def header(self, field: str, default: str) -> str:
        """The header text of a field as the file spells it (the default if the file has none)."""
        return self.found[field][1] if field in self.found else default

    def value(self, cells: Sequence[Cell], field: str) -> Cell:
        """The cell of a field in a row (None when the file has no such column)."""
        if field not in self.found:
            return None
        index = self.found[field][0]
        return cells[index] if index < len(cells) else None


def _aliases(fields: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {header_key(alias): field for field, names in fields.items() for alias in names}


def _match(cells: Sequence[Cell], aliases: Mapping[str, str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(cells):
        field = aliases.get(header_key(cell)) if isinstance(cell, str) else None
        if field and field not in found:  # a repeated column: the first one counts
            found[field] = (index, " ".join(str(cell).split()))
    return found


def find_header(rows: Sequence[Row], fields: Mapping[str, Sequence[str]],
                required: Sequence[str]) -> tuple[int, Columns | None, list[dict]]:
    """(index of the header in rows, its columns, errors): the first row naming two known columns."""
    aliases = _aliases(fields)
    for position, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _match(cells, aliases)
        if len(found) >= 2:
            missing = [f for f in required if f not in found]
            errors = [{"row": number, "column": fields[f][0], "error": "required column is missing"}
                      for f in missing]
            return position, Columns(number, found), errors
    names = ", ".join(fields[f][0] for f in required)
    return -1, None, [{"row": None, "column": None,
                       "error": f"no header row found: the sheet needs the columns {names}"}]


def filled(cells: Sequence[Cell]) -> list[Cell]:
    return [c for c in cells if c is not None]


def is_column_numbers(cells: Sequence[Cell]) -> bool:
    """A row such as `(1) (2) (3)` that numbers the columns under the header."""
    values = filled(cells)
    return len(values) >= 2 and all(isinstance(v, str) and _COLUMN_NUMBER.match(v) for v in values)


def _is_plain_numbering(cells: Sequence[Cell]) -> bool:
    """`1 2 3 …` right under the header: each cell its own column's number."""
    values = filled(cells)
    if len(values) < 3:
        return False
    try:
        numbers = [int(str(v)) for v in values]
    except ValueError:
        return False
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def data_rows(rows: Sequence[Row], header_at: int) -> Iterator[Row]:
    """The rows under the header that hold data."""
    for position in range(header_at + 1, len(rows)):
        number, cells = rows[position]
        if len(filled(cells)) <= 1 or is_column_numbers(cells):
            continue
        if position == header_at + 1 and _is_plain_numbering(cells):
            continue
        yield number, cells
