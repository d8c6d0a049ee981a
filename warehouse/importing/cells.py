"""Reading one cell of an import row: codes, EPCs, box numbers, counts, retention, completion.

Each reader returns the value or raises ValueError with a message that names the offending value."""

from __future__ import annotations

import re
import unicodedata

from warehouse.text import fold

CODE = re.compile(r"^[A-Z0-9./\-]+$")
EPC = re.compile(r"^[0-9A-F]{24}$")
_BOX = re.compile(r"^(?:(?:hop|cap|box)(?:\s*/\s*(?:hop|cap))?(?:\s*so)?\s*[:.]?\s*)?0*(\d+)$")
_CATALOGUE = re.compile(r"^(?:muc luc(?:\s*so)?\s*[:.]?\s*)?0*(\d+)$")
_LEADING_NUMBER = re.compile(r"^(\d+)")
_YEARS = re.compile(r"^(\d+)\s*(?:nam|years?)?$")
COMPLETED = {"da hoan thanh": True, "hoan thanh": True, "completed": True,
             "chua hoan thanh": False, "not completed": False}


def text(value, limit: int | None = None) -> str:
    """A cell as text in NFC; integral numbers without a trailing `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = " ".join(unicodedata.normalize("NFC", str(value)).split())
    if limit is not None and len(result) > limit:
        raise ValueError(f"too long: {len(result)} characters, at most {limit}")
    return result


def code(value, limit: int = 80) -> str:
    """A code printed as a barcode: ASCII A–Z 0–9 - . / (upper-cased)."""
    result = text(value).upper()
    if not CODE.match(result):
        raise ValueError(f"{text(value)!r} is not a code: use only A–Z, 0–9, '-', '.', '/'")
    if len(result) > limit:
        raise ValueError(f"{result!r} is too long for a code (at most {limit} characters)")
    return result


def epc(value) -> str:
    """An EPC: 24 hexadecimal digits, stored upper-case."""
    result = "".join(text(value).split()).upper()
    if not EPC.match(result):
        raise ValueError(f"{text(value)!r} is not an EPC: 24 hexadecimal digits expected")
    return result


def _integral(value) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def box_number(value) -> int:
    """`1`, `01`, `Hộp 1`, `Hộp số 1`, `Cặp 1` → 1."""
    number = _integral(value)
    if number is None:
        m = _BOX.match(fold(text(value)))
        number = int(m[1]) if m else None
    if number is None or number < 1:
        raise ValueError(f"{text(value)!r} is not a box number (1, 01, Hộp 1)")
    return number


def catalogue(value) -> int:
    """Mục lục số: `1`, `01`, `Mục lục số 1`; 1 when blank."""
    if value is None:
        return 1
    number = _integral(value)
    if number is None:
        m = _CATALOGUE.match(fold(text(value)))
        number = int(m[1]) if m else None
    if number is None or number < 1:
        raise ValueError(f"{text(value)!r} is not a catalogue number")
    return number


def count(value, what: str) -> int | None:
    """A whole number such as a sheet count (`120`, `120 tờ`); None when blank."""
    if value is None:
        return None
    number = _integral(value)
    if number is None:
        m = _LEADING_NUMBER.match(text(value))
        number = int(m[1]) if m else None
    if number is None or number < 0:
        raise ValueError(f"{text(value)!r} is not {what}")
    return number


def retention(value) -> tuple[str, int | None]:
    """(the text as written, years where it is a number of years); any wording is kept."""
    number = _integral(value)
    if number is not None:
        return str(number), number
    written = text(value, limit=120)
    m = _YEARS.match(fold(written))
    return written, int(m[1]) if m else None


def completed(value) -> bool:
    """Tình trạng: `Đã hoàn thành` → True, `Chưa hoàn thành` → False; blank counts as completed."""
    if value is None:
        return True
    key = fold(text(value))
    if key not in COMPLETED:
        raise ValueError(f"{text(value)!r}: expected Đã hoàn thành or Chưa hoàn thành")
    return COMPLETED[key]
