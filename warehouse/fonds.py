"""Fonds (phông lưu trữ): their codes, agencies and catalogues (mục lục), closing and reopening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.errors import N_, not_found, refused
from warehouse.locations import clean_code
from warehouse.models import Agency, Box, Catalogue, File, Fonds
from warehouse.text import fold, nfc


def fonds_code(value: str | None) -> str:
    """A fonds code as printed in box codes (P012 → P012-H0007): A–Z 0–9 - . /, upper case."""
    return clean_code(value, N_("fonds code"), longest=40)


def get_fonds(session: Session, code: str) -> Fonds:
    fonds = session.scalar(select(Fonds).where(Fonds.code == (code or "").strip().upper()))
    if fonds is None:
        raise not_found(N_("no fonds with code %(code)r"), code=code)
    return fonds


@dataclass(frozen=True)
class FondsRow:
    fonds: Fonds
    agency: str
    boxes: int
    files: int


def list_fonds(session: Session, query: str = "") -> list[FondsRow]:
    """Every fonds (or those whose code or name holds the query) with its boxes and files: 3 queries."""
    stmt = select(Fonds, Agency.name).outerjoin(Agency, Agency.id == Fonds.agency_id).order_by(Fonds.code)
    for word in fold(query).split():
        stmt = stmt.where(Fonds.name_key.contains(word, autoescape=True)
                          | Fonds.code.contains(word.upper(), autoescape=True))
    rows = session.execute(stmt).all()
    boxes = dict(session.execute(select(Box.fonds_id, func.count()).where(Box.retired_at.is_(None))
                                 .group_by(Box.fonds_id)).all())
    files = dict(session.execute(select(File.fonds_id, func.count()).group_by(File.fonds_id)).all())
    return [FondsRow(f, agency or "", boxes.get(f.id, 0), files.get(f.id, 0)) for f, agency in rows]


def counts(session: Session, fonds: Fonds) -> tuple[int, int]:
    """(boxes in stock, files) of one fonds."""
    boxes = session.scalar(select(func.count()).where(Box.fonds_id == fonds.id, Box.retired_at.is_(None)))
    files = session.scalar(select(func.count()).where(File.fonds_id == fonds.id))
    return boxes or 0, files or 0


def figures(session: Session) -> dict[str, int]:
    """The register in numbers, for the overview: fonds open and closed, boxes in stock, files."""
    closed = session.scalar(select(func.count()).where(Fonds.closed_on.is_not(None))) or 0
    total = session.scalar(select(func.count()).select_from(Fonds)) or 0
    boxes = session.scalar(select(func.count()).where(Box.retired_at.is_(None))) or 0
    files = session.scalar(select(func.count()).select_from(File)) or 0
    return {"fonds_open": total - closed, "fonds_closed": closed, "boxes": boxes, "files": files}


@dataclass(frozen=True)
class CatalogueRow:
    number: int
    title: str
    files: int
    id: int | None  # None: files name this number but no catalogue was recorded


def catalogues(session: Session, fonds: Fonds) -> list[CatalogueRow]:
    """The fonds' catalogues with their files, including numbers that only files name."""
    counts = dict(session.execute(select(File.catalogue, func.count()).where(File.fonds_id == fonds.id)
                                  .group_by(File.catalogue)).all())
    rows = {c.number: CatalogueRow(c.number, c.title, counts.get(c.number, 0), c.id)
            for c in fonds.catalogues}
    for number, n in counts.items():
        rows.setdefault(number, CatalogueRow(number, "", n, None))
    return [rows[n] for n in sorted(rows)]


def create_fonds(session: Session, actor: str, code: str, name: str, agency_id: int | None = None,
                 note: str = "") -> Fonds:
    """A new fonds with its first catalogue (mục lục số 1), audited."""
    code = fonds_code(code)
    if session.scalar(select(Fonds.id).where(Fonds.code == code)):
        raise refused(N_("fonds %(code)s exists already"), code=code)
    name = _name(name)
    agency = _agency(session, agency_id)
    fonds = Fonds(code=code, name=name, name_key=fold(name), agency_id=agency.id if agency else None,
                  note=nfc(note))
    fonds.catalogues.append(Catalogue(number=1, title=""))
    session.add(fonds)
    session.flush()
    audit.record(session, actor, "fonds.create", f"fonds:{code}", name=name,
                 agency=agency.name if agency else None)
    return fonds


def update_fonds(session: Session, actor: str, code: str, *, new_code: str, name: str,
                 agency_id: int | None, note: str) -> Fonds:
    """Correct a fonds' code, name, agency or note; what changed goes to the audit trail."""
    fonds = get_fonds(session, code)
    new_code = fonds_code(new_code)
    if new_code != fonds.code and session.scalar(select(Fonds.id).where(Fonds.code == new_code)):
        raise refused(N_("fonds %(code)s exists already"), code=new_code)
    agency = _agency(session, agency_id)
    new = {"code": new_code, "name": _name(name), "agency_id": agency.id if agency else None,
           "note": nfc(note)}
    changes = {k: [getattr(fonds, k), v] for k, v in new.items() if getattr(fonds, k) != v}
    for key, (_old, value) in changes.items():
        setattr(fonds, key, value)
    fonds.name_key = fold(fonds.name)
    if changes:
        audit.record(session, actor, "fonds.update", f"fonds:{code}", **changes)
    return fonds


def close_fonds(session: Session, actor: str, code: str, closed_on: date | None, decision: str) -> Fonds:
    """Đóng phông: from this date the fonds receives no new records."""
    fonds = get_fonds(session, code)
    if fonds.is_closed:
        raise refused(N_("fonds %(code)s is closed already (since %(date)s)"), code=fonds.code,
                      date=str(fonds.closed_on))
    if closed_on is None:
        raise refused(N_("closing fonds %(code)s needs the closing date"), code=fonds.code)
    fonds.closed_on, fonds.closing_decision = closed_on, nfc(decision)
    audit.record(session, actor, "fonds.close", f"fonds:{fonds.code}", closed_on=closed_on,
                 decision=fonds.closing_decision)
    return fonds


def reopen_fonds(session: Session, actor: str, code: str, reason: str) -> Fonds:
    """Undo a closing (e.g. entered in error); the reason and the old closing are audited."""
    fonds = get_fonds(session, code)
    if not fonds.is_closed:
        raise refused(N_("fonds %(code)s is not closed"), code=fonds.code)
    reason = nfc(reason)
    if not reason:
        raise refused(N_("reopening fonds %(code)s needs a reason"), code=fonds.code)
    audit.record(session, actor, "fonds.reopen", f"fonds:{fonds.code}", reason=reason,
                 closed_on=fonds.closed_on, decision=fonds.closing_decision)
    fonds.closed_on, fonds.closing_decision = None, ""
    return fonds


def add_catalogue(session: Session, actor: str, code: str, number: int | None, title: str) -> Catalogue:
    """A further mục lục of a fonds, by its number."""
    fonds = get_fonds(session, code)
    number = _number(number)
    if any(c.number == number for c in fonds.catalogues):
        raise refused(N_("fonds %(code)s has a catalogue number %(number)s already"), code=fonds.code,
                      number=number)
    catalogue = Catalogue(number=number, title=nfc(title))
    fonds.catalogues.append(catalogue)
    session.flush()
    audit.record(session, actor, "catalogue.create", f"fonds:{fonds.code}", number=number,
                 title=catalogue.title)
    return catalogue


def update_catalogue(session: Session, actor: str, code: str, number: int, *, new_number: int | None,
                     title: str) -> Catalogue:
    """Retitle a catalogue; renumber it only while no file names its number."""
    fonds = get_fonds(session, code)
    catalogue = next((c for c in fonds.catalogues if c.number == number), None)
    if catalogue is None:
        catalogue = Catalogue(number=number, title="")  # a number only files named so far
        fonds.catalogues.append(catalogue)
    new_number = _number(new_number)
    changes: dict[str, list] = {}
    if new_number != number:
        used = session.scalar(select(func.count()).where(File.fonds_id == fonds.id,
                                                        File.catalogue == number))
        if used:
            raise refused(N_("catalogue %(number)s of fonds %(code)s cannot be renumbered: %(count)s "
                             "files belong to it"), number=number, code=fonds.code, count=used)
        if any(c.number == new_number for c in fonds.catalogues):
            raise refused(N_("fonds %(code)s has a catalogue number %(number)s already"),
                          code=fonds.code, number=new_number)
        changes["number"] = [number, new_number]
        catalogue.number = new_number
    if nfc(title) != catalogue.title:
        changes["title"] = [catalogue.title, nfc(title)]
        catalogue.title = nfc(title)
    session.flush()
    if changes:
        audit.record(session, actor, "catalogue.update", f"fonds:{fonds.code}", catalogue=number,
                     **changes)
    return catalogue


def _number(value: int | None) -> int:
    if value is None or value < 1:
        raise refused(N_("a catalogue number is a whole number from 1 (got %(value)s)"), value=value)
    return value


def _name(name: str | None) -> str:
    name = nfc(name)
    if not name:
        raise refused(N_("a fonds needs a name"))
    return name


def _agency(session: Session, agency_id: int | None) -> Agency | None:
    if not agency_id:
        return None
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise not_found(N_("no agency number %(id)s"), id=agency_id)
    return agency
