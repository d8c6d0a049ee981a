"""The locations sheet (stores, rooms, rack rows, racks, shelves, gates, checkpoints): rows → records,
ordered parents first, each with its path. Pure functions; the database's side comes in as a dict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from warehouse.importing import cells
from warehouse.importing.headers import Columns, data_rows, find_header
from warehouse.importing.sheets import Row
from warehouse.models.locations import KINDS, NEVER_PLACES
from warehouse.text import fold

FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("Mã vị trí", "code", "Mã"),
    "name": ("Tên", "name", "Tên vị trí"),
    "kind": ("Loại", "kind", "Loại vị trí"),
    "parent": ("Mã vị trí cha", "parent", "Vị trí cha", "Mã cha"),
    "capacity": ("Sức chứa (hộp)", "capacity", "Sức chứa"),
}
REQUIRED = ("code", "name", "kind")
# How people write a kind → Kho's kind.
KIND_WORDS = {
    "kho": "kho", "kho luu tru": "kho", "store": "kho",
    "phong": "phong", "phong kho": "phong", "room": "phong",
    "day": "day", "day gia": "day", "row": "day", "rack row": "day",
    "gia": "gia", "rack": "gia",
    "ngan": "ngan", "dot": "ngan", "ngan (dot)": "ngan", "shelf": "ngan",
    "cong": "cong", "gate": "cong",
    "diem": "diem", "diem kiem tra": "diem", "checkpoint": "diem",
}


@dataclass
class LocationRecord:
    row: int
    code: str
    name: str
    kind: str
    parent: str | None = None
    capacity: int | None = None
    path: str = ""


@dataclass
class LocationSheet:
    records: list[LocationRecord]
    errors: list[dict]
    columns: Columns | None
    broken: dict[str, int] = field(default_factory=dict)  # code → row, of rows with errors

    def header(self, name: str) -> str:
        default = FIELDS[name][0]
        return self.columns.header(name, default) if self.columns else default


def _kind(value) -> str:
    kind = KIND_WORDS.get(fold(cells.text(value)))
    if kind is None:
        raise ValueError(f"{cells.text(value)!r} is not a kind: one of {', '.join(KINDS)}")
    return kind


def _read_row(sheet: LocationSheet, number: int, row: Sequence) -> LocationRecord | None:
    assert sheet.columns is not None
    values: dict[str, Any] = {}
    failed = False
    readers = {"code": cells.code, "name": lambda v: cells.text(v, 200), "kind": _kind,
               "parent": lambda v: cells.code(v) if v is not None else None,
               "capacity": lambda v: cells.count(v, "a number of boxes")}
    for name, reader in readers.items():
        value = sheet.columns.value(row, name)
        if value is None and name in REQUIRED:
            sheet.errors.append({"row": number, "column": sheet.header(name), "error": "required, but blank"})
            failed = True
            continue
        try:
            values[name] = reader(value)
        except ValueError as e:
            sheet.errors.append({"row": number, "column": sheet.header(name), "error": str(e)})
            failed = True
    if values.get("kind") in NEVER_PLACES and values.get("capacity") is not None:
        sheet.errors.append({"row": number, "column": sheet.header("capacity"),
                             "error": f"a {values['kind']} never holds boxes: leave its capacity empty"})
        failed = True
    if failed and values.get("code"):
        sheet.broken[values["code"]] = number
    return None if failed else LocationRecord(row=number, **values)


def read_locations(rows: Sequence[Row]) -> LocationSheet:
    """Every location row of the sheet, and every error, by row and column."""
    header_at, columns, errors = find_header(rows, FIELDS, REQUIRED)
    sheet = LocationSheet([], errors, columns)
    if columns is None or errors:
        return sheet
    seen: dict[str, int] = {}
    for number, row in data_rows(rows, header_at):
        record = _read_row(sheet, number, row)
        if record is None:
            continue
        if record.code in seen:
            sheet.errors.append({"row": number, "column": sheet.header("code"),
                                 "error": f"{record.code} is listed twice: also on row {seen[record.code]}"})
            continue
        seen[record.code] = number
        sheet.records.append(record)
    return sheet


def place_locations(sheet: LocationSheet, known: Mapping[str, tuple[str, str]]) -> list[LocationRecord]:
    """Order the records parents first and give each its path; `known` maps the codes already in
    the database to (kind, path). Errors (a missing parent, a kind that cannot sit in its parent's,
    a loop) are added to the sheet."""
    by_code = {r.code: r for r in sheet.records}
    placed: dict[str, tuple[str, str]] = dict(known)
    ordered: list[LocationRecord] = []
    pending = [r for r in sheet.records if _fits_alone(sheet, r, by_code, known)]
    while pending:
        waiting = []
        for record in pending:
            parent = placed.get(record.parent) if record.parent else None
            if record.parent and parent is None:
                waiting.append(record)
                continue
            if not _fits(sheet, record, parent):
                continue
            record.path = (parent[1] if parent else "/") + record.code + "/"
            placed[record.code] = (record.kind, record.path)
            ordered.append(record)
        if len(waiting) == len(pending):
            for record in waiting:
                sheet.errors.append({"row": record.row, "column": sheet.header("parent"),
                                     "error": f"{record.parent} cannot be placed: its parents form a loop "
                                              "or one of them has an error"})
            break
        pending = waiting
    return ordered


def _fits_alone(sheet: LocationSheet, record: LocationRecord, by_code: Mapping, known: Mapping) -> bool:
    """A record's own checks: a store at the top, anything else inside a parent that exists."""
    def fail(column: str, message: str) -> bool:
        sheet.errors.append({"row": record.row, "column": sheet.header(column), "error": message})
        return False

    if record.kind == "kho":
        return fail("parent", f"a store sits at the top: {record.parent} cannot hold it") if record.parent \
            else True
    if not record.parent:
        return fail("parent", f"a {record.kind} needs a parent (one of: {', '.join(map(str, KINDS[record.kind]))})")
    if record.parent == record.code:
        return fail("parent", f"{record.code} cannot sit inside itself")
    if record.parent in sheet.broken and record.parent not in by_code:
        return fail("parent", f"its parent {record.parent} has an error (row {sheet.broken[record.parent]})")
    if record.parent not in by_code and record.parent not in known:
        return fail("parent", f"no location {record.parent}, in the file or already in Kho")
    return True


def _fits(sheet: LocationSheet, record: LocationRecord, parent: tuple[str, str] | None) -> bool:
    allowed = KINDS[record.kind]
    parent_kind = parent[0] if parent else None
    if parent_kind in allowed:
        return True
    sheet.errors.append({"row": record.row, "column": sheet.header("kind"),
                         "error": f"a {record.kind} cannot sit in a {parent_kind} ({record.parent}); "
                                  f"it sits in: {', '.join(str(k) for k in allowed)}"})
    return False


def parse_locations(rows: Sequence[Row], known: Mapping[str, tuple[str, str]] | None = None
                    ) -> tuple[list[LocationRecord], list[dict]]:
    """rows → (records parents first, with paths; errors by row and column)."""
    sheet = read_locations(rows)
    ordered = place_locations(sheet, known or {})
    return ordered, sorted(sheet.errors, key=lambda e: e["row"] or 0)
