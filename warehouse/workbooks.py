"""The XLSX workbooks Kho exports (search results, reconciliations, stock-take results): write-only, so
memory stays flat for 100,000 rows, with the same look — bold headings, the header row kept in view."""

from __future__ import annotations

import io
from collections.abc import Iterable


def new():
    """A new, empty write-only workbook."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def table(workbook, title: str, head: list[str], widths: Iterable[int]):
    """A new sheet of `workbook` whose first row is `head` in bold and stays in view; columns this wide."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, text) for text in head])
    return sheet


def facts(workbook, title: str, rows: Iterable[tuple[str, str]], label_width: int) -> None:
    """A new sheet of `workbook` with one (label, value) a row, the label in bold."""
    sheet = workbook.create_sheet(title)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = label_width, 70
    for label, value in rows:
        sheet.append([_bold(sheet, label), value])


def saved(workbook) -> bytes:
    """The workbook's file."""
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _bold(sheet, text: str):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, text)
    cell.font = Font(bold=True)
    return cell
