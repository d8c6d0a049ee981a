"""The official mục lục hồ sơ as an XLSX workbook: one sheet per part, the form's heading, its header with
column numbers, one row per file with the box cell merged over the box's files, and the footer."""

from __future__ import annotations

import io

from warehouse.handover.official import COLUMNS, SHEETS, SIGNATURE, TITLE, OfficialList, Part, heading

WIDTHS = (9, 7, 16, 50, 20, 16, 10, 16)
LAST = "H"


def render(doc: OfficialList) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for part in doc.parts:
        _sheet(book.create_sheet(SHEETS[part.key]), doc, part)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(sheet, doc: OfficialList, part: Part) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    bold, centred = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin", color="888888")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    row = 1
    for text in heading(doc):
        sheet.cell(row, 1, text).font = bold
        sheet.merge_cells(f"A{row}:D{row}")
        row += 1
    row += 1
    for text, font in ((TITLE, Font(bold=True, size=14)), (part.subtitle, Font(italic=True)),
                       (f"Năm {doc.year}", Font())):
        cell = sheet.cell(row, 1, text)
        cell.font, cell.alignment = font, centred
        sheet.merge_cells(f"A{row}:{LAST}{row}")
        row += 1
    row += 1
    for column, title in enumerate(COLUMNS, start=1):
        head = sheet.cell(row, column, title)
        head.font, head.alignment, head.border = bold, centred, grid
        number = sheet.cell(row + 1, column, f"({column})")
        number.alignment, number.border = centred, grid
    sheet.freeze_panes = f"A{row + 2}"
    row = _lines(sheet, part, row + 2, grid)
    row += 1
    for text in part.footer():
        sheet.cell(row, 1, text)
        row += 1
    row += 1
    for text in SIGNATURE:
        cell = sheet.cell(row, 5, text)
        cell.alignment = Alignment(horizontal="center")
        cell.font = Font(bold=text.isupper())
        row += 1


def _lines(sheet, part: Part, row: int, grid) -> int:
    """The file rows from `row`; a box's cell merged over its files. Returns the next free row."""
    from openpyxl.styles import Alignment

    top = Alignment(vertical="top", wrap_text=True)
    box_start: int | None = None
    for number, line in enumerate(part.lines, start=1):
        first_of_box = number == 1 or part.lines[number - 2].box != line.box
        if first_of_box:
            _merge(sheet, box_start, row - 1)
            box_start = row
        values = (line.box if first_of_box else None, number, line.number, line.title, line.span, line.retention,
                  line.pages, line.note)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            cell.border, cell.alignment = grid, top
        row += 1
    _merge(sheet, box_start, row - 1)
    return row


def _merge(sheet, start: int | None, end: int) -> None:
    if start is not None and end > start:
        sheet.merge_cells(f"A{start}:A{end}")
