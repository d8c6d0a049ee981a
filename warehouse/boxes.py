"""Boxes (hộp): codes, RFID EPCs, home shelves and physical condition; who may read which titles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.errors import N_, not_found, refused
from warehouse.fonds import get_fonds
from warehouse.locations import clean_code, get_location, refuse_taken
from warehouse.models import Box, File, Fonds, Location
from warehouse.models.boxes import CONDITIONS
from warehouse.models.locations import HOLDS_BOXES
from warehouse.text import fold, nfc

EPC = re.compile(r"[0-9A-F]{24}")
FIELDS = {"position": N_("No."), "pages": N_("Sheets")}


# --- pure rules -------------------------------------------------------------------------------------

def box_code(fonds: str, number: int) -> str:
    """The code Kho prints on a box label unless an import gave one: P012-H0007."""
    return f"{fonds}-H{number:04d}"


def clean_epc(value: str | None) -> str | None:
    """An RFID EPC: 24 hexadecimal digits, kept upper-case; empty means none."""
    epc = (value or "").strip().replace(" ", "").upper()
    if not epc:
        return None
    if not EPC.fullmatch(epc):
        raise refused(N_("EPC %(value)r is not 24 hexadecimal digits"), value=value)
    return epc


def check_condition(condition: str) -> str:
    if condition not in CONDITIONS:
        raise refused(N_("unknown condition %(value)r: one of %(conditions)s"), value=condition,
                      conditions=", ".join(CONDITIONS))
    return condition


def is_restricted(access: str | None, regimes: Iterable[str]) -> bool:
    """Whether a file's access regime (chế độ sử dụng) is one of the restricted ones, folded."""
    return bool(access) and fold(access) in {fold(r) for r in regimes}


def visible_title(title: str, access: str | None, regimes: Iterable[str], cleared: bool) -> str | None:
    """The title for someone with or without clearance; None means it must not be shown."""
    return title if cleared or not is_restricted(access, regimes) else None


def hidden_regimes(session: Session, regimes: Iterable[str]) -> list[str]:
    """The access values stored on files that fold to a restricted regime (one DISTINCT query)."""
    stored = session.scalars(select(File.access).distinct())
    return [a for a in stored if is_restricted(a, regimes)]


# --- services ---------------------------------------------------------------------------------------

def get_box(session: Session, code: str) -> Box:
    """A box by its code, or by its EPC (any case)."""
    code = (code or "").strip().upper()
    box = session.scalar(select(Box).where(Box.code == code))
    if box is None and EPC.fullmatch(code):
        box = session.scalar(select(Box).where(func.upper(Box.epc) == code))
    if box is None:
        raise not_found(N_("no box with code or EPC %(code)r"), code=code)
    return box


def create_box(session: Session, actor: str, fonds: str, number: int | None, code: str = "",
               epc: str = "", home: str = "", condition: str = "good", condition_note: str = "") -> Box:
    """A new box of a fonds (code P012-H0007 unless given), audited."""
    found = get_fonds(session, fonds)
    number = _number(session, found, number)
    code = clean_code(code, N_("box code")) if (code or "").strip() else box_code(found.code, number)
    refuse_taken(session, code)
    box = Box(code=code, epc=_epc(session, epc), fonds_id=found.id, number=number,
              home_id=_home(session, home), condition=check_condition(condition),
              condition_note=nfc(condition_note))
    session.add(box)
    session.flush()
    audit.record(session, actor, "box.create", f"box:{code}", fonds=found.code, number=number,
                 epc=box.epc, home=(home or "").strip().upper() or None, condition=condition)
    return box


def update_box(session: Session, actor: str, code: str, *, new_code: str, number: int | None, epc: str,
               home: str, condition: str, condition_note: str) -> Box:
    """Correct a box's code, number, EPC or home, or record its condition; changes are audited."""
    box = get_box(session, code)
    code_now = clean_code(new_code, N_("box code"))
    if code_now != box.code:
        refuse_taken(session, code_now)
    new = {"code": code_now, "number": number, "epc": clean_epc(epc),
           "home_id": _home(session, home, box.home_id), "condition": check_condition(condition),
           "condition_note": nfc(condition_note)}
    if new["number"] != box.number:
        new["number"] = _number(session, box.fonds, number)
    if new["epc"] != box.epc:
        new["epc"] = _epc(session, epc)
    changes = {k: [getattr(box, k), v] for k, v in new.items() if getattr(box, k) != v}
    if "home_id" in changes:
        old = box.home.code if box.home else None
        changes["home"] = [old, (home or "").strip().upper() or None]
    for key, (_old, value) in list(changes.items()):
        if key != "home":
            setattr(box, key, value)
    changes.pop("home_id", None)
    if changes:
        audit.record(session, actor, "box.update", f"box:{code}", **changes)
    return box


@dataclass(frozen=True)
class BoxRow:
    code: str
    fonds: str
    number: int
    epc: str | None
    home: str | None
    condition: str
    files: int
    retired: bool


def list_boxes(session: Session, fonds: str = "", location: str = "", condition: str = "",
               page: int = 1, size: int = 50) -> tuple[list[BoxRow], int]:
    """One page of boxes by fonds and number, filtered, and how many match in all."""
    files = select(File.box_id, func.count().label("n")).group_by(File.box_id).subquery()
    where = []
    if fonds:
        where.append(Box.fonds_id == get_fonds(session, fonds).id)
    if location:
        place = get_location(session, location)
        where.append(Box.home_id.in_(select(Location.id).where(
            Location.path.startswith(place.path, autoescape=True))))
    if condition:
        where.append(Box.condition == check_condition(condition))
    total = session.scalar(select(func.count()).select_from(Box).where(*where)) or 0
    stmt = (select(Box.code, Fonds.code, Box.number, Box.epc, Location.code, Box.condition,
                   func.coalesce(files.c.n, 0), Box.retired_at)
            .join(Fonds, Fonds.id == Box.fonds_id).outerjoin(Location, Location.id == Box.home_id)
            .outerjoin(files, files.c.box_id == Box.id).where(*where)
            .order_by(Fonds.code, Box.number).offset((max(page, 1) - 1) * size).limit(size))
    rows = [BoxRow(c, f, n, e, h, cond, k, r is not None) for c, f, n, e, h, cond, k, r in session.execute(stmt)]
    return rows, total


def _number(session: Session, fonds: Fonds, number: int | None) -> int:
    if number is None or number < 1:
        raise refused(N_("a box number is a whole number from 1 (got %(value)s)"), value=number)
    taken = session.scalar(select(Box.code).where(Box.fonds_id == fonds.id, Box.number == number))
    if taken:
        raise refused(N_("fonds %(fonds)s has a box number %(number)s already: %(code)s"),
                      fonds=fonds.code, number=number, code=taken)
    return number


def _epc(session: Session, value: str | None) -> str | None:
    epc = clean_epc(value)
    if epc:
        other = session.scalar(select(Box.code).where(func.upper(Box.epc) == epc))
        if other:
            raise refused(N_("EPC %(epc)s is already on box %(code)s"), epc=epc, code=other)
    return epc


def _home(session: Session, code: str | None, current: int | None = None) -> int | None:
    """The id of a box's home: a shelf (ngăn), named by its code; empty means none yet."""
    if not (code or "").strip():
        return None
    place = get_location(session, code or "")
    if place.kind not in HOLDS_BOXES and place.id != current:  # an imported home stays as it was
        raise refused(N_("%(code)s is a %(kind)s: a box's home is a shelf (ngan)"), code=place.code,
                      kind=place.kind)
    return place.id


# --- the files in a box -----------------------------------------------------------------------------

@dataclass(frozen=True)
class FileRow:
    """A line of the mục lục hồ sơ as a reader may see it (`title` None: restricted, not shown)."""

    id: int
    catalogue: int
    position: int | None
    number: str
    file_code: str
    title: str | None
    start_date: date | None
    end_date: date | None
    retention: str
    pages: int | None
    access: str
    completed: bool
    note: str
    restricted: bool


def files_of(session: Session, box: Box, regimes: Iterable[str], cleared: bool) -> list[FileRow]:
    """The files in a box in catalogue order, titles hidden from readers without clearance."""
    files = session.scalars(select(File).where(File.box_id == box.id)
                            .order_by(File.catalogue, File.position, File.number))
    return [FileRow(f.id, f.catalogue, f.position, f.number, f.file_code,
                    visible_title(f.title, f.access, regimes, cleared), f.start_date, f.end_date,
                    f.retention, f.pages, f.access, f.completed, f.note, is_restricted(f.access, regimes))
            for f in files]


def retention_years(retention: str) -> int | None:
    """"20 năm" → 20; "Vĩnh viễn" and other wordings → None (no fixed term)."""
    match = re.fullmatch(r"(\d+)\s*nam", fold(retention))
    return int(match.group(1)) if match else None


def get_file(session: Session, file_id: int, regimes: Iterable[str], cleared: bool) -> File:
    """A file to read or edit; a restricted one only for someone cleared to read its title."""
    found = session.get(File, file_id)
    if found is None:
        raise not_found(N_("no file number %(id)s"), id=file_id)
    if not cleared and is_restricted(found.access, regimes):
        raise refused(N_("file %(number)s is restricted (%(access)s)"), number=found.number,
                      access=found.access)
    return found


def update_file(session: Session, actor: str, file_id: int, values: dict, regimes: Iterable[str],
                cleared: bool) -> File:
    """Correct a file's catalogue fields; each changed field is audited as [old, new]."""
    found = get_file(session, file_id, regimes, cleared)
    new = check_file_values(values)
    if not cleared and is_restricted(new["access"], regimes):
        raise refused(N_("only a reader cleared for restricted files may restrict file %(number)s"),
                      number=found.number)
    if new["number"] != found.number and session.scalar(select(File.id).where(
            File.fonds_id == found.fonds_id, File.catalogue == found.catalogue,
            File.number == new["number"])):
        raise refused(N_("catalogue %(catalogue)s has a file %(number)s already"),
                      catalogue=found.catalogue, number=new["number"])
    changes = {k: [getattr(found, k), v] for k, v in new.items() if getattr(found, k) != v}
    for key, (_old, value) in changes.items():
        setattr(found, key, value)
    found.title_key = fold(found.title)
    found.retention_years = retention_years(found.retention)
    if changes:
        audit.record(session, actor, "file.update", f"file:{found.id}", box=found.box.code,
                     number=found.number, **changes)
    return found


def check_file_values(values: dict) -> dict:
    """Checked values of a file form: number and title required, dates in order, counts ≥ 0."""
    new = {k: nfc(values.get(k)) for k in ("number", "file_code", "title", "retention", "access", "note")}
    if not new["number"]:
        raise refused(N_("a file needs its number and symbol (số, ký hiệu hồ sơ)"))
    if not new["title"]:
        raise refused(N_("file %(number)s needs a title"), number=new["number"])
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and start > end:
        raise refused(N_("file %(number)s starts on %(start)s, after it ends on %(end)s"),
                      number=new["number"], start=start.isoformat(), end=end.isoformat())
    for key in ("position", "pages"):
        if values.get(key) is not None and values[key] < 0:
            raise refused(N_("%(field)s %(value)s is negative"), field=FIELDS[key], value=values[key])
    return new | {"start_date": start, "end_date": end, "position": values.get("position"),
                  "pages": values.get("pages"), "completed": bool(values.get("completed"))}
