"""What a label says, in Vietnamese, from plain facts (pure: no database).

A box label, as archives write it: the agency (or fonds) name, HỘP SỐ n, "Từ hồ sơ số … Đến hồ sơ
số …" (the first and last file in the box, in catalogue order), the years its files span and the
longest retention among them. A location label: its store, its name and what kind of place it is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from warehouse.errors import N_, refused
from warehouse.text import fold, nfc

BOX_FIELDS = ("name", "fonds", "box", "files", "years", "retention", "home")
KIND_WORDS = {"kho": "Kho lưu trữ", "phong": "Phòng kho", "day": "Dãy giá", "gia": "Giá",
              "ngan": "Ngăn (đợt)", "cong": "Cổng", "diem": "Điểm kiểm tra"}
PERMANENT = "vinh vien"
_YEARS = re.compile(r"(\d+)\s*nam")
_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True)
class LabelText:
    """A label as plain values: the code for its barcode and QR, its lines (`strong` ones large)."""

    code: str
    lines: tuple[str, ...]
    strong: tuple[int, ...] = ()
    epc: str | None = None


@dataclass
class BoxFacts:
    """What the register knows of a box, gathered for its label."""

    id: int
    code: str
    number: int
    epc: str | None
    fonds: str
    fonds_name: str
    agency: str | None
    home: str | None
    first_file: str | None = None
    last_file: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    retention: str = ""


def check_fields(fields: Iterable[str]) -> tuple[str, ...]:
    """A template's box fields, refused by name if Kho does not know one."""
    fields = tuple(fields)
    unknown = [f for f in fields if f not in BOX_FIELDS]
    if unknown:
        raise refused(N_("unknown label field %(field)r: fields are %(fields)s"), field=unknown[0],
                      fields=", ".join(BOX_FIELDS))
    return fields


def natural(value: str) -> tuple:
    """Sort key that puts "2" before "10" and "01/TH" beside "1/TH"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in _NUMBER.split(fold(value)) if part)


def file_order(catalogue: int, position: int | None, number: str) -> tuple:
    """Catalogue order of a file: catalogue, then Số TT (files without one after), then number."""
    return (catalogue, position is None, position or 0, natural(number))


def retention_rank(value: str) -> tuple[int, int]:
    """Vĩnh viễn outranks every term of years; any number of years outranks another wording."""
    key = fold(value)
    if not key:
        return (0, 0)
    if key == PERMANENT:
        return (3, 0)
    years = _YEARS.fullmatch(key)
    return (2, int(years.group(1))) if years else (1, 0)


def longest_retention(values: Iterable[str]) -> str:
    """The longest retention among a box's files, as Kho writes it ("Vĩnh viễn", "20 năm", other text)."""
    best, rank = "", (0, 0)
    for value in values:
        candidate = retention_rank(value)
        if candidate > rank:
            best, rank = value, candidate
    if rank[0] == 3:
        return "Vĩnh viễn"
    if rank[0] == 2:
        return f"{rank[1]} năm"
    return nfc(best)


def years(first: int | None, last: int | None) -> str:
    """"1995 – 2001", one year alone, or "" when no file has a date."""
    if first is None and last is None:
        return ""
    first, last = first or last, last or first
    return str(first) if first == last else f"{first} – {last}"


def box_label(box: BoxFacts, fields: Iterable[str]) -> LabelText:
    """The lines of a box label, in the template's order of fields; a field with nothing to say is left out."""
    words = {
        "name": box.agency or box.fonds_name,
        "fonds": f"Phông {box.fonds}",
        "box": f"HỘP SỐ {box.number}",
        "files": (f"Từ hồ sơ số {box.first_file} Đến hồ sơ số {box.last_file}" if box.first_file else ""),
        "years": (f"Thời gian: {years(box.first_year, box.last_year)}"
                  if box.first_year or box.last_year else ""),
        "retention": f"Thời hạn bảo quản: {box.retention}" if box.retention else "",
        "home": f"Vị trí: {box.home}" if box.home else "",
    }
    lines: list[str] = []
    strong: list[int] = []
    for field in fields:
        if words.get(field):
            if field == "box":
                strong.append(len(lines))
            lines.append(nfc(words[field]))
    return LabelText(box.code, tuple(lines), tuple(strong), box.epc)


def place_label(code: str, name: str, kind: str, store: str | None) -> LabelText:
    """A location label: its store's name (unless it is the store), its name in large type, its kind."""
    lines = [nfc(store)] if store and kind != "kho" else []
    strong = (len(lines),)
    lines += [nfc(name) or code, KIND_WORDS.get(kind, kind)]
    return LabelText(code, tuple(lines), strong)
