"""The register of boxes and files (mục lục hồ sơ) as a sheet: rows → file records and boxes.

Pure functions over rows (no database), so handover lists can reuse them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from warehouse.importing import cells
from warehouse.importing.headers import Columns, data_rows, find_header
from warehouse.importing.periods import parse_date, parse_span
from warehouse.importing.sheets import Row

FIELDS: dict[str, tuple[str, ...]] = {
    "fonds": ("Mã phông", "Phông số", "fonds", "Mã phông lưu trữ", "fonds code"),
    "fonds_name": ("Tên phông", "Tên phông lưu trữ", "fonds name"),
    "catalogue": ("Mục lục số", "Mục lục", "catalogue"),
    "box": ("Hộp/cặp số", "Hộp số", "Số hộp", "box", "Hộp/cặp", "Cặp/hộp số", "Số hộp/cặp", "Hộp",
            "box number"),
    "position": ("Số TT", "STT", "Số thứ tự", "TT", "no"),
    "number": ("Số, ký hiệu hồ sơ", "Hồ sơ số", "Số hồ sơ", "file", "Số ký hiệu hồ sơ",
               "Số và ký hiệu hồ sơ", "Số/ký hiệu hồ sơ", "file number"),
    "file_code": ("Mã hồ sơ", "file code"),
    "title": ("Tiêu đề hồ sơ", "Tên hồ sơ (ĐVBQ)", "Tiêu đề", "title", "Tên hồ sơ"),
    "start": ("Thời gian bắt đầu", "Ngày bắt đầu", "start", "start date"),
    "end": ("Thời gian kết thúc", "Ngày kết thúc", "end", "end date"),
    "span": ("Thời gian tài liệu", "Thời gian", "dates"),
    "retention": ("Thời hạn bảo quản", "THBQ", "retention"),
    "pages": ("Số tờ/Số trang", "Số tờ", "Số trang", "Số tờ/trang", "pages", "sheets"),
    "access": ("Chế độ sử dụng", "access"),
    "status": ("Tình trạng", "Tình trạng hồ sơ", "status"),
    "box_code": ("Mã vạch hộp", "box code", "Mã hộp"),
    "epc": ("Mã RFID", "EPC", "RFID"),
    "location": ("Vị trí", "location", "Vị trí hộp"),
    "note": ("Ghi chú", "note", "notes"),
}
REQUIRED = ("fonds", "box", "number", "title")


@dataclass
class FileRecord:
    """One row of the register: a file (hồ sơ) and the box it is in."""

    row: int
    fonds: str
    box: int
    number: str
    title: str
    fonds_name: str = ""
    catalogue: int = 1
    position: int | None = None
    file_code: str = ""
    start_date: date | None = None
    end_date: date | None = None
    retention: str = ""
    retention_years: int | None = None
    pages: int | None = None
    access: str = ""
    completed: bool = True
    box_code: str | None = None
    epc: str | None = None
    location: str | None = None
    note: str = ""


@dataclass
class BoxRecord:
    """A box as the register names it: its fonds and number, and what its rows say about it."""

    fonds: str
    number: int
    row: int
    code: str | None = None
    epc: str | None = None
    location: str | None = None
    files: int = 0
    given_at: dict[str, int] = field(default_factory=dict)

    @property
    def final_code(self) -> str:
        return self.code or default_box_code(self.fonds, self.number)


@dataclass
class RegisterSheet:
    records: list[FileRecord]
    errors: list[dict]
    columns: Columns | None
    fonds: str | None = None  # the fonds of rows that name none (a handover list of one fonds)

    def header(self, name: str) -> str:
        """A field's header text as the file spells it."""
        default = FIELDS[name][0]
        return self.columns.header(name, default) if self.columns else default

    def sort(self, errors: list[dict]) -> list[dict]:
        """Errors by row, then in the order of the file's columns."""
        order = {header: index for index, header in self.columns.found.values()} if self.columns else {}
        return sorted(errors, key=lambda e: (e["row"] or 0, order.get(e["column"], -1)))


def default_box_code(fonds: str, number: int) -> str:
    return f"{fonds}-H{number:04d}"


def _cached(reader):
    """Cells that repeat down a register (fonds, status, retention, shelf…) are read once."""
    return lru_cache(maxsize=4096)(reader)


_box_number = _cached(cells.box_number)
# field → (reader of a non-blank cell, the record attribute it fills)
_READERS = {
    "fonds": (_cached(lambda v: cells.code(v, 40)), "fonds"),
    "fonds_name": (_cached(lambda v: cells.text(v, 300)), "fonds_name"),
    "catalogue": (_cached(cells.catalogue), "catalogue"),
    "position": (lambda v: cells.count(v, "a row number (Số TT)"), "position"),
    "number": (lambda v: cells.text(v, 120), "number"),
    "file_code": (lambda v: cells.text(v, 120), "file_code"),
    "title": (cells.text, "title"),
    "retention": (_cached(cells.retention), "retention"),
    "pages": (_cached(lambda v: cells.count(v, "a number of sheets or pages")), "pages"),
    "access": (_cached(lambda v: cells.text(v, 120)), "access"),
    "status": (_cached(cells.completed), "completed"),
    "box_code": (_cached(cells.code), "box_code"),
    "epc": (cells.epc, "epc"),
    "location": (_cached(cells.code), "location"),
    "note": (cells.text, "note"),
}


class _RowReader:
    """Reads one data row into a FileRecord's values, collecting an error per bad cell."""

    def __init__(self, sheet: RegisterSheet, present: list[tuple], number: int, row: Sequence):
        self.sheet, self.present, self.number, self.row = sheet, present, number, row
        self.values: dict = {}
        self.errors: list[dict] = []
        self.failed: set[str] = set()

    def cell(self, name: str):
        assert self.sheet.columns is not None
        return self.sheet.columns.value(self.row, name)

    def fail(self, name: str, message: str) -> None:
        self.failed.add(name)
        self.errors.append({"row": self.number, "column": self.sheet.header(name), "error": message})

    def read(self) -> None:
        row, width = self.row, len(self.row)
        for name, index, reader, attr in self.present:
            value = row[index] if index < width else None
            if value is None:
                continue
            try:
                result = reader(value)
            except ValueError as e:
                self.fail(name, str(e))
                continue
            if name == "retention":
                self.values["retention"], self.values["retention_years"] = result
            else:
                self.values[attr] = result
        if not self.values.get("fonds") and self.sheet.fonds and "fonds" not in self.failed:
            self.values["fonds"] = self.sheet.fonds
        for name in ("fonds", "number", "title"):
            if not self.values.get(name) and name not in self.failed:
                self.fail(name, "required, but blank")
        self._dates()

    def _dates(self) -> None:
        start = end = None
        try:
            start, end = parse_span(self.cell("span"))
        except ValueError as e:
            self.fail("span", str(e))
        for name, as_end in (("start", False), ("end", True)):
            try:
                value = parse_date(self.cell(name), end=as_end)
            except ValueError as e:
                self.fail(name, str(e))
                continue
            if value is not None:
                start, end = (start, value) if as_end else (value, end)
        if start and end and start > end:
            column = "start" if self.cell("start") is not None else "span"
            self.fail(column, f"starts ({start:%d/%m/%Y}) after it ends ({end:%d/%m/%Y})")
        self.values["start_date"], self.values["end_date"] = start, end


def read_register(rows: Sequence[Row], fonds: str | None = None) -> RegisterSheet:
    """Every file row of a register sheet, and every error, by row and column.

    `fonds`: the fonds of rows that name none; the Mã phông column is then optional."""
    required = REQUIRED if fonds is None else tuple(f for f in REQUIRED if f != "fonds")
    header_at, columns, errors = find_header(rows, FIELDS, required)
    sheet = RegisterSheet([], errors, columns, fonds)
    if columns is None or errors:
        return sheet
    above: tuple[str, int] | None = None  # (fonds, box) of the last row that named its box
    above_failed = False
    seen: dict[tuple[str, int, str], int] = {}
    present = [(name, columns.found[name][0], reader, attr)
               for name, (reader, attr) in _READERS.items() if name in columns.found]
    for number, row in data_rows(rows, header_at):
        reader = _RowReader(sheet, present, number, row)
        reader.read()
        fonds = reader.values.get("fonds")
        box_cell = reader.cell("box")
        box = None
        if box_cell is not None:
            try:
                box = _box_number(box_cell)
            except ValueError as e:
                reader.fail("box", str(e))
            above = (fonds, box) if box and fonds else None
            above_failed = above is None
        elif above is not None and fonds and above[0] != fonds:
            reader.fail("box", f"blank, so it continues the box above, but that box is of fonds {above[0]}")
        elif above is not None:
            box = above[1]
        elif not above_failed:
            reader.fail("box", "blank, and there is no box above it to continue")
        sheet.errors.extend(reader.errors)
        if box is None or not all(reader.values.get(k) for k in ("fonds", "number", "title")):
            continue  # a row whose identity is unreadable; a record with other bad cells still
                      # takes part in the checks between rows, so that every error is listed
        record = FileRecord(row=number, box=box, **reader.values)
        key = (record.fonds, record.catalogue, record.number)
        if key in seen:
            sheet.errors.append({"row": number, "column": sheet.header("number"),
                                 "error": f"file {record.number} of fonds {record.fonds} (mục lục "
                                          f"{record.catalogue}) is listed twice: also on row {seen[key]}"})
            continue
        seen[key] = number
        sheet.records.append(record)
    return sheet


def parse_register(rows: Sequence[Row]) -> tuple[list[FileRecord], list[dict]]:
    """rows → (file records, errors by row and column)."""
    sheet = read_register(rows)
    return sheet.records, sheet.sort(sheet.errors)


_BOX_FACTS = (("code", "box_code", "box code"), ("epc", "epc", "EPC"), ("location", "location", "location"))


def group_boxes(sheet: RegisterSheet) -> tuple[dict[tuple[str, int], BoxRecord], list[dict]]:
    """The boxes the records make, and an error wherever rows of one box disagree about it."""
    boxes: dict[tuple[str, int], BoxRecord] = {}
    errors: list[dict] = []
    for record in sheet.records:
        box = boxes.get((record.fonds, record.box))
        if box is None:
            box = boxes[(record.fonds, record.box)] = BoxRecord(record.fonds, record.box, record.row)
        box.files += 1
        for attr, name, what in _BOX_FACTS:
            given = getattr(record, name)
            if given is None:
                continue
            if getattr(box, attr) is None:
                setattr(box, attr, given)
                box.given_at[attr] = record.row
            elif getattr(box, attr) != given:
                errors.append({"row": record.row, "column": sheet.header(name),
                               "error": f"box {record.box} of fonds {record.fonds} has {what} "
                                        f"{getattr(box, attr)} on row {box.given_at[attr]} but {given} here"})
    errors.extend(_shared_codes(boxes, sheet))
    return boxes, errors


def _shared_codes(boxes: dict[tuple[str, int], BoxRecord], sheet: RegisterSheet) -> list[dict]:
    """One code names one box: two boxes with the same box code or EPC are an error."""
    errors: list[dict] = []
    for attr, name, what in (("final_code", "box_code", "box code"), ("epc", "epc", "EPC")):
        owner: dict[str, BoxRecord] = {}
        for box in boxes.values():
            value = getattr(box, attr)
            if value is None:
                continue
            if value in owner:
                first = owner[value]
                errors.append({"row": box.given_at.get(attr.replace("final_", ""), box.row),
                               "column": sheet.header(name),
                               "error": f"{what} {value} is also that of box {first.number} of fonds "
                                        f"{first.fonds} (row {first.row})"})
            else:
                owner[value] = box
    return errors


def fonds_names(records: Sequence[FileRecord]) -> dict[str, tuple[str, int]]:
    """Each fonds' name as the file first gives it (blank if never), with its first row."""
    names: dict[str, tuple[str, int]] = {}
    for record in records:
        if record.fonds not in names or not names[record.fonds][0] and record.fonds_name:
            names[record.fonds] = (record.fonds_name, names.get(record.fonds, ("", record.row))[1])
    return names
