"""Finding boxes and files by what people type: a box code, an EPC, a fonds, a box number, title words.

Accent- and case-insensitive on both databases: the stored `*_key` columns hold fold()ed text and
each word of fold(query) must appear in them (LIKE). Titles of restricted files are neither shown to
nor searchable by readers without clearance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from warehouse.boxes import EPC, BoxRow, hidden_regimes, visible_title
from warehouse.models import Agency, Box, File, Fonds, Location
from warehouse.text import fold, nfc

BOX_WORDS = {"hop", "so", "cap", "hop/cap", "box", "no", "no."}


def words(query: str | None) -> list[str]:
    """The folded words of a query: "Hồ  SƠ" → ["ho", "so"]."""
    return fold(query).split()


def box_terms(query: str | None) -> tuple[str | None, int | None]:
    """(fonds code or None, box number) when the query names a box number: "7", "Hộp 7", "P012 7"."""
    tokens = [w for w in words(query) if w not in BOX_WORDS]
    if not tokens or not tokens[-1].isdigit() or len(tokens) > 2:
        return None, None
    return (tokens[0].upper() if len(tokens) == 2 else None), int(tokens[-1])


@dataclass(frozen=True)
class FileHit:
    id: int
    box: str
    fonds: str
    catalogue: int
    number: str
    title: str | None  # None: restricted, not shown
    start_date: date | None
    end_date: date | None


@dataclass
class Found:
    query: str
    boxes: list[BoxRow] = field(default_factory=list)
    files: list[FileHit] = field(default_factory=list)
    files_total: int = 0
    fonds: list[Fonds] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.boxes or self.files or self.fonds or self.agencies)


def search(session: Session, query: str, regimes: Iterable[str], cleared: bool, limit: int = 100) -> Found:
    """Boxes, files, fonds and agencies matching the query (a few set-based queries)."""
    found = Found(nfc(query))
    if not words(query):
        return found
    regimes = list(regimes)
    found.boxes = _boxes(session, query, limit)
    found.fonds = list(session.scalars(select(Fonds).where(or_(
        Fonds.code == query.strip().upper(), all_words(Fonds.name_key, query))).order_by(Fonds.code)
        .limit(limit)))
    found.agencies = list(session.scalars(select(Agency).where(all_words(Agency.name_key, query))
                                          .order_by(Agency.name_key).limit(limit)))
    found.files, found.files_total = _files(session, query, regimes, cleared, limit)
    return found


def all_words(column, query: str):
    """Every folded word of the query is in the `*_key` column."""
    return and_(*(column.contains(w, autoescape=True) for w in words(query)))


def box_match(query: str):
    """The boxes a query names: its code or (from three characters) the code's start, its EPC, or a box
    number, of a fonds when one is given. The statement must join Fonds for the last."""
    text = query.strip().upper()
    matches = [Box.code == text]
    if len(text) >= 3:
        matches.append(Box.code.startswith(text, autoescape=True))
    if EPC.fullmatch(text):
        matches.append(func.upper(Box.epc) == text)
    fonds, number = box_terms(query)
    if number is not None:
        matches.append(and_(Box.number == number, Fonds.code == fonds) if fonds else Box.number == number)
    return or_(*matches)


def _boxes(session: Session, query: str, limit: int) -> list[BoxRow]:
    counts = select(File.box_id, func.count().label("n")).group_by(File.box_id).subquery()
    stmt = (select(Box.code, Fonds.code, Box.number, Box.epc, Location.code, Box.condition,
                   func.coalesce(counts.c.n, 0), Box.retired_at)
            .join(Fonds, Fonds.id == Box.fonds_id).outerjoin(Location, Location.id == Box.home_id)
            .outerjoin(counts, counts.c.box_id == Box.id).where(box_match(query))
            .order_by(Fonds.code, Box.number).limit(limit))
    return [BoxRow(c, f, n, e, h, cond, k, r is not None) for c, f, n, e, h, cond, k, r in session.execute(stmt)]


def _files(session: Session, query: str, regimes: list[str], cleared: bool,
           limit: int) -> tuple[list[FileHit], int]:
    """Files whose title holds every word (restricted ones only for the cleared) or whose number is it."""
    by_title = all_words(File.title_key, query)
    if not cleared:
        hidden = hidden_regimes(session, regimes)
        if hidden:
            by_title = and_(by_title, File.access.not_in(hidden))
    text = nfc(query)
    by_number = or_(File.number == text, File.file_code == text) if text else false()
    where = or_(by_title, by_number)
    total = session.scalar(select(func.count()).select_from(File).where(where)) or 0
    stmt = (select(File.id, Box.code, Fonds.code, File.catalogue, File.number, File.title, File.access,
                   File.start_date, File.end_date)
            .join(Box, Box.id == File.box_id).join(Fonds, Fonds.id == File.fonds_id).where(where)
            .order_by(Fonds.code, File.catalogue, Box.number, File.position, File.number).limit(limit))
    hits = [FileHit(i, box, fonds, cat, num, visible_title(title, access, regimes, cleared), start, end)
            for i, box, fonds, cat, num, title, access, start, end in session.execute(stmt)]
    return hits, total
