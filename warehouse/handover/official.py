"""The giving side's own list: a fonds' register as the official mục lục hồ sơ, tài liệu nộp lưu of
Nghị định 30/2020/NĐ-CP, Phụ lục V (Số TT · Số, ký hiệu hồ sơ · Tiêu đề hồ sơ · Thời gian tài liệu ·
Thời hạn bảo quản · Số tờ/Số trang · Ghi chú, with the heading and the "Mục lục này gồm … hồ sơ"
footer), with the box of each file (Hộp/cặp số), as XLSX and PDF.

Files are split into completed ones and not-completed ones (unfinished work, listed apart for the
successor). The form's wording is the decree's, so it is printed in Vietnamese whatever the UI
language. Titles are all shown: the list is for archivists, the faces check the "restricted" right."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse.errors import N_, refused
from warehouse.fonds import get_fonds
from warehouse.handover.numerals import in_words
from warehouse.locations import natural
from warehouse.models import Agency, Box, File
from warehouse.text import fold

PARTS = ("both", "completed", "unfinished")
TITLE = "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU"
SUBTITLES = {"completed": "Hồ sơ đã hoàn thành",
             "unfinished": "Hồ sơ chưa hoàn thành (công việc chưa giải quyết xong, bàn giao cho cơ quan kế thừa)"}
SHEETS = {"completed": "Đã hoàn thành", "unfinished": "Chưa hoàn thành"}
COLUMNS = ("Hộp/cặp số", "Số TT", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Thời gian tài liệu",
           "Thời hạn bảo quản", "Số tờ/Số trang", "Ghi chú")


@dataclass(frozen=True)
class Line:
    """One file of the list, as the form prints it."""

    box: int
    box_code: str
    number: str
    title: str
    span: str
    retention: str
    pages: int | None
    note: str
    permanent: bool


@dataclass
class Part:
    key: str  # completed | unfinished
    lines: list[Line] = field(default_factory=list)

    @property
    def subtitle(self) -> str:
        return SUBTITLES[self.key]

    def footer(self) -> list[str]:
        """The closing lines of the form."""
        n, permanent = len(self.lines), sum(line.permanent for line in self.lines)
        boxes = len({line.box for line in self.lines})
        return [f"Mục lục này gồm: {n} hồ sơ (đơn vị bảo quản).",
                f"Viết bằng chữ: {in_words(n)} hồ sơ (đơn vị bảo quản).",
                (f"Trong đó: {permanent} hồ sơ bảo quản vĩnh viễn, {n - permanent} hồ sơ bảo quản có "
                 f"thời hạn; đựng trong {boxes} hộp/cặp.")]


@dataclass
class OfficialList:
    fonds: str
    fonds_name: str
    agency: str
    year: int
    parts: list[Part]

    @property
    def total(self) -> int:
        return sum(len(p.lines) for p in self.parts)


def span(start: date | None, end: date | None) -> str:
    """Thời gian tài liệu: whole years as years, else dd/mm/yyyy - dd/mm/yyyy."""
    if start and end:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(start.year) if start.year == end.year else f"{start.year} - {end.year}"
        return f"{start:%d/%m/%Y}" if start == end else f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"
    one = start or end
    return f"{one:%d/%m/%Y}" if one else ""


def is_permanent(retention: str) -> bool:
    return fold(retention) == "vinh vien"


def load(session: Session, fonds_code: str, part: str = "both", today: date | None = None) -> OfficialList:
    """The fonds' files in catalogue, box and file order, split by completion: one query."""
    if part not in PARTS:
        raise refused(N_("unknown part %(part)r: one of %(parts)s"), part=part, parts=", ".join(PARTS))
    fonds = get_fonds(session, fonds_code)
    agency = session.scalar(select(Agency.name).where(Agency.id == fonds.agency_id)) if fonds.agency_id else None
    query = (select(File.catalogue, Box.number, Box.code, File.position, File.number, File.title, File.start_date,
                    File.end_date, File.retention, File.pages, File.note, File.completed)
             .join(Box, Box.id == File.box_id).where(File.fonds_id == fonds.id))
    rows = sorted(session.execute(query), key=lambda r: (r[0], r[1], r[3] is None, r[3] or 0, natural(r[4])))
    keys = ("completed", "unfinished") if part == "both" else (part,)
    parts = {key: Part(key) for key in keys}
    for _cat, box, code, _pos, number, title, start, end, retention, pages, note, completed in rows:
        chosen = parts.get("completed" if completed else "unfinished")
        if chosen is not None:
            chosen.lines.append(Line(box, code, number, title, span(start, end), retention, pages, note,
                                     is_permanent(retention)))
    return OfficialList(fonds.code, fonds.name, agency or fonds.name, (today or date.today()).year,
                        list(parts.values()))


def heading(doc: OfficialList) -> list[str]:
    """The lines above the title: the agency, then the fonds."""
    return [doc.agency.upper(), f"Phông: {doc.fonds_name} ({doc.fonds})"]


SIGNATURE = ("…, ngày … tháng … năm …", "NGƯỜI LẬP", "(Ký, ghi rõ họ tên, chức vụ)")


def xlsx(doc: OfficialList) -> bytes:
    from warehouse.handover.official_xlsx import render

    return render(doc)


def pdf(doc: OfficialList) -> bytes:
    from warehouse.handover.official_pdf import render

    return render(doc)
