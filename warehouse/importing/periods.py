"""Dates in import files: `dd/mm/yyyy`, `mm/yyyy`, `yyyy`, ISO, Excel date cells and serial numbers.

`mm/yyyy` and `yyyy` are periods: as a start they mean their first day, as an end their last day."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, after Excel's leap-year quirk
_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.+\-Z]*)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_SPAN_SEPARATORS = (re.compile(r"\s*[–—]\s*"), re.compile(r"\s+-\s+"), re.compile(r"\s*-\s*"),
                    re.compile(r"\s+(?:đến|den|to)\s+", re.IGNORECASE))
EXPECTED = "expected dd/mm/yyyy, mm/yyyy, yyyy or yyyy-mm-dd"


def _period(year: int, month: int | None, day: int | None, end: bool) -> date:
    if day is not None:
        return date(year, month or 1, day)
    if month is not None:
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return date(year, 12, 31) if end else date(year, 1, 1)


def _serial(days: float) -> date:
    if not 1 <= days <= 2958465:
        raise ValueError(f"{days!r} is not a date: {EXPECTED}")
    return EXCEL_EPOCH + timedelta(days=int(days))


def _from_number(value: float, end: bool) -> date:
    """1000–9999 is a year; a larger number is an Excel serial date (35680 = 07/09/1997)."""
    if float(value).is_integer() and 1000 <= value <= 9999:
        return _period(int(value), None, None, end)
    if value < 10000:
        raise ValueError(f"{value!r} is not a date: {EXPECTED}")
    return _serial(value)


@lru_cache(maxsize=8192)
def _from_text(text: str, end: bool) -> date:
    text = text.strip()
    if m := _DAY.match(text):
        return _period(int(m[3]), int(m[2]), int(m[1]), end)
    if m := _ISO.match(text):
        return _period(int(m[1]), int(m[2]), int(m[3]), end)
    if m := _MONTH.match(text):
        return _period(int(m[2]), int(m[1]), None, end)
    if m := _ISO_MONTH.match(text):
        return _period(int(m[1]), int(m[2]), None, end)
    if m := _YEAR.match(text):
        return _period(int(m[1]), None, None, end)
    if m := _SERIAL.match(text):
        return _serial(float(text))
    raise ValueError(f"{text!r} is not a date: {EXPECTED}")


def parse_date(value, end: bool = False) -> date | None:
    """A cell as a date (None when blank); a period gives its first day, or its last when `end`."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if isinstance(value, (int, float)):
            return _from_number(value, end)
        return _from_text(str(value), end)
    except ValueError as e:
        if "is not a date" in str(e):
            raise
        raise ValueError(f"{value!r} is not a real date ({e})") from None


def parse_span(value) -> tuple[date | None, date | None]:
    """A `Thời gian tài liệu` cell: one date or period, or two joined by a dash (`1997-2000`)."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        return parse_date(value), parse_date(value, end=True)
    try:
        return parse_date(value), parse_date(value, end=True)
    except ValueError:
        pass
    for separator in _SPAN_SEPARATORS:
        parts = separator.split(value.strip())
        if len(parts) == 2 and all(parts):
            try:
                return parse_date(parts[0]), parse_date(parts[1], end=True)
            except ValueError:
                continue
    raise ValueError(f"{value!r} is not a date range: expected dd/mm/yyyy - dd/mm/yyyy or yyyy-yyyy")
