"""Reading an import file — CSV in UTF-8 (with or without BOM) or an XLSX's first sheet — into rows
numbered as the user sees them in a spreadsheet (from 1)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from warehouse.errors import ImportRefused

Cell = str | int | float | date | datetime | None
Row = tuple[int, tuple[Cell, ...]]

XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL = (".xls", ".ods")


def read_rows(source: str | Path | Iterable[Sequence[Cell]]) -> list[Row]:
    """A file's rows as (row number, cells); a list of rows (as in tests) is numbered from 1."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        suffix = path.suffix.lower()
        if suffix in OLD_EXCEL:
            raise _refused(f"{suffix} files are not read: save the sheet as XLSX or as CSV (UTF-8)")
        with open(path, "rb") as f:
            head = f.read(4)
        if suffix in XLSX_SUFFIXES or head.startswith(b"PK\x03\x04"):
            return _xlsx_rows(path)
        return _csv_rows(path.read_bytes())
    return [(n, tuple(_clean(c) for c in cells)) for n, cells in enumerate(source, 1)]


def file_digest(path: str | Path) -> str:
    """The SHA-256 of a file, for the audit trail."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _refused(message: str) -> ImportRefused:
    return ImportRefused([{"row": None, "column": None, "error": message}])


def _clean(value) -> Cell:
    """Strings stripped, blanks as None, whole numbers as int; other cell values as they are."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (time, timedelta)):
        return str(value)
    return value


def _delimiter(text: str) -> str:
    """The CSV delimiter: the one a line of the first ones holds most of (comma when in doubt)."""
    lines = text.splitlines()[:40]
    best, most = ",", 0
    for candidate in (",", ";", "\t"):
        count = max((line.count(candidate) for line in lines), default=0)
        if count > most:
            best, most = candidate, count
    return best


def _csv_rows(data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _refused(f"the file is not UTF-8 text (byte {e.start}): save it as CSV UTF-8 or as XLSX")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [(n, tuple(_clean(c) for c in cells)) for n, cells in enumerate(reader, 1)]
    except csv.Error as e:
        raise _refused(f"the CSV file cannot be read: {e}")


def _xlsx_rows(path: Path) -> list[Row]:
    """The first sheet through calamine (a Rust reader, ~10× openpyxl on big registers), else openpyxl.

    Both give merged cells' value in the top-left cell only, and Excel dates as dates."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return _openpyxl_rows(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as e:  # noqa: BLE001 — calamine raises its own error types for bad files
        raise _refused(f"the XLSX file cannot be read: {e}")
    return [(n, tuple(_clean(c) for c in row)) for n, row in enumerate(cells, 1)]


def _openpyxl_rows(path: Path) -> list[Row]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise _refused(f"the XLSX file cannot be read: {e}")
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read what is there
        return [(n, tuple(_clean(c) for c in cells))
                for n, cells in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()
